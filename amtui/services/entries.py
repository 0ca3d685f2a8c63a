"""The day's quick entries: finding the client named, logging a touch, adding a task.

The one implementation of these rules, for every caller: the CLI's quick commands (a plain
``sqlite3`` connection, no SQLAlchemy import), the TUI's forms and the other use cases that log or
add inside their own unit of work (an ORM session). ``session`` is any of those (see
:func:`amtui.services.store.store_of`); the SQL is plain, with ``:name`` parameters, and portable
(SQLite, PostgreSQL). :mod:`amtui.services.interactions`, :mod:`amtui.services.tasks` and
:mod:`amtui.services.clients` offer these functions under their usual names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from amtui.i18n import _
from amtui.services.errors import AmbiguousError, NotFoundError, ValidationError, check_choice
from amtui.services.schemas import InteractionRead, TaskRead
from amtui.services.store import Store, checked_row, placeholders, store_of
from amtui.services.text import fold
from amtui.services.workweek import DEFAULT_WEEK, WorkWeek, check_in_moment
from amtui.vocabulary import Direction, InteractionKind, InteractionStatus, Priority, TaskStatus

# How many name matches a client reference reads (more: it is ambiguous anyway).
MATCHES_READ = 50


def utcnow() -> datetime:
    """The wall clock an interaction row's bookkeeping columns take (as the model's default does)."""
    return datetime.now(UTC)


# Clients


def _like_contains(word: str) -> str:
    """``word`` escaped for ``LIKE '%' || :w || '%' ESCAPE '/'`` (SQLAlchemy's ``contains(autoescape=True)``)."""
    return word.replace("/", "//").replace("%", "/%").replace("_", "/_")


def find_client(session: Any, ref: str | int) -> tuple[int, str]:
    """The id and name of the client named by id or by any unambiguous part of its name, case folded.

    An exact (folded) name wins over partial matches; several partial matches raise AmbiguousError
    listing the candidates; none, NotFoundError with the names it may have meant.
    """
    store = store_of(session)
    text = str(ref).strip()
    if not text:
        raise ValidationError(_("name a client (by id or by part of its name)"), field="client")
    if text.isdigit():
        found = store.one("SELECT id, name FROM client WHERE id = :id", {"id": int(text)})
        if found is not None:
            return int(found[0]), str(found[1])
    key = fold(text)
    conditions = []
    params: dict[str, Any] = {"limit": MATCHES_READ}
    for index, word in enumerate(key.split()):
        conditions.append(f"name_folded LIKE '%' || :w{index} || '%' ESCAPE '/'")
        params[f"w{index}"] = _like_contains(word)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    matches = store.rows(
        f"SELECT id, name, name_folded, city FROM client{where} ORDER BY name_folded LIMIT :limit", params
    )
    exact = [row for row in matches if row[2] == key]
    if len(exact) == 1:
        return int(exact[0][0]), str(exact[0][1])
    if len(matches) == 1:
        return int(matches[0][0]), str(matches[0][1])
    if not matches:
        from amtui.services.fuzzy import did_you_mean

        names = [row[0] for row in store.rows("SELECT name FROM client")]
        raise NotFoundError(_("no client matches {text}").format(text=repr(text)) + did_you_mean(text, names))
    candidates = [f"{row[0]}: {row[1]}" + (f" ({row[3]})" if row[3] else "") for row in matches]
    raise AmbiguousError(
        _("{text} matches {matches} clients; name one by id or a longer name").format(
            text=repr(text), matches=len(matches)
        ),
        candidates,
    )


def client_name(store: Store, client_id: int) -> str:
    found = store.one("SELECT name FROM client WHERE id = :id", {"id": client_id})
    if found is None:
        raise NotFoundError(_("no client with id {client_id}").format(client_id=client_id))
    return str(found[0])


# Interactions


def check_kind(kind: str) -> str:
    value = kind.strip().lower()
    if value not in {k.value for k in InteractionKind}:
        allowed = ", ".join(k.value for k in InteractionKind)
        raise ValidationError(
            _("{kind}: kind is one of {allowed}").format(kind=repr(kind), allowed=allowed), field="kind"
        )
    return value


def check_aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.utcoffset() is None:
        raise ValidationError(_("a time zone is required"), field=field)
    return value.astimezone(UTC) if value else None


def check_direction(direction: str) -> str:
    if direction not in {d.value for d in Direction}:
        raise ValidationError(
            _("{direction}: direction is inbound or outbound").format(direction=repr(direction)), field="direction"
        )
    return direction


def check_contacts(session: Any, client_id: int, contact_ids: Sequence[int]) -> None:
    """Every one of ``contact_ids`` is a person at the client."""
    if not contact_ids:
        return
    store = store_of(session)
    marks, params = placeholders("c", list(contact_ids))
    owners = dict(store.rows(f"SELECT id, client_id FROM contact WHERE id IN ({marks})", params))
    for contact_id in contact_ids:
        if owners.get(contact_id) != client_id:
            raise ValidationError(
                _("contact {contact_id} is not a contact of this client").format(contact_id=contact_id), field="contact"
            )


def create_interaction(session: Any, *, client_id: int, contact_ids: Sequence[int], **values: Any) -> InteractionRead:
    """A new interaction row (checked), and who took part; what it now is."""
    store = store_of(session)
    name = client_name(store, client_id)
    check_contacts(store, client_id, contact_ids)
    stamp = utcnow()
    row = checked_row(
        "interaction",
        {
            "client_id": client_id,
            "kind": values.pop("kind"),
            "direction": values.pop("direction", Direction.OUTBOUND),
            "status": values.pop("status", InteractionStatus.PLANNED),
            "needs_reply": values.pop("needs_reply", False),
            **values,
            "created_at": stamp,
            "updated_at": stamp,
        },
    )
    interaction_id = store.insert("interaction", row)
    for contact_id in dict.fromkeys(contact_ids):
        store.insert("interaction_contact", {"interaction_id": interaction_id, "contact_id": contact_id})
    people = (
        store.rows(
            "SELECT interaction_contact.interaction_id, contact.id, contact.full_name FROM interaction_contact"
            " JOIN contact ON contact.id = interaction_contact.contact_id"
            " WHERE interaction_contact.interaction_id = :id",
            {"id": interaction_id},
        )
        if contact_ids
        else []
    )
    return InteractionRead(
        id=interaction_id,
        client_id=client_id,
        client_name=name,
        kind=row["kind"],
        direction=row["direction"],
        status=row["status"],
        planned_at=row.get("planned_at"),
        duration_min=row.get("duration_min"),
        done_at=row.get("done_at"),
        place=row.get("place"),
        city=row.get("city"),
        subject=row.get("subject"),
        outcome=row.get("outcome"),
        needs_reply=bool(row["needs_reply"]),
        contact_ids=tuple(int(person[1]) for person in people),
        contact_names=tuple(str(person[2]) for person in people),
        has_report=False,
    )


def log_interaction(
    *,
    session: Any,
    client_id: int,
    kind: str,
    at: datetime,
    direction: str = Direction.OUTBOUND,
    contact_ids: Sequence[int] = (),
    subject: str | None = None,
    outcome: str | None = None,
    place: str | None = None,
    city: str | None = None,
    duration_min: int | None = None,
    needs_reply: bool = False,
) -> InteractionRead:
    """Record a done interaction: a touch that restarts the client's contact cadence."""
    check_direction(direction)
    return create_interaction(
        session,
        client_id=client_id,
        contact_ids=contact_ids,
        kind=check_kind(kind),
        direction=direction,
        status=InteractionStatus.DONE,
        done_at=check_aware(at, "at"),
        subject=subject,
        outcome=outcome,
        place=place,
        city=city,
        duration_min=duration_min,
        needs_reply=needs_reply and direction == Direction.INBOUND,
    )


# Tasks


def default_check_in(created_at: datetime, due_on: date, zone: tzinfo, week: WorkWeek | None = None) -> datetime:
    """The working day 35 % of the way from ``created_at`` to the due day, at 10:00 local time
    (a check-in is a call to a colleague: it belongs in working hours, never on a weekend or
    a public holiday; see :func:`amtui.services.workweek.check_in_moment`)."""
    return check_in_moment(created_at, due_on, zone, week or DEFAULT_WEEK)


def task_priority(value: str | None) -> str:
    if value is None:
        return Priority.NORMAL.value
    return check_choice(value, Priority, "priority", {"h": "high", "m": "normal", "l": "low", "medium": "normal"})


def task_assignee(value: str | None) -> str | None:
    """None for the user's own task; "me"/"я" mean the user too."""
    if value is None:
        return None
    cleaned = value.strip()
    return None if cleaned.casefold() in {"", "me", "я", "self"} else cleaned


def create_task(
    *,
    session: Any,
    title: str,
    now: datetime,
    zone: tzinfo,
    due_on: date | None = None,
    client_id: int | None = None,
    assignee: str | None = None,
    check_in_at: datetime | None = None,
    priority: str | None = None,
    notes: str | None = None,
    report_id: int | None = None,
    week: WorkWeek | None = None,
    repeat: str | None = None,
) -> TaskRead:
    """Add a task; ``repeat`` (an RRULE value, :func:`amtui.services.recurrence.make_rule`) starts a series
    from its due day."""
    store = store_of(session)
    title = title.strip()
    if not title:
        raise ValidationError(_("a task needs a title"), field="title")
    name = client_name(store, client_id) if client_id is not None else None
    who = task_assignee(assignee)
    if check_in_at is not None and check_in_at.utcoffset() is None:
        raise ValidationError(_("a time zone is required"), field="check_in")
    if check_in_at is None and who is not None and due_on is not None:
        check_in_at = default_check_in(now, due_on, zone, week)
    row = checked_row(
        "task",
        {
            "title": title,
            "client_id": client_id,
            "assignee": who,
            "status": TaskStatus.OPEN,
            "priority": task_priority(priority),
            "due_on": due_on,
            "check_in_at": check_in_at,
            "notes": notes,
            "report_id": report_id,
            "created_at": now,
            "updated_at": now,
        },
    )
    task_id = store.insert("task", row)
    series: dict[str, Any] = {"series_id": None, "occurrence": None, "repeat": None}
    if repeat:
        if due_on is None:
            raise ValidationError("a repeating task needs a due date", field="due")
        from types import SimpleNamespace

        from amtui.services.recurrence import start_series

        record = SimpleNamespace(id=task_id)
        start_series(record, repeat, due_on)
        series = {"series_id": record.series_id, "occurrence": record.occurrence, "repeat": record.repeat}
        store.update("task", task_id, checked_row("task", {**series, "repeat_from": record.repeat_from}))
    return TaskRead(
        id=task_id,
        title=row["title"],
        client_id=client_id,
        client_name=name,
        assignee=row["assignee"],
        status=row["status"],
        priority=row["priority"],
        due_on=due_on,
        check_in_at=check_in_at,
        checked_in_at=None,
        notes=row["notes"],
        report_id=report_id,
        created_at=now,
        completed_at=None,
        **series,
    )
