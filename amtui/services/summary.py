"""Tables of portfolio numbers for people: ``amtui kpi``, and the weekly/monthly summary for management.

Everything is first laid out as :class:`Section` tables of typed cells (text, counts, money in a
currency, percentages, dates), then rendered as plain text, Markdown, HTML, JSON or XLSX (one sheet
per section, typed cells). Money cells carry their currency: no cell ever holds two currencies.
"""

from __future__ import annotations

import html as html_lib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, exists, func, or_, select

from amtui.i18n import N_, _, ngettext, pgettext
from amtui.services.core_views import _client, _contract, _deal, _interaction, _meeting_report
from amtui.services.locale_format import money as format_money
from amtui.services.locale_format import money_writer, short_date
from amtui.services.locale_format import percent as format_percent
from amtui.services.portfolio import (
    ConvertedTotal,
    Kpis,
    Period,
    PortfolioSettings,
    _raw,
    _rows,
    _utc,
    compute_kpis,
    local_days,
    local_midnight,
    owed_at,
    period_cut,
)
from amtui.vocabulary import REPORTED_KINDS, ContractStatus, DealStage, InteractionKind, InteractionStatus, label

if TYPE_CHECKING:
    from amtui.services.portfolio import Reader

JSON_SCHEMA = "amtui.summary/1"
# The "won ..." columns of the upsell table, by deal kind.
WON_KINDS = {
    "new": N_("won new"),
    "upsell": N_("won upsell"),
    "cross_sell": N_("won cross-sell"),
    "renewal": N_("won renewal"),
}


@dataclass(frozen=True, slots=True)
class Money:
    minor: int
    currency: str

    def __str__(self) -> str:
        return format_money(self.minor, self.currency)


Cell = str | int | Decimal | date | Money | None


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    empty: str = N_("none")


def _growth_note(kpis: Kpis) -> tuple[str, ...]:
    """Which days were compared, when they are not the whole period (it is still running)."""
    if kpis.growth_spans is None or kpis.growth_spans[0].end == kpis.period.end:
        return ()
    now, before = kpis.growth_spans

    def days(span: Period) -> str:
        return f"{span.start:%d.%m.%Y}–{span.end - timedelta(days=1):%d.%m.%Y}"

    return (_("The period so far, {now}, against {before}").format(now=days(now), before=days(before)),)


def _text(cell: Cell) -> str:
    if type(cell) is str:  # most cells: first, cheaply (a month's summary has tens of thousands)
        return cell
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format_percent(cell)
    if isinstance(cell, date):
        return short_date(cell)
    return str(cell)


def _rate_text(rate: Decimal) -> str:
    return format(rate.normalize(), "f").replace(".", ",")


def converted_note(total: ConvertedTotal) -> str:
    rates = ", ".join(
        _("1 {code} = {rate} {currency} (rate of {date})").format(
            code=code, rate=_rate_text(rate), currency=total.currency, date=short_date(since)
        )
        for code, (rate, since) in sorted(total.rates.items())
    )
    return _("converted to {currency} at {rates}").format(currency=total.currency, rates=rates)


# --- the KPI tables --------------------------------------------------------------------------------------------


def kpi_sections(kpis: Kpis) -> list[Section]:
    sections = []
    money_rows: list[tuple[Cell, ...]] = [
        (
            c.currency,
            Money(c.invoiced_minor, c.currency),
            c.invoice_count,
            Money(c.average_invoice_minor, c.currency) if c.average_invoice_minor is not None else None,
            Money(c.paid_minor, c.currency),
            Money(c.receivables_minor, c.currency),
            Money(c.overdue_minor, c.currency),
        )
        for c in kpis.currencies
    ]
    notes: list[str] = []
    converted = kpis.converted
    if converted is not None:
        code = converted.currency
        money_rows.append(
            (
                _("{code} (converted)").format(code=code),
                Money(converted.invoiced_minor, code),
                None,
                None,
                Money(converted.paid_minor, code),
                Money(converted.receivables_minor, code),
                Money(converted.overdue_minor, code),
            )
        )
        notes.append(converted_note(converted))
    sections.append(
        Section(
            _("Money"),
            (
                _("currency"),
                _("invoiced"),
                _("invoices"),
                _("average invoice"),
                _("paid"),
                _("receivables"),
                _("overdue"),
            ),
            tuple(money_rows),
            tuple(notes),
            _("nothing invoiced, paid or owed"),
        )
    )
    plan_rows = []
    plan_notes = []
    for c in kpis.currencies:
        if c.target_minor is None:
            continue
        plan_rows.append(
            (
                c.currency,
                Money(c.target_minor, c.currency),
                Money(c.invoiced_minor, c.currency),
                c.reached_pct,
                c.pace_pct,
            )
        )
        if c.pace_pct is not None:
            plan_notes.append(
                _("{currency}: at this pace: {pace} by the period's end").format(
                    currency=c.currency, pace=format_percent(c.pace_pct)
                )
            )
    if converted is not None and converted.target_minor:
        code = converted.currency
        plan_rows.append(
            (
                _("{code} (converted)").format(code=code),
                Money(converted.target_minor, code),
                Money(converted.invoiced_minor, code),
                _pct(converted.invoiced_minor, converted.target_minor),
                None,
            )
        )
    sections.append(
        Section(
            _("Plan against actual"),
            (_("currency"), _("target"), _("invoiced"), _("reached"), _("pace")),
            tuple(plan_rows),
            tuple(plan_notes),
            _("no targets set (amtui target set YYYY-MM AMOUNT --currency XXX)"),
        )
    )
    sections.append(
        Section(
            _("Clients"),
            (_("measure"), _("count"), _("who")),
            (
                (
                    ngettext(
                        "active (an invoice in the last {n} day)",
                        "active (an invoice in the last {n} days)",
                        kpis.active_days,
                    ).format(n=kpis.active_days),
                    kpis.active_clients,
                    None,
                ),
                (_("active at the period's start"), kpis.active_before, None),
                (pgettext("clients", "new"), len(kpis.new_clients), ", ".join(kpis.new_clients[:10])),
                (pgettext("clients", "lost"), len(kpis.lost_clients), ", ".join(kpis.lost_clients[:10])),
            ),
        )
    )
    growth = [
        (
            g.client_name,
            g.currency,
            Money(g.now_minor, g.currency),
            Money(g.before_minor, g.currency),
            Money(g.change_minor, g.currency),
            g.change_pct,
        )
        for g in (*kpis.growth_up, *kpis.growth_down)
    ]
    sections.append(
        Section(
            _("Growth against a year earlier"),
            (_("client"), _("currency"), _("now"), _("a year earlier"), _("change"), _("change %")),
            tuple(growth),
            _growth_note(kpis),
            empty=_("no change"),
        )
    )
    kinds = ("new", "upsell", "cross_sell", "renewal")
    sections.append(
        Section(
            _("Upsell"),
            (_("currency"), _("from upsell clients"), _("share"), *(_(WON_KINDS[k]) for k in kinds)),
            tuple(
                (
                    c.currency,
                    Money(c.upsell_invoiced_minor, c.currency),
                    c.upsell_share_pct,
                    *(Money(c.won_by_kind[k], c.currency) if k in c.won_by_kind else None for k in kinds),
                )
                for c in kpis.currencies
            ),
        )
    )
    sections.append(
        Section(
            _("How I work"),
            (_("measure"), _("count"), _("of"), _("share")),
            tuple((_(r.name), r.count, r.total, r.pct) for r in kpis.work),
        )
    )
    sections.append(
        Section(
            _("Weighted pipeline"),
            (_("currency"), _("close month"), _("deals"), _("amount"), _("weighted")),
            tuple(
                (
                    p.currency,
                    f"{p.month:%Y-%m}" if p.month else _("no date"),
                    p.deals,
                    Money(p.amount_minor, p.currency),
                    Money(p.weighted_minor, p.currency),
                )
                for p in kpis.pipeline
            ),
            empty=_("no open deals"),
        )
    )
    sections.append(
        Section(
            _("Stalled deals"),
            (_("client"), _("deal"), _("stage"), _("since"), _("days"), _("limit"), _("amount")),
            tuple(
                (
                    s.client_name,
                    s.title,
                    s.stage,
                    s.since,
                    s.days,
                    s.limit,
                    Money(s.amount_minor, s.currency) if s.amount_minor is not None else None,
                )
                for s in kpis.stalled
            ),
        )
    )
    return sections


def _pct(part: int, whole: int) -> Decimal | None:
    from amtui.services.portfolio import percent

    return percent(part, whole)


def kpi_title(kpis: Kpis) -> str:
    period = kpis.period
    state = (
        _(", running: day {day} of {days}").format(day=(kpis.today - period.start).days + 1, days=period.days)
        if kpis.running
        else ""
    )
    return _("KPIs for {period} ({since}-{until}{state})").format(
        period=period.label,
        since=short_date(period.start),
        until=short_date(period.end - timedelta(days=1)),
        state=state,
    )


# --- the summary -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summary:
    kind: str  # week | month
    period: Period
    generated_at: datetime
    kpis: Kpis
    previous: Kpis
    sections: tuple[Section, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return _("Summary for {period}").format(period=self.period.label)

    def subject(self) -> str:
        if self.kind == "week":
            return _("amtui: weekly summary {period}").format(period=self.period.label)
        return _("amtui: monthly summary {period}").format(period=self.period.label)

    @property
    def is_empty(self) -> bool:
        """Nothing happened and nothing is owed or planned."""
        return not self.kpis.currencies and all(not s.rows for s in self.sections[len(kpi_sections(self.kpis)) :])


def build_summary(
    *,
    session: Reader,
    kind: str,
    period: Period,
    now: datetime,
    zone: tzinfo,
    settings: PortfolioSettings | None = None,
) -> Summary:
    today = now.astimezone(zone).date()
    # What is owed at the period's end: the KPIs' receivables and the aging section read it once.
    owed = owed_at(session, period_cut(period, today), today)
    kpis = compute_kpis(session=session, period=period, now=now, zone=zone, settings=settings, owed_rows=owed)
    previous = compute_kpis(
        session=session, period=period.previous(), now=now, zone=zone, settings=settings, money_only=True
    )
    sections = kpi_sections(kpis)
    sections.append(
        Section(
            _("Previous period ({period})").format(period=previous.period.label),
            (_("currency"), _("invoiced"), _("paid"), _("receivables"), _("overdue"), _("target reached")),
            tuple(
                (
                    c.currency,
                    Money(c.invoiced_minor, c.currency),
                    Money(c.paid_minor, c.currency),
                    Money(c.receivables_minor, c.currency),
                    Money(c.overdue_minor, c.currency),
                    c.reached_pct,
                )
                for c in previous.currencies
            ),
        )
    )
    sections.extend(_activity_sections(session, period, kpis.today, zone, owed))
    return Summary(kind, period, now, kpis, previous, tuple(sections))


def _activity_sections(
    session: Reader, period: Period, today: date, zone: tzinfo, owed: Sequence[tuple[str, date, int]]
) -> list[Section]:
    start, end = local_midnight(period.start, zone), local_midnight(period.end, zone)
    i, c = _interaction.c, _client.c
    local_day = local_days(zone)  # thousands of stored moments, far fewer distinct ones
    kinds = {kind: label(InteractionKind, kind) for kind in InteractionKind}
    done = (i.status == InteractionStatus.DONE, i.done_at >= start, i.done_at < end)
    # Counted per client from the (status, kind, done_at, client_id) index alone, one row per client; the
    # names joined to the groups (7,400 rows in, 1,500 out on the large demo's month).
    call, visit, meeting = InteractionKind.CALL, InteractionKind.VISIT, InteractionKind.MEETING
    groups = (
        select(
            i.client_id.label("client_id"),
            *(func.sum(case((i.kind == kind, 1), else_=0)).label(kind) for kind in (call, visit, meeting)),
        )
        .where(*done, i.kind.in_((call, visit, meeting)))
        .group_by(i.client_id)
        .subquery()
    )
    counts: dict[str, list[int]] = {}
    for name, calls, visits, meetings in _rows(
        session,
        select(c.name, groups.c[call], groups.c[visit], groups.c[meeting]).join_from(
            groups, _client, c.id == groups.c.client_id
        ),
    ):
        known = counts.get(name)
        if known is None:
            counts[name] = [int(calls), int(visits), int(meetings)]
        else:  # two clients of one name: one row, as the name is what the reader sees
            known[0] += int(calls)
            known[1] += int(visits)
            known[2] += int(meetings)
    by_client: tuple[tuple[Cell, ...], ...] = tuple(
        (name, *numbers) for name, numbers in sorted(counts.items(), key=lambda item: (-sum(item[1]), item[0]))
    )
    r = _meeting_report.c
    unreported = tuple(
        (name, kinds.get(kind) or label(InteractionKind, kind), local_day(at), subject or "")
        for name, kind, at, subject in _rows(
            session,
            select(c.name, i.kind, _raw(i.done_at), i.subject)
            .join_from(_interaction, _client, c.id == i.client_id)
            .where(*done, i.kind.in_(REPORTED_KINDS), ~exists().where(r.interaction_id == i.id))
            .order_by(i.done_at, i.kind, i.id),  # ties by kind, then in the order they were stored
        )
    )
    d = _deal.c
    deals = []
    said: dict[str, str] = {}
    closing = (DealStage.WON, DealStage.LOST)
    for name, title, stage, amount, currency, closed, changed in _rows(
        session,
        select(c.name, d.title, d.stage, d.amount_minor, d.currency, d.closed_on, _raw(d.stage_changed_at))
        .join_from(_deal, _client, c.id == d.client_id)
        .where(
            or_(
                and_(d.stage.in_(closing), d.closed_on >= period.start, d.closed_on < period.end),
                and_(
                    d.stage.not_in(closing),
                    d.stage_changed_at >= start,
                    d.stage_changed_at < end,
                ),
            )
        ),
    ):
        what = said.get(stage)
        if what is None:  # once per stage: a month of the large demo moves thousands of deals
            word = label(DealStage, stage)
            what = word if stage in closing else _("moved to {stage}").format(stage=word)
            said[stage] = what
        when = closed if stage in closing else local_day(changed)
        deals.append((name, title, what, Money(amount, currency) if amount is not None else None, when))
    deals.sort(key=lambda row: (row[4], row[0]))
    k = _contract.c
    following = period.next()
    contracts = tuple(
        (
            name,
            number,
            label(ContractStatus, status),
            start_on,
            end_on,
            Money(value, currency) if value is not None else None,
        )
        for name, number, status, start_on, end_on, value, currency in _rows(
            session,
            select(c.name, k.number, k.status, k.start_on, k.end_on, k.value_minor, k.currency)
            .join_from(_contract, _client, c.id == k.client_id)
            .where(
                or_(
                    and_(k.start_on >= period.start, k.start_on < period.end),
                    and_(k.end_on >= period.start, k.end_on < following.end),
                )
            )
            .order_by(k.end_on, k.number),
        )
    )
    sections = [
        Section(_("Calls and visits by client"), (_("client"), _("calls"), _("visits"), _("meetings")), by_client),
        Section(_("Meetings without a report"), (_("client"), _("kind"), _("on"), _("subject")), unreported),
        Section(
            _("Deals won, lost and moved"), (_("client"), _("deal"), _("what"), _("amount"), _("on")), tuple(deals)
        ),
        Section(
            _("Contracts starting or ending"),
            (_("client"), _("number"), _("status"), _("starts"), _("ends"), _("value")),
            contracts,
            empty=_("none in this period or the next ({period})").format(period=following.label),
        ),
        _aging(period_cut(period, today), owed),
    ]
    next_start, next_end = local_midnight(following.start, zone), local_midnight(following.end, zone)
    shown: dict[datetime | str, str] = {}  # a moment as the reader sees it, once per distinct moment
    planned = []
    for at, kind, name, subject in _rows(
        session,
        select(_raw(i.planned_at), i.kind, c.name, i.subject)
        .join_from(_interaction, _client, c.id == i.client_id)
        .where(
            i.status == InteractionStatus.PLANNED,
            i.planned_at >= next_start,
            i.planned_at < next_end,
            i.kind.in_((call, visit, meeting)),
        )
        .order_by(i.planned_at),
    ):
        when = shown.get(at)
        if when is None:
            when = shown[at] = _utc(at).astimezone(zone).strftime("%d.%m.%Y %H:%M")
        planned.append((when, kinds.get(kind) or label(InteractionKind, kind), name, subject or ""))
    sections.append(
        Section(
            _("Planned for the next period ({period})").format(period=following.label),
            (_("when"), _("kind"), _("client"), _("subject")),
            tuple(planned),
        )
    )
    return sections


AGING = (N_("not due"), "1-30", "31-60", "61-90", "90+")


def _aging(cut: date, owed_rows: Sequence[tuple[str, date, int]]) -> Section:
    """What is owed at the start of ``cut`` (``owed_rows``: :func:`owed_at` of it), per currency, by days past due."""
    buckets: dict[str, list[int]] = defaultdict(lambda: [0] * len(AGING))
    last_day = cut - timedelta(days=1)
    for currency, due, owed in owed_rows:
        late = (last_day - due).days
        index = 0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else 3 if late <= 90 else 4
        buckets[currency][index] += owed
    return Section(
        _("Receivables aging (as of {date})").format(date=short_date(last_day)),
        (_("currency"), *(_(bucket) for bucket in AGING)),
        tuple((code, *(Money(value, code) for value in values)) for code, values in sorted(buckets.items())),
        empty=_("nothing owed"),
    )


# --- rendering -------------------------------------------------------------------------------------------------


_NUMERIC = (int, Decimal, Money)


def _column_text(column: Sequence[Cell], money: Callable[[int, str], str]) -> tuple[Sequence[str], bool]:
    """A column's cells as text (as :func:`_text` writes them), and whether it holds numbers (right-aligned).

    A month's summary has tens of thousands of cells in a few types: a column of text is taken as it is,
    a day is written once per distinct value (thousands of deals fall on thirty days), an amount with the
    language settled once (``money``: :func:`~amtui.services.locale_format.money_writer`)."""
    kinds = set(map(type, column))
    numeric = any(issubclass(kind, _NUMERIC) for kind in kinds)
    if kinds == {str}:
        return column, numeric  # type: ignore[return-value]  # every cell is text
    if kinds == {int}:
        return list(map(str, column)), numeric
    known: dict[Cell, str] = {}

    def text(cell: Cell) -> str:
        kind = type(cell)
        if kind is str:
            return cell  # type: ignore[return-value]
        if kind is Money:
            return money(cell.minor, cell.currency)  # type: ignore[union-attr]
        if kind is date:
            written = known.get(cell)
            if written is None:
                written = known[cell] = _text(cell)
            return written
        return _text(cell)

    return list(map(text, column)), numeric


def _row_texts(rows: Sequence[Sequence[Cell]]) -> list[tuple[str, ...]]:
    """Each row's cells as text, worked out column by column (:func:`_column_text`)."""
    money = money_writer()
    columns = [_column_text(column, money)[0] for column in zip(*rows, strict=True)]
    return list(zip(*columns, strict=True))


def _table_text(section: Section) -> list[str]:
    lines = [section.title, "-" * len(section.title)]
    if not section.rows:
        lines.append(f"  ({_(section.empty)})")
    else:
        money = money_writer()
        columns = [_column_text(column, money) for column in zip(*section.rows, strict=True)]
        widths = [
            max(len(header), *map(len, texts))
            for header, (texts, _numeric) in zip(section.headers, columns, strict=True)
        ]
        # One format per table: numbers right-aligned, the rest left-aligned, each to its column's width.
        line = "  ".join(
            f"{{:{'>' if numeric else '<'}{width}}}" for (_texts, numeric), width in zip(columns, widths, strict=True)
        )
        lines.append("  " + line.format(*section.headers).rstrip())
        lines.extend(
            "  " + line.format(*row).rstrip() for row in zip(*(texts for texts, _numeric in columns), strict=True)
        )
    lines.extend(f"  {note}" for note in section.notes)
    return lines


def render_sections_text(title: str, sections: Sequence[Section]) -> str:
    lines = [title, ""]
    for section in sections:
        lines.extend(_table_text(section))
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_sections_markdown(title: str, sections: Sequence[Section]) -> str:
    lines = [f"# {_md(title)}", ""]
    for section in sections:
        lines += [f"## {_md(section.title)}", ""]
        if not section.rows:
            lines += [f"_{_(section.empty)}_", ""]
        else:
            lines.append("| " + " | ".join(_md(h) for h in section.headers) + " |")
            lines.append("|" + "|".join("---" for _ in section.headers) + "|")
            lines += ["| " + " | ".join(map(_md, texts)) + " |" for texts in _row_texts(section.rows)]
            lines.append("")
        lines += [f"{_md(note)}  " for note in section.notes]
        if section.notes:
            lines.append("")
    return "\n".join(lines)


def render_sections_html(title: str, sections: Sequence[Section]) -> str:
    esc = html_lib.escape
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px}td.n{text-align:right;white-space:nowrap}</style>",
        "</head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    for section in sections:
        parts.append(f"<h2>{esc(section.title)}</h2>")
        if not section.rows:
            parts.append(f"<p><i>{esc(_(section.empty))}</i></p>")
        else:
            parts.append("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in section.headers) + "</tr>")
            for row, texts in zip(section.rows, _row_texts(section.rows), strict=True):
                parts.append(
                    "<tr>"
                    + "".join(
                        f'<td class="n">{esc(text)}</td>' if isinstance(cell, _NUMERIC) else f"<td>{esc(text)}</td>"
                        for cell, text in zip(row, texts, strict=True)
                    )
                    + "</tr>"
                )
            parts.append("</table>")
        parts += [f"<p>{esc(note)}</p>" for note in section.notes]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _json_cell(cell: Cell) -> Any:
    if isinstance(cell, Money):
        return {"minor": cell.minor, "currency": cell.currency}
    if isinstance(cell, Decimal):
        return str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def sections_to_list(sections: Sequence[Section]) -> list[dict[str, Any]]:
    return [
        {
            "title": s.title,
            "headers": list(s.headers),
            "rows": [[_json_cell(cell) for cell in row] for row in s.rows],
            "notes": list(s.notes),
        }
        for s in sections
    ]


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "schema": JSON_SCHEMA,
        "kind": summary.kind,
        "period": {
            "label": summary.period.label,
            "start": summary.period.start.isoformat(),
            "end": summary.period.end.isoformat(),
        },
        "generated_at": summary.generated_at.isoformat(),
        "kpis": asdict(summary.kpis),
        "sections": sections_to_list(summary.sections),
    }


def to_json(value: Any) -> str:
    def default(item: Any) -> Any:
        if isinstance(item, (date, datetime)):
            return item.isoformat()
        if isinstance(item, Decimal):
            return str(item)
        if isinstance(item, (set, frozenset, tuple)):
            return list(item)
        raise TypeError(f"cannot encode {type(item).__name__}")

    return json.dumps(value, default=default, ensure_ascii=False, indent=2) + "\n"


def _sheet_name(title: str, used: set[str]) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31].strip() or "Sheet"
    name, counter = cleaned, 2
    while name in used:
        suffix = f" {counter}"
        name, counter = cleaned[: 31 - len(suffix)] + suffix, counter + 1
    used.add(name)
    return name


def write_xlsx(title: str, sections: Sequence[Section], path: Path, *, first_sheet: str = "KPIs") -> None:
    """One sheet per section (the KPI ones on the first), typed cells: numbers, dates, money with its currency."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    used: set[str] = set()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_name(first_sheet, used)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    for section in sections:
        target = book.create_sheet(_sheet_name(section.title, used))
        target.append([section.title])
        target["A1"].font = Font(bold=True)
        target.append(list(section.headers))
        for row in section.rows:
            values: list[Any] = []
            formats: list[str | None] = []
            for cell in row:
                if isinstance(cell, Money):
                    values.append(Decimal(cell.minor) / 100)
                    formats.append(f'#,##0.00 "{cell.currency}"')
                elif isinstance(cell, Decimal):
                    values.append(cell / 100)
                    formats.append("0.0%")
                elif isinstance(cell, date):
                    values.append(cell)
                    formats.append("DD.MM.YYYY")
                else:
                    values.append(cell)
                    formats.append(None)
            target.append(values)
            for column_index, number_format in enumerate(formats, start=1):
                if number_format:
                    target.cell(row=target.max_row, column=column_index).number_format = number_format
        for note in section.notes:
            target.append([note])
        sheet.append([section.title, f"see sheet {target.title!r}"])
    book.save(path)


def render_summary(summary: Summary, fmt: str) -> str:
    if fmt == "json":
        return to_json(summary_to_dict(summary))
    if fmt == "markdown":
        return render_sections_markdown(summary.title, summary.sections)
    if fmt == "html":
        return render_sections_html(summary.title, summary.sections)
    return render_sections_text(summary.title, summary.sections)
