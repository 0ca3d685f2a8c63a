"""``amtui kpi``, ``amtui abc``, ``amtui rate``, ``amtui summary``: the portfolio's numbers.

Read-only commands go through a plain Connection (no ORM import), like the digest.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from amtui.commands.common import echo_json, fail, now, parse_day, reading, today, unit_of_work, zone
from amtui.i18n import _, ngettext
from amtui.services.locale_format import percent, short_date

if TYPE_CHECKING:
    from amtui.services.portfolio import PortfolioSettings

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print the result as JSON for scripts."))]
EXIT_MAIL_FAILED = 3

rate_app = typer.Typer(help=_("Exchange rates to the home currency, for converted totals."), no_args_is_help=True)


def _settings() -> PortfolioSettings:
    from amtui.config import load_settings
    from amtui.services.portfolio import settings_from

    return settings_from(load_settings())


def kpi_command(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month", help=_("A month, YYYY-MM (default: this month)."))] = None,
    quarter: Annotated[str | None, typer.Option("--quarter", help=_("A quarter, YYYY-Qn."))] = None,
    year: Annotated[str | None, typer.Option("--year", help=_("A year, YYYY."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services.portfolio import compute_kpis, parse_period
    from amtui.services.summary import kpi_sections, kpi_title, render_sections_text

    period = parse_period(today=today(), month=month, quarter=quarter, year=year)
    settings = _settings()
    with reading(ctx) as connection:
        kpis = compute_kpis(session=connection, period=period, now=now(), zone=zone(), settings=settings)
    if json_output:
        echo_json(kpis)
        return
    typer.echo(render_sections_text(kpi_title(kpis), kpi_sections(kpis)), nl=False)


def abc_command(
    ctx: typer.Context,
    months: Annotated[
        int | None, typer.Option("--months", min=1, max=120, help=_("Trailing months of revenue (default 12)."))
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help=_("Store the suggested tiers."))] = False,
    json_output: JsonOption = False,
) -> None:
    from datetime import timedelta

    from amtui.config import load_settings
    from amtui.services.locale_format import money as format_money
    from amtui.services.portfolio import abc_tiers, apply_tiers, settings_from

    config = load_settings()
    settings = settings_from(config)
    window = months or config.portfolio.abc_months
    with unit_of_work(ctx) as session:
        result = abc_tiers(
            session=session,
            today=today(),
            months=window,
            thresholds=settings.abc_thresholds,
            home_currency=settings.home_currency,
        )
        applied = apply_tiers(session=session, changes=result.changes, now=now()) if apply else 0
    if json_output:
        echo_json({"since": result.since, "until": result.until, "applied": applied, "rows": result.rows})
        return
    notes = [row for row in result.rows if row.note and not row.differs and row.status == "prospect"]
    if not result.changes:
        typer.echo(_("No tier changes suggested."))
    else:
        from amtui.commands.render import table

        a, b = result.thresholds
        typer.echo(
            _("Revenue {since}-{until} ({months} months; A: first {a}, B: to {b}):").format(
                since=short_date(result.since),
                until=short_date(result.until - timedelta(days=1)),
                months=window,
                a=percent(a),
                b=percent(b),
            )
        )
        rows = [
            [
                str(r.client_id),
                r.client_name,
                f"{r.stored} -> {r.suggested}",
                format_money(r.revenue_minor, r.currency) if r.currency else "-",
                percent(r.share_pct),
                r.note or (_("converted at the current rates") if r.converted else ""),
            ]
            for r in result.changes
        ]
        typer.echo(table([_("id"), _("client"), _("tier"), _("revenue"), _("share"), _("note")], rows, right={0, 3, 4}))
        if applied:
            typer.echo(ngettext("Applied {n} tier change.", "Applied {n} tier changes.", applied).format(n=applied))
        else:
            typer.echo(_("Accept them all: amtui abc --apply (or one by one: amtui client edit ID --tier X)"))
    if notes:
        typer.echo(
            ngettext(
                "{n} prospect without revenue keeps its tier.",
                "{n} prospects without revenue keep their tier.",
                len(notes),
            ).format(n=len(notes))
        )


@rate_app.command(
    "set",
    help=_("Set an exchange rate: totals across currencies are then shown converted, marked with the rate's day."),
)
def rate_set(
    ctx: typer.Context,
    currency: Annotated[str, typer.Argument(help=_("Currency code, e.g. EUR."))],
    rate: Annotated[str, typer.Argument(help=_("Units of the home currency for one unit, e.g. 98,50."))],
    on: Annotated[str | None, typer.Option("--on", help=_("Valid from this day (default today)."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services.portfolio import parse_rate, set_rate
    from amtui.services.summary import _rate_text

    value = parse_rate(rate)
    day = parse_day(on, field="--on") if on else today()
    home = _settings().home_currency
    with unit_of_work(ctx) as session:
        saved = set_rate(session=session, currency=currency, rate_e6=value, valid_from=day, home_currency=home)
    if json_output:
        echo_json(saved)
    else:
        typer.echo(
            _("Rate from {date}: 1 {currency} = {rate} {home}").format(
                date=short_date(saved.valid_from), currency=saved.currency, rate=_rate_text(saved.rate), home=home
            )
        )


@rate_app.command("list", help=_("The exchange rates set, by currency and day."))
def rate_list(ctx: typer.Context, json_output: JsonOption = False) -> None:
    from amtui.commands.render import table
    from amtui.services.portfolio import list_rates
    from amtui.services.summary import _rate_text

    home = _settings().home_currency
    with reading(ctx) as connection:
        rates = list_rates(session=connection)
    if json_output:
        echo_json(rates)
        return
    if not rates:
        typer.echo(_("No rates set: amounts in each currency stay apart. Set one: amtui rate set EUR 98,50"))
        return
    typer.echo(
        table(
            [_("currency"), _("in {home}").format(home=home), _("from")],
            [[r.currency, _rate_text(r.rate), short_date(r.valid_from)] for r in rates],
            right={1},
        )
    )


class SummaryKind(str, Enum):
    week = "week"
    month = "month"


class SummaryFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"
    xlsx = "xlsx"
    json = "json"


def _summary_format(value: str) -> SummaryFormat:
    """``--format`` (any case); otherwise one clear line naming the formats, exit 1 (Typer's own check said
    "Value error, 'pdf' is not one of ..." under the usage line)."""
    try:
        return SummaryFormat(value.lower())
    except ValueError:
        fail(
            _("--format: {value} is not a summary format; choose one of: {choices}").format(
                value=repr(value), choices=", ".join(choice.value for choice in SummaryFormat)
            )
        )


def summary_command(
    ctx: typer.Context,
    kind: Annotated[SummaryKind, typer.Argument(help=_("week or month."))],
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=_(
                "A day in the week or month (default: the current one; on its first day, a Monday or the 1st,"
                " the one just ended)."
            ),
        ),
    ] = None,
    fmt_text: Annotated[
        str, typer.Option("--format", metavar="text|markdown|html|xlsx|json", help=_("Output format."))
    ] = SummaryFormat.text.value,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write to this file instead of stdout."))
    ] = None,
    mail_to: Annotated[
        list[str] | None, typer.Option("--mail-to", help=_("Send by SMTP (text + HTML) to this address; repeat."))
    ] = None,
    quiet_if_empty: Annotated[
        bool, typer.Option("--quiet-if-empty", help=_("Print, write and send nothing when there is nothing to say."))
    ] = False,
) -> None:
    from amtui.commands.alerts import _write_atomically
    from amtui.services.portfolio import summary_period
    from amtui.services.summary import build_summary, render_sections_html, render_sections_text, render_summary

    fmt = _summary_format(fmt_text)
    if fmt is SummaryFormat.xlsx and output is None:
        fail(_("--format xlsx needs --output FILE.xlsx"))
    day = parse_day(on, field="--date") if on else None
    recipients: list[str] = []
    mail_settings = None
    if mail_to:
        from amtui.config import load_settings
        from amtui.services.mail import parse_recipients

        recipients = parse_recipients(mail_to)
        mail_settings = load_settings().mail
    period = summary_period(kind.value, day=day, today=today())
    # The modules loaded so far (~50,000 objects) live as long as this short process: out of the collector's
    # sight, the full collection the summary's thousands of rows trigger walks only what they add (25-40 ms
    # of a loaded machine's CPU for the digest's and the summary's one full collection each).
    import gc

    gc.freeze()
    with reading(ctx) as connection:
        summary = build_summary(
            session=connection, kind=kind.value, period=period, now=now(), zone=zone(), settings=_settings()
        )
    if quiet_if_empty and summary.is_empty:
        return
    if output is not None:
        try:
            if fmt is SummaryFormat.xlsx:
                from amtui.services.summary import write_xlsx

                partial = output.expanduser().with_name(f".{output.name}.partial.xlsx")
                write_xlsx(summary.title, summary.sections, partial)
                import os

                os.replace(partial, output.expanduser())
            else:
                _write_atomically(output, render_summary(summary, fmt.value))
        except OSError as exc:
            fail(_("{path}: cannot write: {reason}").format(path=output, reason=exc.strerror or exc))
    elif not recipients:
        typer.echo(render_summary(summary, fmt.value), nl=False)
    if recipients and mail_settings is not None:
        from amtui.services.mail import MailError, send_digest_mail

        try:
            send_digest_mail(
                settings=mail_settings,
                recipients=recipients,
                subject=summary.subject(),
                text=render_sections_text(summary.title, summary.sections),
                html=render_sections_html(summary.title, summary.sections),
            )
        except MailError as exc:
            typer.echo(_("amtui: error: {message}").format(message=exc), err=True)
            raise typer.Exit(EXIT_MAIL_FAILED) from None


def register(app: typer.Typer) -> None:
    app.command(
        "kpi",
        help=_(
            "The KPIs of a period, per currency: invoiced, paid, owed, plan against actual, clients, growth, "
            "upsell, how you work, the weighted pipeline and stalled deals."
        ),
    )(kpi_command)
    app.command(
        "abc",
        help=_(
            "ABC tiers from revenue (Pareto: A the first 80 %, B the next 15 %, C the rest; see [portfolio] in "
            "the config): lists the clients whose computed tier differs from the stored one; --apply stores "
            "them."
        ),
    )(abc_command)
    app.add_typer(rate_app, name="rate")
    app.command(
        "summary",
        help=_(
            "A weekly or monthly summary for management: the KPIs of the period and the one before, calls and "
            "visits by client, meetings without a report, deals, contracts, receivables aging, the next "
            "period's plan.\n\nExit codes as the digest: 0 done, 1 error, 2 usage, 3 mail failed (--output is "
            "still written)."
        ),
    )(summary_command)
