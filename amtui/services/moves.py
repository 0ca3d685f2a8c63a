"""Moving a planned call/visit/meeting or a task (one occurrence or this and following), and rule 19:
"if a deadline moves, warn the client before it passes".

A task that came from a meeting report (``report_id``: a next step promised to the client) moved past
its due date, or a planned visit or meeting moved, is a change the client must hear about. The
mover says whether the client was told (``told``): not told, a "tell the client" task due today is
added, its note written from the ``tell_client.txt`` template in the client's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from amtui.models import Client, Contact, Interaction, Task
from amtui.services import recurrence
from amtui.services.errors import NotFoundError, ValidationError
from amtui.services.promises import aware as _aware
from amtui.services.promises import fmt_day as _fmt_day
from amtui.services.promises import fmt_moment as _fmt_moment
from amtui.services.promises import interaction_promise, task_promise
from amtui.services.schemas import InteractionRead, TaskRead
from amtui.vocabulary import InteractionStatus

if TYPE_CHECKING:
    from sqlmodel import Session

    from amtui.services.workweek import WorkWeek


@dataclass(frozen=True, slots=True)
class Moved:
    """What a move did: the moved ``item``; ``promise`` says what the client was promised (None: a move
    the client need not hear about); ``tell_task`` the "tell the client" task added (not told)."""

    item: Any  # InteractionRead or TaskRead
    promise: str | None = None
    told: bool | None = None
    tell_task: TaskRead | None = None


def move_interaction(
    *,
    session: Session,
    interaction_id: int,
    at: datetime,
    zone: tzinfo,
    now: datetime,
    following: bool = False,
    told: bool | None = None,
) -> Moved:
    """Move a planned call/visit/meeting: this occurrence only, or (``following``) this and the rest of its
    series. A visit or meeting moved and the client not told (``told`` False or None): a "tell the client" task."""
    from amtui.services.interactions import get_interaction

    record = session.get(Interaction, interaction_id)
    if record is None:
        raise NotFoundError(f"no interaction with id {interaction_id}")
    if record.status == InteractionStatus.DONE:
        raise ValidationError("a done interaction cannot be moved", field="status")
    if at.utcoffset() is None:
        raise ValidationError("a time zone is required", field="at")
    old = record.planned_at
    record.planned_at = at.astimezone(UTC)
    record.status = InteractionStatus.PLANNED
    record.updated_at = now
    if following:
        recurrence.split_series(session, Interaction, record, at.astimezone(UTC))
    session.add(record)
    session.flush()
    item: InteractionRead = get_interaction(session=session, interaction_id=interaction_id)
    promise = interaction_promise(record.kind, record.subject, old, at, zone)
    tell = None
    if promise is not None and not told:
        what = f"{record.kind} {record.subject or ''}".strip()
        tell = _tell_task(
            session,
            client_id=record.client_id,
            what=what,
            old=_fmt_moment(_aware(old), zone) if old else "",
            new=_fmt_moment(at, zone),
            now=now,
            zone=zone,
        )
    return Moved(item, promise, told, tell)


def move_task(
    *,
    session: Session,
    task_id: int,
    due_on: date,
    now: datetime,
    zone: tzinfo,
    week: WorkWeek | None = None,
    following: bool = False,
    told: bool | None = None,
) -> Moved:
    """A task's new due date (this occurrence, or ``following``: the rest of its series too); a next step
    promised at a meeting moved past its date and the client not told: a "tell the client" task."""
    from amtui.services.tasks import reschedule_task

    record = session.get(Task, task_id)
    if record is None:
        raise NotFoundError(f"no task with id {task_id}")
    old = record.due_on
    if following:
        recurrence.split_series(session, Task, record, due_on)
        session.add(record)
        session.flush()
    item = reschedule_task(session=session, task_id=task_id, due_on=due_on, now=now, zone=zone, week=week)
    if record.report_id is not None:
        from sqlalchemy import update

        from amtui.models import NextStep

        session.execute(update(NextStep).where(NextStep.task_id == task_id).values(due_on=due_on))  # type: ignore[arg-type]
    promise = task_promise(record.report_id, record.title, old, due_on)
    tell = None
    if promise is not None and not told and old is not None:
        tell = _tell_task(
            session,
            client_id=record.client_id,
            what=record.title,
            old=_fmt_day(old),
            new=_fmt_day(due_on),
            now=now,
            zone=zone,
        )
    return Moved(item, promise, told, tell)


def _tell_task(
    session: Session, *, client_id: int | None, what: str, old: str, new: str, now: datetime, zone: tzinfo
) -> TaskRead:
    """The "tell the client" task due today; its note is the ``tell_client.txt`` message in the client's language."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from amtui.i18n import _, translator
    from amtui.services.tasks import create_task
    from amtui.services.templates import render_template

    client = session.get(Client, client_id) if client_id is not None else None
    language = client.language if client else None
    who = None
    if client is not None:
        people = session.execute(
            select(Contact)
            .where(col(Contact.client_id) == client.id)
            # The decision maker first (a NULL role sorts after it too).
            .order_by(func.coalesce(col(Contact.role), "") != "decision_maker", col(Contact.id))
        ).scalars()
        first = next(iter(people), None)
        if first is not None:
            who = (
                f"{first.given_name} {first.middle_name}" if first.given_name and first.middle_name else first.full_name
            )
    words = translator(language)
    message = words._("{what}: the date moves from {old} to {new}.").format(what=what, old=old, new=new)
    note = render_template(
        "tell_client.txt", language, name=who or (client.name if client else ""), message=message,
        client=client.name if client else "",
    )  # fmt: skip
    title = _("Tell the client: {what} moves from {old} to {new}").format(what=what, old=old, new=new)
    return create_task(
        session=session,
        title=title[:500],
        now=now,
        zone=zone,
        due_on=now.astimezone(zone).date(),
        client_id=client_id,
        priority="high",
        notes=note,
    )
