"""Portfolio: plan against actual per currency, 12 months invoiced, ABC suggestions to accept,
credit exposure and stalled deals. Figures come from the workspace in two reads: the plan and the chart
first (:func:`amtui.services.portfolio.portfolio_money`, the cheap part, on screen at once), then the
rest (:func:`amtui.services.portfolio.portfolio_rest`: ABC, credit, stalled deals, pipeline); no line
here adds two currencies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from amtui.i18n import N_, _, ngettext
from amtui.screens.base import DbDone, DbFailed, DbMixin, QuickResume, ReloadsWhenStale, money
from amtui.services.locale_format import percent
from amtui.vocabulary import DealStage, label
from amtui.widgets.fast_table import Cell, Column, FastTable
from amtui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

    from amtui.services.portfolio import AbcRow, MonthlyInvoiced, PortfolioMoney, PortfolioView

BAR_WIDTH = 40
ABC_COLUMNS = (
    Column("client", N_("Client"), 34),
    Column("tier", N_("Tier"), 9),  # "Категория" whole
    Column("revenue", N_("Revenue (12 months)"), 20, "right"),
    Column("share", N_("Share"), 7, "right"),
    Column("note", N_("Note"), 20),
)


def plan_text(view: PortfolioMoney | PortfolioView) -> Text:
    kpis = view.kpis
    text = Text()
    text.append(_("Plan against actual"), style="bold")
    text.append(
        f"  {kpis.period.label}"
        + (
            _(", day {day} of {days}").format(day=(kpis.today - kpis.period.start).days + 1, days=kpis.period.days)
            if kpis.running
            else ""
        )
        + "\n"
    )
    shown = False
    for c in kpis.currencies:
        if c.target_minor is None and not c.invoiced_minor:
            continue
        shown = True
        text.append(f" {c.currency} ", style="bold")
        if c.target_minor:
            filled = min(BAR_WIDTH, c.invoiced_minor * BAR_WIDTH // c.target_minor)
            text.append("█" * filled, style="green" if c.invoiced_minor >= c.target_minor else "cyan")
            text.append("░" * (BAR_WIDTH - filled), style="dim")
            text.append(
                " "
                + _("{share} of {target}").format(
                    share=percent(c.reached_pct), target=money(c.target_minor, c.currency)
                )
            )
            if c.pace_pct is not None:
                text.append(
                    _("; at this pace {pct}").format(pct=percent(c.pace_pct)), style="bold" if c.pace_pct < 100 else ""
                )
        else:
            text.append(
                _("{amount} invoiced, no target").format(amount=money(c.invoiced_minor, c.currency)), style="dim"
            )
        text.append("\n")
    if not shown:
        text.append(
            " " + _("no sales and no targets this month (amtui target set YYYY-MM AMOUNT --currency XXX)") + "\n",
            style="dim",
        )
    return text


def chart_title(series: MonthlyInvoiced, others: list[str]) -> str:
    return _("Invoiced per month, {currency}").format(currency=series.currency) + (
        f"  (c: {', '.join(others)})" if others else ""
    )


def axis_ticks(top: int, count: int = 5) -> list[int]:
    """Round, whole ticks from 0 past ``top``: a step of 1, 2 or 5 times a power of ten."""
    raw = max(top, 1) / count
    power = 10 ** (len(str(int(raw))) - 1)
    step = next(power * factor for factor in (1, 2, 5, 10) if power * factor >= raw)
    return list(range(0, top + step, step))


def month_ticks(months: list[str], room: int) -> tuple[list[int], list[str]]:
    """The bars' positions (plotext numbers them from 1) and labels. Where every month's label can't
    have its own room, every other month is labelled, counted back from the latest: plotext would
    otherwise drop the labels that touch and leave uneven gaps."""
    step = 1 if room >= (max(map(len, months), default=0) + 1) * len(months) else 2
    shown = [position for position in range(1, len(months) + 1) if (len(months) - position) % step == 0]
    return shown, [months[position - 1] for position in shown]


def draw_chart(plot: PlotextPlot, series: MonthlyInvoiced, others: list[str]) -> None:
    """Invoiced per month as bars, drawn by plotext with both axes labelled. The bars are whole
    numbers (no float money); the exact figures are in ``amtui kpi``."""
    plt = plot.plt
    plt.clear_figure()
    plt.title(chart_title(series, others))
    # Whole thousands when the figures are large enough to show in them, whole units otherwise.
    thousands = max(series.amounts) >= 10_000 * 100
    values = [amount // (100_000 if thousands else 100) for amount in series.amounts]
    months = [f"{first:%m.%y}" for first in series.months]
    plt.bar(months, values, width=0.6)
    ticks = axis_ticks(max(values))
    tick_labels = [f"{tick:,}".replace(",", "\u00a0") for tick in ticks]
    plt.yticks([float(tick) for tick in ticks], tick_labels)
    positions, labels = month_ticks(months, (plot.size.width or plot.app.size.width) - max(map(len, tick_labels)) - 3)
    plt.xticks([float(position) for position in positions], labels)
    plt.xlabel(_("month"))
    plt.ylabel(_("thousand {currency}").format(currency=series.currency) if thousands else series.currency)
    plot.refresh()


def credit_text(view: PortfolioView) -> Text:
    text = Text()
    text.append(
        ngettext(
            "Credit exposure: {n} client from {share} of their limit",
            "Credit exposure: {n} clients from {share} of their limit",
            len(view.credit),
        ).format(n=len(view.credit), share=percent(view.credit_warning_pct))
        + "\n",
        style="bold",
    )
    if not view.credit:
        text.append(" " + _("every client within its limit") + "\n", style="dim")
    for row in view.credit[:12]:
        status = row.status(view.credit_warning_pct)
        # Exact amounts (the CLI's figures) within 100 columns.
        text.append(f" {fit(row.client_name, 24)} ", style="bold red" if status == "over" else "")
        text.append(
            _("{exposure} of {limit} {share}  headroom {headroom}").format(
                exposure=f"{money(row.exposure_minor, row.currency):>17}",
                limit=f"{money(row.limit_minor, row.currency):>15}",
                share=f"{percent(row.used_pct):>7}",
                headroom=f"{money(row.headroom_minor, row.currency):>17}",
            )
            + "\n",
            style="red" if status == "over" else "",
        )
    if len(view.credit) > 12:
        text.append(
            " " + _("… and {n} more: amtui alerts --kind credit").format(n=len(view.credit) - 12) + "\n", style="dim"
        )
    return text


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` terminal cells: padded, or cut with an ellipsis (a cut name says so)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def stalled_text(view: PortfolioView) -> Text:
    stalled = view.kpis.stalled
    text = Text()
    text.append(_("Stalled deals ({n})").format(n=len(stalled)) + "\n", style="bold")
    if not stalled:
        text.append(" " + _("none") + "\n", style="dim")
    for deal in stalled[:10]:
        amount = money(deal.amount_minor, deal.currency) if deal.amount_minor is not None else ""
        text.append(
            f" {fit(deal.client_name, 28)} {fit(deal.title, 26)} {label(DealStage, deal.stage):<11} "
            + _("{days} d (limit {limit})").format(days=f"{deal.days:>3}", limit=deal.limit)
            + f" {amount:>16}\n"
        )
    if len(stalled) > 10:
        text.append(" " + _("… and {n} more: amtui kpi").format(n=len(stalled) - 10) + "\n", style="dim")
    pipeline = view.kpis.pipeline
    if pipeline:
        text.append("\n" + _("Weighted pipeline") + "\n", style="bold")
        for row in pipeline[:12]:
            month = f"{row.month:%m.%Y}" if row.month else _("no date")
            text.append(
                f" {row.currency} {month:<8} "
                + _("{deals} deals {amount}  weighted {weighted}").format(
                    deals=f"{row.deals:>4}",
                    amount=f"{money(row.amount_minor, row.currency):>18}",
                    weighted=f"{money(row.weighted_minor, row.currency):>18}",
                )
                + "\n"
            )
    return text


def _abc_row(row: AbcRow) -> tuple[str, list[Cell]]:
    revenue = money(row.revenue_minor, row.currency) if row.currency else "—"
    return str(row.client_id), [
        Text(row.client_name),
        Text(f"{row.stored} → {row.suggested}", style="bold"),
        Text(revenue),
        Text(percent(row.share_pct)),
        Text(row.note, style="dim"),
    ]


class PortfolioScreen(QuickResume, ReloadsWhenStale, DbMixin, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", N_("Accept tier"), id="portfolio.accept"),
        Binding("A", "accept_all", N_("Accept all tiers"), id="portfolio.accept-all"),
        Binding("c", "next_currency", N_("Chart currency"), id="portfolio.next-currency"),
        Binding("enter", "open", N_("Open client"), id="portfolio.open"),
        Binding("r", "reload", N_("Refresh"), id="portfolio.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.money: PortfolioMoney | None = None  # the first part: plan and chart
        self.view: PortfolioView | None = None  # everything
        self.changes: list[AbcRow] = []
        self.chart_currency: str | None = None
        self._first_read = False  # a first read is on its way

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="portfolio-body"):
            yield Static(_("Loading…"), id="portfolio-plan")
            # Imported here: plotext costs ~50 ms, paid on the first visit of this screen, not at start-up.
            from textual_plotext import PlotextPlot

            plot = PlotextPlot(id="portfolio-chart")
            plot.display = False  # shown with its figures (an empty plot costs a render of its own)
            yield plot
            yield Static("", id="portfolio-chart-empty")
            yield Static("", id="portfolio-abc-title")
            yield FastTable(ABC_COLUMNS, zebra_stripes=False, id="portfolio-abc")
            yield Static("", id="portfolio-credit")
            yield Static("", id="portfolio-stalled")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = _("Portfolio")
        # The first read starts now, while the screen is laid out and painted, rather than at the resume
        # that follows (which finds it on its way: see reload).
        self.reload()

    def on_resize(self) -> None:
        if self.money is not None:
            self.show_chart()  # the month labels depend on the width

    def reload(self) -> None:
        if self.money is None and self._first_read:
            return  # the first read is on its way
        self._first_read = self.money is None
        # The plan and the chart first (cheap reads); the rest (ABC over 12 months of invoices, credit,
        # stalled deals) follows in a second read, so the screen is not blank while it runs.
        self.load("portfolio-money", lambda ws: ws.portfolio_money())

    @on(DbFailed)
    def failed(self, message: DbFailed) -> None:
        self._first_read = False  # the next reload tries again (the mixin tells what went wrong)

    @on(DbDone)
    def done(self, message: DbDone) -> None:
        if message.request == "portfolio-money":
            money: PortfolioMoney = message.result
            self.show_money(money)
            # After the frame that shows it: the second read in a thread would slow that frame (one GIL).
            self.call_after_refresh(self.load, "portfolio", lambda ws: ws.portfolio_rest(money))
        elif message.request == "portfolio":
            self.show(message.result)
        else:  # tiers accepted: the suggestions changed
            count = message.result
            self.notify(ngettext("Tier changed for {n} client", "Tier changed for {n} clients", count).format(n=count))
            self.reload()

    def show_money(self, money: PortfolioMoney) -> None:
        self.money = money
        self.query_one("#portfolio-plan", Static).update(plan_text(money))
        self.show_chart()
        if self.view is None:  # a first visit: the rest is on its way (a reload keeps the last figures meanwhile)
            self.query_one("#portfolio-abc-title", Static).update(Text(_("Loading…"), style="dim"))

    def show(self, view: PortfolioView) -> None:
        self.view = view
        self.query_one("#portfolio-plan", Static).update(plan_text(view))
        self.changes = list(view.abc.changes)
        until = view.abc.until - timedelta(days=1)
        title = Text()
        title.append(_("ABC tiers from revenue"), style="bold")
        title.append(
            f"  {view.abc.since:%d.%m.%Y}-{until:%d.%m.%Y}: "
            + ngettext(
                "{n} suggestion; a accepts the selected, A all",
                "{n} suggestions; a accepts the selected, A all",
                len(self.changes),
            ).format(n=len(self.changes))
        )
        self.query_one("#portfolio-abc-title", Static).update(title)
        self.query_one("#portfolio-abc", FastTable).set_rows(self.changes, _abc_row)
        self.query_one("#portfolio-credit", Static).update(credit_text(view))
        self.query_one("#portfolio-stalled", Static).update(stalled_text(view))

    def show_chart(self) -> None:
        """One currency's chart at a time (c cycles): the home currency, or the most invoiced, first."""
        from textual_plotext import PlotextPlot

        assert self.money is not None
        series = {s.currency: s for s in self.money.monthly}
        plot = self.query_one("#portfolio-chart", PlotextPlot)
        empty = self.query_one("#portfolio-chart-empty", Static)
        plot.display, empty.display = bool(series), not series
        if not series:
            empty.update(Text(_("Invoiced per month: nothing invoiced in the last 12 months") + "\n", style="dim"))
            return
        if self.chart_currency not in series:
            self.chart_currency = max(series, key=lambda code: sum(series[code].amounts))
        current = series[self.chart_currency]
        draw_chart(plot, current, [code for code in series if code != current.currency])

    def action_next_currency(self) -> None:
        if self.money is None or not self.money.monthly:
            return
        codes = [s.currency for s in self.money.monthly]
        index = codes.index(self.chart_currency) if self.chart_currency in codes else -1
        self.chart_currency = codes[(index + 1) % len(codes)]
        self.show_chart()

    def selected(self) -> AbcRow | None:
        key = self.query_one("#portfolio-abc", FastTable).cursor_key
        return next((row for row in self.changes if str(row.client_id) == key), None) if key else None

    def _accept(self, rows: list[AbcRow]) -> None:
        if not rows:
            self.notify(_("No tier suggestion to accept"), severity="warning")
            return
        self.db("accept", lambda ws: ws.accept_tiers(rows))

    def action_accept(self) -> None:
        row = self.selected()
        self._accept([row] if row is not None else [])

    def action_accept_all(self) -> None:
        self._accept(list(self.changes))

    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            self.amtui.open_client(row.client_id)

    @on(FastTable.RowSelected)
    def row_selected(self, event: FastTable.RowSelected) -> None:
        self.action_open()
