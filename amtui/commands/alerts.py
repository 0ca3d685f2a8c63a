"""``amtui digest``, ``amtui today``, ``amtui alerts``, ``amtui snooze``, ``amtui dismiss``, ``amtui unmark``.

The digest runs from cron: it imports no rich unless it draws on a terminal,
and prints plain text (no ANSI codes) whenever stdout is not a terminal or
NO_COLOR is set.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from amtui.commands.common import echo_json, now, output_target, parse_day, workspace
from amtui.commands.plain import digest_moment, use_colour
from amtui.i18n import _, ngettext
from amtui.vocabulary import AlertKind, one_of

if TYPE_CHECKING:
    from datetime import datetime

    from amtui.services.alerts import Alert

EXIT_MAIL_FAILED = 3


class DigestFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


def _compute(ctx: typer.Context, moment: datetime, **options: Any) -> list[Alert]:
    # Read-only: on a SQLite file at the current schema the engine reads on a plain sqlite3 connection.
    return workspace(ctx, quick=True).alerts(at=moment, **options)


def _write_atomically(path: Path, content: str) -> None:
    from amtui.files import atomic_open

    with atomic_open(path, binary=False) as handle:
        handle.write(content)


def digest_command(
    ctx: typer.Context,
    on: Annotated[
        str | None, typer.Option("--date", help=_("The day to report on (default today): 27.11, +1d, fri..."))
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", min=0, max=366, help=_("Birthdays this many days ahead (default 7)."))
    ] = None,
    fmt: Annotated[DigestFormat, typer.Option("--format", help=_("Output format."))] = DigestFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write to this file instead of stdout."))
    ] = None,
    mail_to: Annotated[
        list[str] | None,
        typer.Option("--mail-to", help=_("Send by SMTP (text + HTML) to this address; repeat for several.")),
    ] = None,
    quiet_if_empty: Annotated[
        bool, typer.Option("--quiet-if-empty", help=_("Print, write and send nothing when nothing is due."))
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help=_("At most this many lines per group in text/markdown/html (0: all)."))
    ] = 25,
) -> None:
    from amtui.services.digest import render, render_html, render_rich, render_text

    day = parse_day(on, field="--date") if on else None
    if output is not None:
        # Checked before any work. The digest file is a report rewritten on every run (cron): it is
        # replaced without --force, but never through a folder or a symlink, and kept private (0600).
        output = output_target(output, force=True)
    recipients: list[str] = []
    settings = None
    if mail_to:
        from amtui.config import check_mail_settings, load_settings
        from amtui.services.mail import parse_recipients

        recipients = parse_recipients(mail_to)
        settings = check_mail_settings(load_settings().mail)  # a config error stops us before any work
    moment = digest_moment(day)
    # Text, Markdown and HTML show each group's first --limit alerts: the engine builds only those of its
    # largest kinds (counted in the database); the JSON lists every alert.
    shown = 0 if fmt is DigestFormat.json else limit
    digest = workspace(ctx, quick=True).digest(at=moment, birthday_days=days, limit=shown)
    if quiet_if_empty and digest.is_empty:
        return
    if output is not None:
        try:
            _write_atomically(output, render(digest, fmt.value, limit=limit))
        except OSError as exc:
            typer.echo(
                _("amtui: error: {message}").format(
                    message=_("{path}: cannot write: {reason}").format(path=output, reason=exc.strerror or exc)
                ),
                err=True,
            )
            raise typer.Exit(1) from None
    elif not recipients:
        if fmt is DigestFormat.text and use_colour():
            from rich.console import Console

            from amtui.commands.output import raw_stream

            # rich writes colour codes itself; render_rich hands it only text made safe.
            render_rich(digest, Console(file=raw_stream(sys.stdout), highlight=False), limit=limit)
        else:
            typer.echo(render(digest, fmt.value, limit=limit), nl=False)
    if recipients and settings is not None:
        from amtui.services.mail import MailError, send_digest_mail

        try:
            send_digest_mail(
                settings=settings,
                recipients=recipients,
                subject=digest.subject(),
                text=render_text(digest, limit=limit),
                html=render_html(digest, limit=limit),
            )
        except MailError as exc:
            typer.echo(_("amtui: error: {message}").format(message=exc), err=True)
            raise typer.Exit(EXIT_MAIL_FAILED) from None


def _line(alert: Alert) -> str:
    from amtui.services.alerts import Severity
    from amtui.services.digest import MARKERS

    mark = f"  ({alert.mark}" + (f" until {alert.snoozed_until:%d.%m.%Y})" if alert.snoozed_until else ")")
    return f"{MARKERS[Severity(alert.severity)]} {alert.id:<16} {alert.text}" + (mark if alert.mark else "")


def alerts_command(
    ctx: typer.Context,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            "-k",
            help=_("Only these kinds (repeat or comma-separate): {values}.").format(values=one_of(AlertKind)),
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help=_("Include snoozed and dismissed alerts."))] = False,
    days: Annotated[
        int | None, typer.Option("--days", min=0, max=366, help=_("Birthdays this many days ahead."))
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help=_("Print the alerts as JSON for scripts."))] = False,
) -> None:
    from amtui.services.alerts import parse_kinds
    from amtui.services.digest import alert_to_dict

    kinds = parse_kinds(kind)
    alerts = _compute(ctx, now(), birthday_days=days, include_marked=show_all, kinds=kinds)
    if json_output:
        echo_json([alert_to_dict(alert) for alert in alerts])
        return
    if not alerts:
        typer.echo(_("No alerts. Nothing is due."))
        return
    for alert in alerts:
        typer.echo(_line(alert))
    typer.echo(
        "\n"
        + ngettext(
            "{n} alert. Snooze: amtui snooze ID --until DATE; dismiss: amtui dismiss ID",
            "{n} alerts. Snooze: amtui snooze ID --until DATE; dismiss: amtui dismiss ID",
            len(alerts),
        ).format(n=len(alerts))
    )


def today_command(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help=_("Print the sections as JSON for scripts."))] = False,
) -> None:
    from amtui.services.digest import alert_to_dict

    view = workspace(ctx).today_view()
    if json_output:
        echo_json(
            {
                "date": view.today.isoformat(),
                "today": [alert_to_dict(a) for a in view.agenda],
                "late": [alert_to_dict(a) for a in view.late],
                "coming": [alert_to_dict(a) for a in view.coming],
                "backlog": [{"kind": b.kind, "count": b.count, "summary": b.summary} for b in view.backlog],
            }
        )
        return
    from amtui.services.digest import weekday_name
    from amtui.services.locale_format import short_date

    typer.echo(_("Today, {weekday} {date}").format(weekday=weekday_name(view.today), date=short_date(view.today)))
    if view.clients == 0:
        typer.echo(
            _(
                "No clients yet: amtui client add NAME, amtui import clients FILE (CSV, Excel, vCard),"
                " or amtui demo to try amtui on demo data"
            )
        )
    typer.echo("\n".join(_line(a) for a in view.agenda) if view.agenda else "  " + _("nothing planned"))
    if view.late:
        typer.echo("\n" + _("Late ({n})").format(n=len(view.late)))
        typer.echo("\n".join(_line(a) for a in view.late))
    if view.coming:
        typer.echo("\n" + _("Coming up"))
        typer.echo("\n".join(_line(a) for a in view.coming))
    if view.backlog:
        typer.echo("\n" + _("Also open"))
        for line in view.backlog:
            typer.echo(f"  {line.title}: {line.summary}  (amtui alerts --kind {line.kind})")


def snooze_command(
    ctx: typer.Context,
    alert_id: Annotated[
        str, typer.Argument(metavar="ID", help=_("The alert's id, e.g. invoice:42 (see amtui alerts)."))
    ],
    until: Annotated[str, typer.Option("--until", help=_("The day it shows again: tomorrow, +3d, mon, 01.12..."))],
) -> None:
    from amtui.services.locale_format import short_date

    day = parse_day(until, field="--until")
    alert = workspace(ctx).snooze_alert(alert_id, day)
    typer.echo(_("Snoozed until {date}: {alert}").format(date=short_date(day), alert=alert.text))


def dismiss_command(
    ctx: typer.Context,
    alert_id: Annotated[
        str, typer.Argument(metavar="ID", help=_("The alert's id, e.g. invoice:42 (see amtui alerts)."))
    ],
) -> None:
    alert = workspace(ctx).dismiss_alert(alert_id)
    typer.echo(_("Dismissed: {alert}").format(alert=alert.text))


def unmark_command(
    ctx: typer.Context,
    alert_id: Annotated[str, typer.Argument(metavar="ID", help=_("A snoozed or dismissed alert's id."))],
) -> None:
    from amtui.services.errors import NotFoundError

    if not workspace(ctx).restore_alert(alert_id):
        raise NotFoundError(_("{id} is neither snoozed nor dismissed").format(id=repr(alert_id.strip())))
    typer.echo(_("{id} is back.").format(id=alert_id.strip()))


def register(app: typer.Typer) -> None:
    app.command(
        "digest",
        help=(
            _("The morning summary: what is late, what is due today, what is coming, grouped by urgency.")
            + "\n\n"
            + _(
                "Exit codes: 0 done (also when nothing is due), 1 error (bad option, database), 2 usage, 3 "
                "mail failed (the --output file is still written)."
            )
            + "\n\n"
            + _(
                "Piped, under cron, with NO_COLOR or TERM=dumb the text has no colour codes. A crontab line "
                "for 07:00 on working days (use the venv's amtui by its full path; the SMTP password only from "
                "the environment):"
            )
            + "\n\n"
            + "\b\n  AMTUI_SMTP_PASSWORD=secret\n"
            "  0 7 * * 1-5  /home/me/amtui/.venv/bin/amtui digest --quiet-if-empty --mail-to me@example.com"
            + "\n\n"
            + _(
                "SMTP: config file [mail] host, port, security (none, starttls, ssl), user, from; or "
                "AMTUI_SMTP_HOST, AMTUI_SMTP_PORT, AMTUI_SMTP_SECURITY, AMTUI_SMTP_USER, AMTUI_SMTP_PASSWORD, "
                "AMTUI_MAIL_FROM."
            )
        ),
    )(digest_command)
    app.command("today", help=_("Today's agenda (calls, visits, tasks, birthdays) and what is late."))(today_command)
    app.command("alerts", help=_("Every open alert, most urgent first, with the id to snooze or dismiss it by."))(
        alerts_command
    )
    app.command("snooze", help=_("Hide an alert until a day; it comes back earlier if its facts change."))(
        snooze_command
    )
    app.command(
        "dismiss", help=_("Hide an alert for good; it comes back only if its facts change (new date, payment...).")
    )(dismiss_command)
    app.command("unmark", help=_("Bring back a snoozed or dismissed alert."))(unmark_command)
