"""``amtui report ...``: the meeting report owed after every visit or meeting."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from amtui.commands.common import echo_json, now, parse_day, unit_of_work, zone
from amtui.i18n import _, ngettext

report_app = typer.Typer(help=_("Meeting reports: write one after every visit or meeting."), no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print the result as JSON for scripts."))]


STEP_FORMAT = "'what; owner; due', e.g. 'Отправить КП; Петров; пт' or 'Отправить КП; ; пт'"


def _step_error(text: str, why: str) -> Exception:
    from amtui.services.errors import ValidationError

    return ValidationError(f"{text!r}: {why} (format: {STEP_FORMAT})", field="--step")


def _reads_as_day(text: str) -> bool:
    from amtui.services.errors import ValidationError

    try:
        parse_day(text, field="--step due")
    except ValidationError:
        return False
    return True


def _parse_step(text: str) -> tuple[str, str | None, str | None]:
    """``"Send the offer; Петров; fri"`` -> text, owner, due (owner and due optional).

    ``"Send the offer; fri"`` has a due date and no owner. Written with commas
    (``"Отправить КП, пт"``), a last part that reads as a date is the due date when the
    rest is one piece; with more commas it is refused rather than guessed at."""
    if ";" not in text and "," in text:
        head, _, last = text.rpartition(",")
        if _reads_as_day(last.strip()):
            if "," in head:
                raise _step_error(text, "cannot tell the owner from the text with commas: separate them with ';'")
            text = f"{head};;{last}"
    parts = [part.strip() for part in text.split(";")]
    if not parts[0]:
        raise _step_error(text, "a step needs text")
    if len(parts) > 3:
        raise _step_error(text, "too many ';'")
    if len(parts) == 2 and _reads_as_day(parts[1]):
        parts = [parts[0], "", parts[1]]
    owner = parts[1] if len(parts) > 1 and parts[1] else None
    due = parts[2] if len(parts) > 2 and parts[2] else None
    return parts[0], owner, due


@report_app.command(
    "write", help=_("Write (or rewrite) the report of a visit or meeting; next steps with a date become tasks.")
)
def report_write(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help=_("The visit or meeting (its id)."), metavar="ID")],
    agenda: Annotated[str | None, typer.Option(help=_("What was discussed."))] = None,
    agreements: Annotated[str | None, typer.Option(help=_("What was agreed."))] = None,
    attendee: Annotated[list[str] | None, typer.Option(help=_("A client contact present (repeat)."))] = None,
    others: Annotated[str | None, typer.Option(help=_("Others present (colleagues, guests)."))] = None,
    step: Annotated[
        list[str] | None,
        typer.Option(help=_("Next step 'what; owner; due' (repeat); with a due date it becomes a task.")),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.config import work_week
    from amtui.services import contacts, interactions, reports
    from amtui.services.reports import NextStepInput

    steps = []
    for raw in step or []:
        text, owner, due = _parse_step(raw)
        steps.append(NextStepInput(text=text, owner=owner, due_on=parse_day(due, field="--step due") if due else None))
    with unit_of_work(ctx) as session:
        meeting = interactions.get_interaction(session=session, interaction_id=interaction_id)
        attendee_ids = [
            contacts.resolve_contact(session=session, client_id=meeting.client_id, ref=name).id
            for name in attendee or []
        ]
        saved = reports.save_report(
            session=session,
            interaction_id=interaction_id,
            now=now(),
            zone=zone(),
            attendee_ids=attendee_ids,
            other_attendees=others,
            agenda=agenda,
            agreements=agreements,
            next_steps=steps,
            week=work_week(),
        )
    if json_output:
        echo_json(saved)
        return
    made = [s for s in saved.next_steps if s.task_id]
    typer.echo(
        ngettext(
            "Saved report {id} for {client}; {n} next step is a task.",
            "Saved report {id} for {client}; {n} next steps are tasks.",
            len(made),
        ).format(id=saved.id, client=saved.client_name, n=len(made))
    )
    for undated in (s for s in saved.next_steps if not s.task_id and not s.due_on):
        typer.echo(
            _("Step {step} has no due date, so it is not a task (format: {format}).").format(
                step=repr(undated.text), format=STEP_FORMAT
            )
        )
    typer.echo(_("Send it: amtui report show {id} --markdown, then amtui report sent {id}").format(id=interaction_id))


@report_app.command("show", help=_("The report as text ready to e-mail to the client."))
def report_show(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help=_("The visit or meeting (its id)."), metavar="ID")],
    markdown: Annotated[bool, typer.Option("--markdown", help=_("Markdown instead of plain text."))] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("Write to this file."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import reports
    from amtui.services.errors import NotFoundError

    with unit_of_work(ctx) as session:
        report = reports.report_for_interaction(session=session, interaction_id=interaction_id)
    if report is None:
        raise NotFoundError(f"interaction {interaction_id} has no report yet: amtui report write {interaction_id}")
    if json_output:
        echo_json(report)
        return
    text = reports.render_report(report, zone=zone(), markdown=markdown)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(_("Written {path}").format(path=output))
    else:
        typer.echo(text, nl=False)


@report_app.command("sent", help=_("Mark the report as sent to the client."))
def report_sent(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help=_("The visit or meeting (its id)."), metavar="ID")],
) -> None:
    from amtui.services import reports
    from amtui.services.errors import NotFoundError

    with unit_of_work(ctx) as session:
        report = reports.report_for_interaction(session=session, interaction_id=interaction_id)
        if report is None:
            raise NotFoundError(f"interaction {interaction_id} has no report yet: amtui report write {interaction_id}")
        reports.mark_sent(session=session, report_id=report.id, now=now())
    typer.echo(_("Report {id} marked as sent.").format(id=report.id))


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
