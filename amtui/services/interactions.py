"""Calls, visits, meetings and messages: logged when done, planned ahead, moved, cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from amtui.i18n import _
from amtui.models import Client, Interaction, InteractionContact
from amtui.models.base import Direction, InteractionKind, InteractionStatus
from amtui.services import reads
from amtui.services.entries import check_aware as _check_aware
from amtui.services.entries import check_contacts as _check_contacts
from amtui.services.entries import check_direction
from amtui.services.entries import check_kind as _check_kind
from amtui.services.entries import create_interaction as _create
from amtui.services.entries import log_interaction as log_interaction
from amtui.services.errors import NotFoundError, ValidationError
from amtui.services.limits import check_lengths
from amtui.services.schemas import InteractionRead
from amtui.services.store import store_of


def plan_interaction(
    *,
    session: Session,
    client_id: int,
    kind: str,
    at: datetime,
    duration_min: int | None = None,
    contact_ids: Sequence[int] = (),
    subject: str | None = None,
    place: str | None = None,
    city: str | None = None,
    external_id: str | None = None,
    repeat: str | None = None,
) -> InteractionRead:
    """Plan one; ``repeat`` (an RRULE value, :func:`amtui.services.recurrence.make_rule`) starts a series."""
    if duration_min is not None and not 0 < duration_min <= 24 * 60:
        raise ValidationError(
            _("{duration_min}: duration is 1 to 1440 minutes").format(duration_min=duration_min), field="duration"
        )
    if city is None and kind in (InteractionKind.VISIT, InteractionKind.MEETING):
        client = session.get(Client, client_id)
        city = client.city if client else None
    planned = _create(
        session,
        client_id=client_id,
        contact_ids=contact_ids,
        kind=_check_kind(kind),
        direction=Direction.OUTBOUND,
        status=InteractionStatus.PLANNED,
        planned_at=_check_aware(at, "at"),
        duration_min=duration_min,
        subject=subject,
        place=place,
        city=city,
        external_id=external_id,
    )
    if not repeat:
        return planned
    from amtui.services.recurrence import start_series

    record = _get(session, planned.id)
    assert record.planned_at is not None
    start_series(record, repeat, record.planned_at)
    return _touch(session, record)


def _get(session: Session, interaction_id: int) -> Interaction:
    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise NotFoundError(_("no interaction with id {interaction_id}").format(interaction_id=interaction_id))
    return interaction


def _touch(session: Session, interaction: Interaction) -> InteractionRead:
    interaction.updated_at = datetime.now(UTC)
    check_lengths(interaction)
    session.add(interaction)
    session.flush()
    assert interaction.id is not None
    return get_interaction(session=session, interaction_id=interaction.id)


def reschedule(
    *, session: Session, interaction_id: int, at: datetime, duration_min: int | None = None
) -> InteractionRead:
    interaction = _get(session, interaction_id)
    if interaction.status == InteractionStatus.DONE:
        raise ValidationError(_("a done interaction cannot be moved"), field="status")
    interaction.planned_at = _check_aware(at, "at")
    interaction.status = InteractionStatus.PLANNED
    if duration_min is not None:
        interaction.duration_min = duration_min
    return _touch(session, interaction)


def cancel(*, session: Session, interaction_id: int) -> InteractionRead:
    interaction = _get(session, interaction_id)
    if interaction.status == InteractionStatus.DONE:
        raise ValidationError(_("a done interaction cannot be cancelled"), field="status")
    interaction.status = InteractionStatus.CANCELLED
    return _touch(session, interaction)


def mark_done(*, session: Session, interaction_id: int, at: datetime, outcome: str | None = None) -> InteractionRead:
    interaction = _get(session, interaction_id)
    interaction.status = InteractionStatus.DONE
    interaction.done_at = _check_aware(at, "at")
    if outcome:
        interaction.outcome = outcome
    return _touch(session, interaction)


def close_planned(
    *,
    session: Session,
    interaction_id: int,
    at: datetime,
    direction: str | None = None,
    contact_ids: Sequence[int] = (),
    subject: str | None = None,
    outcome: str | None = None,
    needs_reply: bool = False,
) -> InteractionRead:
    """A planned call/visit/meeting took place: it becomes the done one (no second row, no "missed")."""
    interaction = _get(session, interaction_id)
    if interaction.status == InteractionStatus.DONE:
        raise ValidationError(
            _("interaction {interaction_id} is already done").format(interaction_id=interaction_id), field="close"
        )
    if direction is not None:
        interaction.direction = check_direction(direction)
    _check_contacts(session, interaction.client_id, contact_ids)
    linked = set(
        session.execute(
            select(col(InteractionContact.contact_id)).where(col(InteractionContact.interaction_id) == interaction_id)
        ).scalars()
    )
    for contact_id in dict.fromkeys(contact_ids):
        if contact_id not in linked:
            session.add(InteractionContact(interaction_id=interaction_id, contact_id=contact_id))
    interaction.status = InteractionStatus.DONE
    interaction.done_at = _check_aware(at, "at")
    if subject:
        interaction.subject = subject
    if outcome:
        interaction.outcome = outcome
    interaction.needs_reply = needs_reply and interaction.direction == Direction.INBOUND
    return _touch(session, interaction)


def reopen(*, session: Session, interaction_id: int) -> InteractionRead:
    """Undo "done" or "cancelled" on a planned interaction: it is planned again, its touch gone."""
    interaction = _get(session, interaction_id)
    if interaction.planned_at is None:
        raise ValidationError(
            _("interaction {interaction_id} was logged, not planned: nothing to reopen").format(
                interaction_id=interaction_id
            ),
            field="status",
        )
    if interaction.status == InteractionStatus.PLANNED:
        raise ValidationError(
            _("interaction {interaction_id} is already planned").format(interaction_id=interaction_id), field="status"
        )
    interaction.status = InteractionStatus.PLANNED
    interaction.done_at = None
    return _touch(session, interaction)


def mark_replied(
    *, session: Session, interaction_id: int, at: datetime, client_id: int | None = None
) -> InteractionRead:
    """The inbound message ``interaction_id`` (of ``client_id``, when given) has been answered: its
    "unanswered" alert goes."""
    interaction = _get(session, interaction_id)
    if interaction.direction != Direction.INBOUND:
        raise ValidationError(
            _("interaction {interaction_id} is not a message from the client").format(interaction_id=interaction_id),
            field="replies-to",
        )
    if client_id is not None and interaction.client_id != client_id:
        raise ValidationError(
            _("message {interaction_id} is from another client").format(interaction_id=interaction_id),
            field="replies-to",
        )
    interaction.replied_at = _check_aware(at, "at")
    interaction.needs_reply = False
    return _touch(session, interaction)


def answer_message(*, session: Session, interaction_id: int, at: datetime, note: str | None = None) -> InteractionRead:
    """Answer an inbound message: log the reply (outbound, the same kind; a touch) and mark the message answered.

    Returns the reply."""
    message = _get(session, interaction_id)
    subject = note or (f"Re: {message.subject}" if message.subject else None)
    mark_replied(session=session, interaction_id=interaction_id, at=at)
    return log_interaction(session=session, client_id=message.client_id, kind=message.kind, at=at, subject=subject)


def update_interaction(*, session: Session, interaction_id: int, **changes: Any) -> InteractionRead:
    allowed = {"subject", "outcome", "place", "city", "duration_min"}
    interaction = _get(session, interaction_id)
    for key, value in changes.items():
        if key not in allowed:
            raise ValidationError(_("{key} cannot be changed here").format(key=repr(key)), field=key)
        setattr(interaction, key, value)
    return _touch(session, interaction)


def get_interaction(*, session: Session, interaction_id: int) -> InteractionRead:
    found = reads.get_interaction(store_of(session), interaction_id)
    if found is None:
        raise NotFoundError(_("no interaction with id {interaction_id}").format(interaction_id=interaction_id))
    return found


def list_for_client(*, session: Session, client_id: int, limit: int = 50) -> list[InteractionRead]:
    """The client's timeline, newest first: done, cancelled and missed ones."""
    return reads.list_for_client(store_of(session), client_id, limit)


def list_planned(
    *,
    session: Session,
    start: datetime,
    end: datetime,
    client_id: int | None = None,
    kinds: Sequence[str] = (),
) -> list[InteractionRead]:
    """Planned interactions starting in [start, end), in time order."""
    return reads.list_planned(store_of(session), start=start, end=end, client_id=client_id, kinds=kinds)


def list_in_range(*, session: Session, start: datetime, end: datetime) -> list[InteractionRead]:
    """Everything planned in [start, end) whatever its status: the planner's week."""
    return reads.list_in_range(store_of(session), start=start, end=end)
