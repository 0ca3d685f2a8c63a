"""The client card's rows and the lists behind it, read once, in plain SQL, through a Store.

``amtui client show`` is typed between calls: as a whole process it is meant to be about as quick as
taskwarrior's ``task next``, and importing SQLAlchemy, SQLModel and the models alone takes longer.
So the reads the card is made of (the client, its people, timeline, plans, tasks, contracts,
invoices, deals, notes, complaints, last touch and credit exposure) are written here once, as SQL
with ``:name`` parameters, and run through a :class:`amtui.services.store.Store`: on an ORM
session's or a SQLAlchemy connection (the TUI, every other use case, PostgreSQL) or on a plain
``sqlite3`` connection (:func:`amtui.db.quick_connection`). The services' list functions
(``records.list_invoices``, ``tasks.list_tasks``...) call these: there is no second copy.

A row comes back as its read object (:mod:`amtui.services.schemas`): the columns named as the read
object's fields are selected, and each value is turned into the field's type as SQLAlchemy's column
types turn it (datetimes aware in UTC, dates, booleans) whatever the driver gave.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, TypeVar

from amtui.i18n import _
from amtui.services.errors import NotFoundError
from amtui.services.reckoning import credit_exposure_rows
from amtui.services.schemas import (
    ClientRead,
    ComplaintRead,
    ContactMethodRead,
    ContactRead,
    ContractRead,
    DealRead,
    InteractionRead,
    InvoiceRead,
    NoteRead,
    TaskRead,
)
from amtui.services.store import Store, placeholders
from amtui.vocabulary import (
    DEFAULT_CADENCE_DAYS,
    OPEN_COMPLAINT_STATUSES,
    OPEN_DEAL_STAGES,
    ContactRole,
    InteractionStatus,
    MethodKind,
    Tier,
)

R = TypeVar("R")


def as_utc(value: Any) -> datetime | None:
    """A stored moment as the ORM gives it: aware, in UTC (SQLite keeps UTC text without an offset)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def as_date(value: Any) -> date | None:
    if value is None or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(value)


def as_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


_DECODERS = {"datetime": as_utc, "date": as_date, "bool": as_bool}
_SHAPES: dict[tuple[type, frozenset[str]], tuple[tuple[str, ...], tuple[Any, ...]]] = {}


def _shape(read_class: type, derived: frozenset[str]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The stored fields of ``read_class`` (all but ``derived``) and each one's decoder (None: as is)."""
    key = (read_class, derived)
    found = _SHAPES.get(key)
    if found is None:
        names = tuple(f.name for f in fields(read_class) if f.name not in derived)
        types = {f.name: str(f.type).replace(" | None", "") for f in fields(read_class)}
        found = _SHAPES[key] = (names, tuple(_DECODERS.get(types[name]) for name in names))
    return found


def columns(read_class: type, table: str, derived: Iterable[str] = ()) -> str:
    """``table.a, table.b, ...``: the columns of ``table`` named as ``read_class``'s stored fields."""
    names, _decoders = _shape(read_class, frozenset(derived))
    return ", ".join(f"{table}.{name}" for name in names)


def decoded(read_class: type, row: Sequence[Any], derived: Iterable[str] = ()) -> dict[str, Any]:
    """The first values of ``row`` (selected with :func:`columns`) by field name, in the fields' types."""
    names, decoders = _shape(read_class, frozenset(derived))
    return {
        name: value if decode is None else decode(value)
        for name, decode, value in zip(names, decoders, row, strict=False)
    }


def _reads(read_class: type[R], rows: Iterable[Sequence[Any]], extra: Sequence[str]) -> list[R]:
    """Rows selected as ``columns(read_class, ..., extra)`` followed by the ``extra`` fields' values."""
    width = len(_shape(read_class, frozenset(extra))[0])
    return [read_class(**decoded(read_class, row, extra), **dict(zip(extra, row[width:], strict=True))) for row in rows]


def _in(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    marks, params = placeholders(prefix, values)
    return f"({marks})", params


# Clients


def effective_cadence(tier: str, cadence_days: int | None) -> int:
    return cadence_days or DEFAULT_CADENCE_DAYS.get(tier, DEFAULT_CADENCE_DAYS[Tier.B])


_CLIENT_DERIVED = ("cadence_is_default",)


def client_read(values: dict[str, Any]) -> ClientRead:
    """A client row's stored values as the read object (the cadence in effect, the phone for display)."""
    from amtui.services.phones import display_phone

    stored = values["cadence_days"]
    return ClientRead(
        **{
            **values,
            "cadence_days": effective_cadence(values["tier"], stored),
            "cadence_is_default": stored is None,
            "phone": display_phone(values["phone"]) or None,
        }
    )


def get_client(store: Store, client_id: int) -> ClientRead:
    row = store.one(
        f"SELECT {columns(ClientRead, 'client', _CLIENT_DERIVED)} FROM client WHERE id = :id", {"id": client_id}
    )
    if row is None:
        raise NotFoundError(_("no client with id {client_id}").format(client_id=client_id))
    return client_read(decoded(ClientRead, row, _CLIENT_DERIVED))


def next_contact_due(last: datetime | None, cadence_days: int, *, zone: tzinfo, today: date) -> date:
    """The day the next touch is due; a client never contacted is due today."""
    if last is None:
        return today
    return last.astimezone(zone).date() + timedelta(days=cadence_days)


def last_touch(store: Store, client_id: int) -> datetime | None:
    """When the client was last touched: the latest done interaction."""
    row = store.one(
        "SELECT max(done_at) FROM interaction WHERE client_id = :client_id AND status = :done",
        {"client_id": client_id, "done": InteractionStatus.DONE.value},
    )
    return as_utc(row[0]) if row else None


# People


_CONTACT_EXTRA = ("client_name", "phones", "emails")


def _with_methods(store: Store, rows: Sequence[Sequence[Any]]) -> list[ContactRead]:
    from amtui.services.phones import display_phone

    ids = [row[0] for row in rows]
    phones: dict[int, list[ContactMethodRead]] = defaultdict(list)
    emails: dict[int, list[ContactMethodRead]] = defaultdict(list)
    if ids:
        marks, params = _in("c", ids)
        for contact_id, kind, value, label in store.rows(
            "SELECT contact_id, kind, value, label FROM contact_method"
            f" WHERE contact_id IN {marks} ORDER BY contact_id, position, id",
            params,
        ):
            if kind == MethodKind.PHONE:
                phones[contact_id].append(ContactMethodRead(kind, display_phone(value), label))
            elif kind == MethodKind.EMAIL:
                emails[contact_id].append(ContactMethodRead(kind, value, label))
    names = _shape(ContactRead, frozenset(_CONTACT_EXTRA))[0]
    width = len(names)
    return [
        ContactRead(
            **decoded(ContactRead, row, _CONTACT_EXTRA),
            client_name=row[width],
            phones=tuple(phones[row[0]]),
            emails=tuple(emails[row[0]]),
        )
        for row in rows
    ]


def _contact_select() -> str:
    return f"SELECT {columns(ContactRead, 'contact', _CONTACT_EXTRA)}, client.name FROM contact"


def list_contacts(store: Store, client_id: int) -> list[ContactRead]:
    """The client's people, decision makers first."""
    rows = store.rows(
        f"{_contact_select()} JOIN client ON contact.client_id = client.id WHERE contact.client_id = :client_id"
        " ORDER BY contact.role = :decides DESC, contact.full_name_folded",
        {"client_id": client_id, "decides": ContactRole.DECISION_MAKER.value},
    )
    return _with_methods(store, rows)


def contacts_by_ids(store: Store, contact_ids: Sequence[int]) -> list[ContactRead]:
    if not contact_ids:
        return []
    marks, params = _in("i", list(contact_ids))
    rows = store.rows(
        f"{_contact_select()} LEFT OUTER JOIN client ON contact.client_id = client.id WHERE contact.id IN {marks}",
        params,
    )
    return _with_methods(store, rows)


# Interactions


_INTERACTION_DERIVED = ("client_name", "contact_ids", "contact_names", "has_report")


def _interactions(store: Store, where: str, params: dict[str, Any], tail: str = "") -> list[InteractionRead]:
    rows = store.rows(
        f"SELECT {columns(InteractionRead, 'interaction', _INTERACTION_DERIVED)}, client.name FROM interaction"
        f" JOIN client ON client.id = interaction.client_id WHERE {where} {tail}",
        params,
    )
    ids = [row[0] for row in rows]
    people: dict[int, list[tuple[int, str]]] = defaultdict(list)
    reported: set[int] = set()
    if ids:
        marks, in_params = _in("i", ids)
        for interaction_id, contact_id, name in store.rows(
            "SELECT interaction_contact.interaction_id, contact.id, contact.full_name FROM interaction_contact"
            " JOIN contact ON contact.id = interaction_contact.contact_id"
            f" WHERE interaction_contact.interaction_id IN {marks}",
            in_params,
        ):
            people[interaction_id].append((contact_id, name))
        reported = {
            row[0]
            for row in store.rows(
                f"SELECT interaction_id FROM meeting_report WHERE interaction_id IN {marks}", in_params
            )
        }
    width = len(_shape(InteractionRead, frozenset(_INTERACTION_DERIVED))[0])
    return [
        InteractionRead(
            **decoded(InteractionRead, row, _INTERACTION_DERIVED),
            client_name=row[width],
            contact_ids=tuple(cid for cid, _name in people[row[0]]),
            contact_names=tuple(name for _cid, name in people[row[0]]),
            has_report=row[0] in reported,
        )
        for row in rows
    ]


def get_interaction(store: Store, interaction_id: int) -> InteractionRead | None:
    found = _interactions(store, "interaction.id = :id", {"id": interaction_id})
    return found[0] if found else None


def list_for_client(store: Store, client_id: int, limit: int = 50) -> list[InteractionRead]:
    """The client's timeline, newest first: done, cancelled and missed ones."""
    return _interactions(
        store,
        "interaction.client_id = :client_id AND interaction.status != :planned",
        {"client_id": client_id, "planned": InteractionStatus.PLANNED.value, "limit": limit},
        "ORDER BY interaction.done_at DESC NULLS LAST, interaction.planned_at DESC LIMIT :limit",
    )


def list_planned(
    store: Store, *, start: datetime, end: datetime, client_id: int | None = None, kinds: Sequence[str] = ()
) -> list[InteractionRead]:
    """Planned interactions starting in [start, end), in time order."""
    where = "interaction.status = :planned AND interaction.planned_at >= :start AND interaction.planned_at < :end"
    params: dict[str, Any] = {"planned": InteractionStatus.PLANNED.value, "start": start, "end": end}
    if client_id is not None:
        where += " AND interaction.client_id = :client_id"
        params["client_id"] = client_id
    if kinds:
        marks, kind_params = _in("k", list(kinds))
        where += f" AND interaction.kind IN {marks}"
        params.update(kind_params)
    return _interactions(store, where, params, "ORDER BY interaction.planned_at")


def list_in_range(store: Store, *, start: datetime, end: datetime) -> list[InteractionRead]:
    """Everything planned in [start, end) whatever its status: the planner's week."""
    return _interactions(
        store,
        "interaction.planned_at >= :start AND interaction.planned_at < :end",
        {"start": start, "end": end},
        "ORDER BY interaction.planned_at",
    )


# Tasks


def list_tasks(
    store: Store,
    *,
    status: str | None = "open",
    client_id: int | None = None,
    delegated: bool | None = None,
    limit: int | None = None,
) -> list[TaskRead]:
    """Tasks with the most pressing first: by due date (none last), high priority first."""
    conditions = []
    params: dict[str, Any] = {}
    if status:
        conditions.append("task.status = :status")
        params["status"] = status
    if client_id is not None:
        conditions.append("task.client_id = :client_id")
        params["client_id"] = client_id
    if delegated is True:
        conditions.append("task.assignee IS NOT NULL")
    elif delegated is False:
        conditions.append("task.assignee IS NULL")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    tail = ""
    if limit:
        tail = " LIMIT :limit"
        params["limit"] = limit
    rows = store.rows(
        f"SELECT {columns(TaskRead, 'task', ('client_name',))}, client.name FROM task"
        f" LEFT OUTER JOIN client ON task.client_id = client.id{where}"
        " ORDER BY task.due_on IS NULL, task.due_on,"
        " CASE task.priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 WHEN 'low' THEN 2 ELSE 1 END, task.id"
        f"{tail}",
        params,
    )
    return _reads(TaskRead, rows, ("client_name",))


# Contracts, invoices, deals, notes


def _of_client(table: str, client_id: int | None, extra: str = "") -> tuple[str, dict[str, Any]]:
    conditions = [extra] if extra else []
    params: dict[str, Any] = {}
    if client_id is not None:
        conditions.insert(0, f"{table}.client_id = :client_id")
        params["client_id"] = client_id
    return (f" WHERE {' AND '.join(conditions)}" if conditions else ""), params


def list_contracts(store: Store, client_id: int | None = None) -> list[ContractRead]:
    where, params = _of_client("contract", client_id)
    rows = store.rows(
        f"SELECT {columns(ContractRead, 'contract', ('client_name',))}, client.name FROM contract"
        f" JOIN client ON client.id = contract.client_id{where}"
        " ORDER BY contract.end_on IS NULL, contract.end_on",
        params,
    )
    return _reads(ContractRead, rows, ("client_name",))


def list_invoices(store: Store, client_id: int | None = None, unpaid_only: bool = False) -> list[InvoiceRead]:
    where, params = _of_client("invoice", client_id, "invoice.paid_minor < invoice.amount_minor" if unpaid_only else "")
    rows = store.rows(
        f"SELECT {columns(InvoiceRead, 'invoice', ('client_name',))}, client.name FROM invoice"
        f" JOIN client ON client.id = invoice.client_id{where}"
        " ORDER BY invoice.due_on, invoice.id",
        params,
    )
    return _reads(InvoiceRead, rows, ("client_name",))


def list_deals(store: Store, client_id: int | None = None, open_only: bool = False) -> list[DealRead]:
    stages, stage_params = _in("s", [stage.value for stage in OPEN_DEAL_STAGES])
    where, params = _of_client("deal", client_id, f"deal.stage IN {stages}" if open_only else "")
    if open_only:
        params.update(stage_params)
    rows = store.rows(
        f"SELECT {columns(DealRead, 'deal', ('client_name',))}, client.name FROM deal"
        f" JOIN client ON client.id = deal.client_id{where}"
        " ORDER BY deal.expected_close IS NULL, deal.expected_close",
        params,
    )
    return _reads(DealRead, rows, ("client_name",))


def list_notes(store: Store, client_id: int) -> list[NoteRead]:
    rows = store.rows(
        f"SELECT {columns(NoteRead, 'note')} FROM note WHERE note.client_id = :client_id ORDER BY note.created_at DESC",
        {"client_id": client_id},
    )
    return _reads(NoteRead, rows, ())


# Complaints


_COMPLAINT_EXTRA = ("client_name", "contact_name", "contract_number", "invoice_number")


def list_complaints(store: Store, client_id: int | None = None, open_only: bool = False) -> list[ComplaintRead]:
    """Open complaints first (by promised day), then the settled ones (latest first)."""
    statuses, params = _in("s", [status.value for status in OPEN_COMPLAINT_STATUSES])
    conditions = []
    if client_id is not None:
        conditions.append("complaint.client_id = :client_id")
        params["client_id"] = client_id
    if open_only:
        conditions.append(f"complaint.status IN {statuses}")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = store.rows(
        f"SELECT {columns(ComplaintRead, 'complaint', _COMPLAINT_EXTRA)},"
        " client.name, contact.full_name, contract.number, invoice.number FROM complaint"
        " JOIN client ON client.id = complaint.client_id"
        " LEFT OUTER JOIN contact ON contact.id = complaint.contact_id"
        " LEFT OUTER JOIN contract ON contract.id = complaint.contract_id"
        f" LEFT OUTER JOIN invoice ON invoice.id = complaint.invoice_id{where}"
        f" ORDER BY CASE WHEN complaint.status IN {statuses} THEN 0 ELSE 1 END,"
        " CASE WHEN complaint.due_on IS NULL THEN 1 ELSE 0 END, complaint.due_on,"
        " complaint.resolved_on DESC, complaint.id",
        params,
    )
    return _reads(ComplaintRead, rows, _COMPLAINT_EXTRA)


# Credit exposure: the rule lives with the other reckonings the alert engine reads (no schemas import there).


def exposure_minor(store: Store, client_id: int) -> int | None:
    """The client's open receivables + won deals not invoiced yet (None: no credit limit)."""
    found = credit_exposure_rows(store, [client_id])
    return found[0][4] + found[0][5] if found else None
