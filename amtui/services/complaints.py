"""Complaints, claims, returns, disputes and shortage reports: open, work on, resolve or reject, reopen.

An open complaint has a promised resolution day (``due_on``) and an owner: the user (None) or a
colleague it is delegated to, who is checked in with like a delegated task (the same check-in rule,
:func:`amtui.services.tasks.default_check_in`). Every change is a touch (``touched_at``): an open
complaint untouched for longer than the ``[complaints] stale_days`` setting is stale. The alerts live
in :mod:`amtui.services.alerts`.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from amtui.models import Client, Contact, Contract, Invoice
from amtui.models.complaint import Complaint
from amtui.services import reads
from amtui.services.errors import NotFoundError, ValidationError, check_choice
from amtui.services.limits import check_lengths
from amtui.services.schemas import ComplaintRead, read_of
from amtui.services.store import store_of
from amtui.services.tasks import default_check_in
from amtui.services.workweek import WorkWeek
from amtui.vocabulary import (
    COMPLAINT_KIND_ALIASES,
    COMPLAINT_STATUS_ALIASES,
    OPEN_COMPLAINT_STATUSES,
    ComplaintKind,
    ComplaintStatus,
)

# What can be changed through :func:`update_complaint` (the status through resolve/reject/reopen).
EDITABLE = frozenset(
    {"kind", "title", "description", "amount_minor", "currency", "opened_on", "due_on", "owner", "contact",
     "contract", "invoice", "status", "resolution"}
)  # fmt: skip


def _owner(value: str | None) -> str | None:
    """None for the user's own complaint; "me"/"я" mean the user too (as a task's assignee)."""
    if value is None:
        return None
    cleaned = value.strip()
    return None if cleaned.casefold() in {"", "me", "я", "self", "io"} else cleaned


def _load(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFoundError(f"no complaint with id {complaint_id}")
    return complaint


def _read(session: Session, complaint: Complaint) -> ComplaintRead:
    client = session.get(Client, complaint.client_id)
    contact = session.get(Contact, complaint.contact_id) if complaint.contact_id else None
    contract = session.get(Contract, complaint.contract_id) if complaint.contract_id else None
    invoice = session.get(Invoice, complaint.invoice_id) if complaint.invoice_id else None
    return read_of(
        ComplaintRead, complaint, client_name=client.name if client else "",
        contact_name=contact.full_name if contact else None, contract_number=contract.number if contract else None,
        invoice_number=invoice.number if invoice else None,
    )  # fmt: skip


def _contact_id(session: Session, client_id: int, ref: str | int | None) -> int | None:
    if ref is None or str(ref).strip() == "":
        return None
    from amtui.services.contacts import resolve_contact

    return resolve_contact(session=session, client_id=client_id, ref=str(ref)).id


def _record_id(session: Session, model: Any, client_id: int, ref: str | int | None, noun: str) -> int | None:
    """A contract or invoice of the client by id or by its number."""
    if ref is None or str(ref).strip() == "":
        return None
    text = str(ref).strip()
    rows = session.execute(
        select(col(model.id), col(model.number)).where(col(model.client_id) == client_id).order_by(col(model.id))
    ).all()
    for record_id, number in rows:
        if number.casefold() == text.casefold():
            return int(record_id)
    if text.isdigit():
        for record_id, _number in rows:
            if record_id == int(text):
                return int(record_id)
    known = ", ".join(number for _id, number in rows[:10]) or "none"
    raise NotFoundError(f"no {noun} of this client numbered {text!r} (its {noun}s: {known})")


def _currency(value: str | None, default: str) -> str:
    code = (value or default).strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(f"{value!r} is not a currency code (RUB, EUR, USD...)", field="currency")
    return code


def _check_in(complaint: Complaint, now: datetime, zone: tzinfo, week: WorkWeek | None) -> None:
    """A delegated complaint with a due day gets a check-in by the tasks' rule (about a third of the way)."""
    if complaint.owner and complaint.due_on and complaint.status in OPEN_COMPLAINT_STATUSES:
        complaint.check_in_at = default_check_in(now, complaint.due_on, zone, week)
    else:
        complaint.check_in_at = None


def _check_days(opened_on: date, due_on: date | None) -> None:
    if due_on is not None and due_on < opened_on:
        raise ValidationError(
            f"the resolution is promised ({due_on:%d.%m.%Y}) before the complaint came ({opened_on:%d.%m.%Y})",
            field="due",
        )


def create_complaint(
    *,
    session: Session,
    client_id: int,
    title: str,
    now: datetime,
    zone: tzinfo,
    kind: str | None = None,
    description: str | None = None,
    amount_minor: int | None = None,
    currency: str | None = None,
    opened_on: date | None = None,
    due_on: date | None = None,
    owner: str | None = None,
    contact: str | int | None = None,
    contract: str | int | None = None,
    invoice: str | int | None = None,
    week: WorkWeek | None = None,
    external_id: str | None = None,
) -> ComplaintRead:
    """Record a complaint of a client; ``contact``/``contract``/``invoice`` name the client's records."""
    client = session.get(Client, client_id)
    if client is None:
        raise NotFoundError(f"no client with id {client_id}")
    title = title.strip()
    if not title:
        raise ValidationError("a complaint needs a title: what is it about?", field="title")
    if amount_minor is not None and amount_minor < 0:
        raise ValidationError("the amount in dispute cannot be negative", field="amount")
    opened = opened_on or now.astimezone(zone).date()
    _check_days(opened, due_on)
    complaint = Complaint(
        client_id=client_id,
        contact_id=_contact_id(session, client_id, contact),
        contract_id=_record_id(session, Contract, client_id, contract, "contract"),
        invoice_id=_record_id(session, Invoice, client_id, invoice, "invoice"),
        kind=check_choice(kind, ComplaintKind, "kind", COMPLAINT_KIND_ALIASES) or ComplaintKind.COMPLAINT.value,
        title=title,
        description=(description or "").strip() or None,
        amount_minor=amount_minor,
        currency=_currency(currency, client.currency),
        opened_on=opened,
        due_on=due_on,
        owner=_owner(owner),
        status=ComplaintStatus.OPEN.value,
        touched_at=now,
        external_id=external_id,
        created_at=now,
        updated_at=now,
    )
    _check_in(complaint, now, zone, week)
    check_lengths(complaint)
    session.add(complaint)
    session.flush()
    return _read(session, complaint)


def _saved(session: Session, complaint: Complaint, now: datetime) -> ComplaintRead:
    complaint.touched_at = complaint.updated_at = now
    check_lengths(complaint)
    session.add(complaint)
    session.flush()
    return _read(session, complaint)


def update_complaint(
    *, session: Session, complaint_id: int, now: datetime, zone: tzinfo, week: WorkWeek | None = None, **changes: Any
) -> ComplaintRead:
    """Change a complaint (every change is checked before any is applied) and count it as a touch.

    With no changes at all it only records a touch: someone worked on it today."""
    complaint = _load(session, complaint_id)
    cleaned: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in EDITABLE:
            raise ValidationError(f"{key!r} cannot be changed here", field=key)
        if key == "kind":
            value = check_choice(value, ComplaintKind, "kind", COMPLAINT_KIND_ALIASES)
        elif key == "status":
            value = check_choice(value, ComplaintStatus, "status", COMPLAINT_STATUS_ALIASES)
            if value not in OPEN_COMPLAINT_STATUSES:
                raise ValidationError("resolve or reject a complaint with its own command", field="status")
        elif key == "title":
            value = (value or "").strip()
            if not value:
                raise ValidationError("a complaint needs a title: what is it about?", field="title")
        elif key in ("description", "resolution"):
            value = (value or "").strip() or None
        elif key == "amount_minor" and value is not None and value < 0:
            raise ValidationError("the amount in dispute cannot be negative", field="amount")
        elif key == "currency":
            value = _currency(value, complaint.currency)
        elif key == "owner":
            value = _owner(value)
        elif key == "contact":
            key, value = "contact_id", _contact_id(session, complaint.client_id, value)
        elif key == "contract":
            key, value = "contract_id", _record_id(session, Contract, complaint.client_id, value, "contract")
        elif key == "invoice":
            key, value = "invoice_id", _record_id(session, Invoice, complaint.client_id, value, "invoice")
        elif key == "opened_on" and value is None:
            raise ValidationError("a complaint needs the day it came", field="opened")
        cleaned[key] = value
    _check_days(cleaned.get("opened_on", complaint.opened_on), cleaned.get("due_on", complaint.due_on))
    replan = any(key in cleaned for key in ("owner", "due_on", "status"))
    for key, value in cleaned.items():
        setattr(complaint, key, value)
    if replan:
        _check_in(complaint, now, zone, week)
    return _saved(session, complaint, now)


def _close(session: Session, complaint_id: int, status: ComplaintStatus, note: str, on: date, now: datetime) -> Any:
    complaint = _load(session, complaint_id)
    text = (note or "").strip()
    if not text:
        raise ValidationError("say how it was settled (--note)", field="note")
    if complaint.status not in OPEN_COMPLAINT_STATUSES:
        raise ValidationError(
            f"complaint {complaint_id} is already {complaint.status}; reopen it first", field="status"
        )
    if on < complaint.opened_on:
        raise ValidationError(f"it came on {complaint.opened_on:%d.%m.%Y}, it cannot be settled before", field="on")
    complaint.status, complaint.resolution, complaint.resolved_on = status.value, text, on
    complaint.check_in_at = None
    return _saved(session, complaint, now)


def resolve_complaint(*, session: Session, complaint_id: int, note: str, on: date, now: datetime) -> ComplaintRead:
    """Settled in the client's favour or by agreement: a follow-up call is then due within a week."""
    return _close(session, complaint_id, ComplaintStatus.RESOLVED, note, on, now)


def reject_complaint(*, session: Session, complaint_id: int, note: str, on: date, now: datetime) -> ComplaintRead:
    """Refused (the note says why): also followed up with a call."""
    return _close(session, complaint_id, ComplaintStatus.REJECTED, note, on, now)


def reopen_complaint(
    *, session: Session, complaint_id: int, now: datetime, zone: tzinfo, week: WorkWeek | None = None
) -> ComplaintRead:
    """Open again (the client is not satisfied): the resolution is kept in the history of the text, the day cleared."""
    complaint = _load(session, complaint_id)
    if complaint.status in OPEN_COMPLAINT_STATUSES:
        raise ValidationError(f"complaint {complaint_id} is already open", field="status")
    complaint.status, complaint.resolved_on = ComplaintStatus.OPEN.value, None
    _check_in(complaint, now, zone, week)
    return _saved(session, complaint, now)


def get_complaint(*, session: Session, complaint_id: int) -> ComplaintRead:
    return _read(session, _load(session, complaint_id))


def list_complaints(*, session: Session, client_id: int | None = None, open_only: bool = False) -> list[ComplaintRead]:
    """Open complaints first (by promised day), then the settled ones (latest first)."""
    return reads.list_complaints(store_of(session), client_id, open_only)
