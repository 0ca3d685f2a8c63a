"""Meeting reports: written after every visit or meeting; next steps become tasks."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import delete, select
from sqlmodel import Session, col

from amtui.i18n import _
from amtui.models import Client, Contact, Interaction, MeetingReport, NextStep, ReportAttendee, Task
from amtui.models.base import REPORTED_KINDS, InteractionStatus, TaskStatus
from amtui.services.colleagues import resolve_colleague
from amtui.services.errors import NotFoundError, ValidationError
from amtui.services.limits import check_lengths
from amtui.services.sanitize import safe_display
from amtui.services.schemas import NextStepRead, ReportRead, read_of
from amtui.services.tasks import create_task
from amtui.services.workweek import WorkWeek
from amtui.vocabulary import report_title


@dataclass(frozen=True, slots=True)
class NextStepInput:
    text: str
    owner: str | None = None
    due_on: date | None = None


def save_report(
    *,
    session: Session,
    interaction_id: int,
    now: datetime,
    zone: tzinfo,
    attendee_ids: Sequence[int] = (),
    other_attendees: str | None = None,
    agenda: str | None = None,
    agreements: str | None = None,
    next_steps: Sequence[NextStepInput] = (),
    week: WorkWeek | None = None,
) -> ReportRead:
    """Create or replace the report of a visit/meeting.

    Each next step with a due date becomes a task (delegated when it has an
    owner other than the user, checked in on in ``week``'s working time); a step
    that already has a task keeps it, updated. An owner is a colleague by name:
    "петров" is the "Петров (логистика)" already given tasks.
    """
    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise NotFoundError(_("no interaction with id {interaction_id}").format(interaction_id=interaction_id))
    if interaction.kind not in REPORTED_KINDS:
        raise ValidationError(_("reports are written for visits and meetings"), field="interaction")
    if interaction.status == InteractionStatus.PLANNED:
        # Writing the report is how the user says the meeting took place.
        interaction.status = InteractionStatus.DONE
        interaction.done_at = interaction.planned_at or now
        check_lengths(interaction)
        session.add(interaction)
    for position, step in enumerate(next_steps):
        if not step.text.strip():
            raise ValidationError(
                _("next step {position_1} has no text").format(position_1=position + 1), field="next_steps"
            )
    owners: dict[int | None, int | None] = dict(
        session.execute(select(col(Contact.id), col(Contact.client_id)).where(col(Contact.id).in_(attendee_ids))).all()
    )
    for contact_id in attendee_ids:
        if owners.get(contact_id) != interaction.client_id:
            raise ValidationError(
                _("contact {contact_id} is not a contact of this client").format(contact_id=contact_id),
                field="attendees",
            )

    report = session.scalar(select(MeetingReport).where(col(MeetingReport.interaction_id) == interaction_id))
    if report is None:
        report = MeetingReport(interaction_id=interaction_id, client_id=interaction.client_id, created_at=now)
    report.other_attendees = (other_attendees or "").strip() or None
    report.agenda = (agenda or "").strip() or None
    report.agreements = (agreements or "").strip() or None
    report.updated_at = now
    check_lengths(report)
    session.add(report)
    session.flush()
    assert report.id is not None

    session.execute(delete(ReportAttendee).where(col(ReportAttendee.report_id) == report.id))
    for contact_id in dict.fromkeys(attendee_ids):
        session.add(ReportAttendee(report_id=report.id, contact_id=contact_id))

    old_steps = list(
        session.scalars(select(NextStep).where(col(NextStep.report_id) == report.id).order_by(col(NextStep.position)))
    )
    tasks_by_text = {step.text: step.task_id for step in old_steps if step.task_id}
    kept_tasks: set[int] = set()
    for old_step in old_steps:
        session.delete(old_step)
    session.flush()
    for position, given_step in enumerate(next_steps):
        step = _with_known_owner(session, given_step)
        text = step.text.strip()
        task_id = tasks_by_text.get(text)
        if task_id is not None:
            task = session.get(Task, task_id)
            if task is not None:
                task.due_on = step.due_on
                task.assignee = step.owner
                check_lengths(task)
                session.add(task)
                kept_tasks.add(task_id)
        elif step.due_on is not None:
            task_id = create_task(
                session=session,
                title=text,
                now=now,
                zone=zone,
                due_on=step.due_on,
                client_id=interaction.client_id,
                assignee=step.owner,
                report_id=report.id,
                week=week,
            ).id
            kept_tasks.add(task_id)
        session.add(
            NextStep(
                report_id=report.id,
                position=position,
                text=text,
                owner=step.owner,
                due_on=step.due_on,
                task_id=task_id,
            )
        )
    # Steps removed from the report take their still-open tasks with them.
    for orphan in set(tasks_by_text.values()) - kept_tasks:
        task = session.get(Task, orphan)
        if task is not None and task.status == TaskStatus.OPEN:
            task.status = TaskStatus.CANCELLED
            check_lengths(task)
            session.add(task)
    session.flush()
    return get_report(session=session, report_id=report.id)


def mark_sent(*, session: Session, report_id: int, now: datetime) -> ReportRead:
    report = session.get(MeetingReport, report_id)
    if report is None:
        raise NotFoundError(_("no meeting report with id {report_id}").format(report_id=report_id))
    report.sent_at = now
    check_lengths(report)
    session.add(report)
    session.flush()
    return get_report(session=session, report_id=report_id)


def get_report(*, session: Session, report_id: int) -> ReportRead:
    report = session.get(MeetingReport, report_id)
    if report is None:
        raise NotFoundError(_("no meeting report with id {report_id}").format(report_id=report_id))
    interaction = session.get(Interaction, report.interaction_id)
    client = session.get(Client, report.client_id)
    assert interaction is not None and client is not None and report.id is not None
    attendees = session.execute(
        select(col(Contact.id), col(Contact.full_name))
        .join(ReportAttendee, col(ReportAttendee.contact_id) == col(Contact.id))
        .where(col(ReportAttendee.report_id) == report.id)
        .order_by(col(Contact.full_name))
    ).all()
    steps = session.scalars(
        select(NextStep).where(col(NextStep.report_id) == report.id).order_by(col(NextStep.position))
    )
    return ReportRead(
        id=report.id,
        interaction_id=report.interaction_id,
        client_id=report.client_id,
        client_name=client.name,
        interaction_kind=interaction.kind,
        held_at=interaction.done_at or interaction.planned_at,
        place=interaction.place or interaction.city,
        attendee_ids=tuple(row[0] for row in attendees),
        attendee_names=tuple(row[1] for row in attendees),
        other_attendees=report.other_attendees,
        agenda=report.agenda,
        agreements=report.agreements,
        next_steps=tuple(read_of(NextStepRead, step) for step in steps),
        sent_at=report.sent_at,
        created_at=report.created_at,
        client_language=client.language,
    )


def report_for_interaction(*, session: Session, interaction_id: int) -> ReportRead | None:
    report_id = session.scalar(select(col(MeetingReport.id)).where(col(MeetingReport.interaction_id) == interaction_id))
    return None if report_id is None else get_report(session=session, report_id=report_id)


def list_reports(*, session: Session, client_id: int, limit: int = 20) -> list[ReportRead]:
    ids = session.scalars(
        select(col(MeetingReport.id))
        .where(col(MeetingReport.client_id) == client_id)
        .order_by(col(MeetingReport.created_at).desc())
        .limit(limit)
    )
    return [get_report(session=session, report_id=report_id) for report_id in ids if report_id is not None]


def render_report(report: ReportRead, *, zone: tzinfo, markdown: bool = False, language: str | None = None) -> str:
    """The report as text to paste into an e-mail to the client (plain or Markdown).

    It comes out in ``language``, else the client's language, else the interface's: the headings
    from the catalogs, dates by that language, the layout from the user's editable template
    (``report.md``/``report.txt``, see :mod:`amtui.services.templates`), around the user's own words.
    """
    from amtui.i18n import translator
    from amtui.services.locale_format import format_date
    from amtui.services.templates import render_template

    t = translator(language or report.client_language)
    lang = t.language
    held = ""
    if report.held_at:
        local = report.held_at.astimezone(zone)
        held = f"{format_date(local.date(), language=lang, weekday=False)} {local:%H:%M}"
    title = report_title(report.interaction_kind, lang)
    people = ", ".join([*report.attendee_names, *([report.other_attendees] if report.other_attendees else [])])
    heading = f"{title}: {report.client_name}, {held}".rstrip(", ")
    place_label, people_label = t._("Place"), t._("Attendees")
    agenda_label, agreements_label, steps_label = t._("Agenda"), t._("Agreements"), t._("Next steps")
    steps = [_step_line(step, lang) for step in report.next_steps]
    if markdown:
        blocks = {
            "heading": f"# {heading}",
            "place": f"**{place_label}:** {report.place}" if report.place else "",
            "attendees": f"**{people_label}:** {people}" if people else "",
            "agenda": f"## {agenda_label}\n\n{report.agenda}" if report.agenda else "",
            "agreements": f"## {agreements_label}\n\n{report.agreements}" if report.agreements else "",
            "next_steps": f"## {steps_label}\n\n" + "\n".join(f"- {line}" for line in steps) if steps else "",
        }
    else:
        blocks = {
            "heading": f"{heading}\n{'=' * len(heading)}",
            "place": f"{place_label}: {report.place}" if report.place else "",
            "attendees": f"{people_label}: {people}" if people else "",
            "agenda": f"{agenda_label}:\n{report.agenda}" if report.agenda else "",
            "agreements": f"{agreements_label}:\n{report.agreements}" if report.agreements else "",
            "next_steps": f"{steps_label}:\n" + "\n".join(f"  {n}. {line}" for n, line in enumerate(steps, 1))
            if steps
            else "",
        }
    text = render_template(
        "report.md" if markdown else "report.txt",
        lang,
        client=report.client_name,
        date=held,
        kind=title,
        **blocks,
    )
    # Pasted into a mail or copied through the terminal: names an older database holds raw are shown, not run.
    return safe_display(text)


def _step_line(step: NextStepRead, language: str) -> str:
    from amtui.services.locale_format import format_date

    due = format_date(step.due_on, language=language, weekday=False) if step.due_on else None
    extras = [part for part in (step.owner, due) if part]
    return f"{step.text} ({', '.join(extras)})" if extras else step.text


def interactions_without_report(*, session: Session, client_id: int | None = None) -> list[int]:
    """Done visits/meetings with no report yet (ids), oldest first."""
    statement = (
        select(col(Interaction.id))
        .outerjoin(MeetingReport, col(MeetingReport.interaction_id) == col(Interaction.id))
        .where(
            col(Interaction.status) == InteractionStatus.DONE,
            col(Interaction.kind).in_(REPORTED_KINDS),
            col(MeetingReport.id).is_(None),
        )
        .order_by(col(Interaction.done_at))
    )
    if client_id is not None:
        statement = statement.where(col(Interaction.client_id) == client_id)
    return [i for i in session.scalars(statement) if i is not None]


def _with_known_owner(session: Session, step: NextStepInput) -> NextStepInput:
    if not step.owner or not step.owner.strip():
        return step
    return dataclasses.replace(step, owner=resolve_colleague(session=session, name=step.owner))
