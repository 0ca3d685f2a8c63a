"""Read objects the services return: plain frozen dataclasses, no session attached.

A read object is the public shape of a table row (like the FastAPI template's ``*Public``
classes): its fields are the model's columns of the same name, plus what the service adds
(the client's name, a contact's phones...). :func:`read_of` copies them, so no service spells
an entity's fields out again; tests/test_entities.py checks every read field against its model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def read_of(read_class: type[R], record: Any, **extra: Any) -> R:
    """``read_class`` filled from ``record``'s attributes of the same names; ``extra`` adds or overrides."""
    names = _FIELD_NAMES.get(read_class)
    if names is None:
        names = _FIELD_NAMES[read_class] = tuple(f.name for f in fields(read_class))
    values = {name: getattr(record, name) for name in names if name not in extra}
    values.update(extra)
    return read_class(**values)


@dataclass(frozen=True, slots=True)
class ClientRead:
    id: int
    name: str
    legal_name: str | None
    tax_id: str | None
    segment: str | None
    tier: str
    status: str
    cadence_days: int
    cadence_is_default: bool
    city: str | None
    address: str | None
    website: str | None
    phone: str | None
    email: str | None
    currency: str
    credit_limit_minor: int | None
    payment_terms_days: int | None
    discount_bp: int | None
    annual_potential_minor: int | None
    needs: str | None
    competitors: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime
    # The language of documents for the client; None: the interface language.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ClientSummary:
    """One row of the portfolio table."""

    id: int
    name: str
    tier: str
    status: str
    segment: str | None
    city: str | None
    cadence_days: int
    last_touch_at: datetime | None
    next_contact_due: date | None
    receivables_minor: int
    overdue_minor: int
    open_deals: int
    currency: str
    # The stored search key (``fold(name)``): the Clients screen's name order and search, no fold of its own.
    # Not part of the JSON a command prints.
    name_folded: str = field(default="", repr=False, metadata={"internal": True})


@dataclass(frozen=True, slots=True)
class ContactMethodRead:
    kind: str
    value: str
    label: str | None


@dataclass(frozen=True, slots=True)
class ContactRead:
    id: int
    client_id: int | None
    client_name: str | None
    full_name: str
    given_name: str | None
    middle_name: str | None
    family_name: str | None
    title: str | None
    department: str | None
    role: str | None
    preferred_channel: str | None
    birthday_md: str | None
    birthday_year: int | None
    personal_notes: str | None
    phones: tuple[ContactMethodRead, ...] = ()
    emails: tuple[ContactMethodRead, ...] = ()
    external_id: str | None = None
    # The language to write to this person in; None: the client's.
    language: str | None = None

    @property
    def is_decision_maker(self) -> bool:
        return self.role == "decision_maker"


@dataclass(frozen=True, slots=True)
class InteractionRead:
    id: int
    client_id: int
    client_name: str
    kind: str
    direction: str
    status: str
    planned_at: datetime | None
    duration_min: int | None
    done_at: datetime | None
    place: str | None
    city: str | None
    subject: str | None
    outcome: str | None
    needs_reply: bool
    contact_ids: tuple[int, ...] = ()
    contact_names: tuple[str, ...] = ()
    has_report: bool = False
    # A repeating one (services/recurrence.py): its series, its place in it, the rule.
    series_id: int | None = None
    occurrence: int | None = None
    repeat: str | None = None

    @property
    def when(self) -> datetime | None:
        return self.done_at or self.planned_at


@dataclass(frozen=True, slots=True)
class NextStepRead:
    id: int
    text: str
    owner: str | None
    due_on: date | None
    task_id: int | None


@dataclass(frozen=True, slots=True)
class ReportRead:
    id: int
    interaction_id: int
    client_id: int
    client_name: str
    interaction_kind: str
    held_at: datetime | None
    place: str | None
    attendee_ids: tuple[int, ...]
    attendee_names: tuple[str, ...]
    other_attendees: str | None
    agenda: str | None
    agreements: str | None
    next_steps: tuple[NextStepRead, ...]
    sent_at: datetime | None
    created_at: datetime
    # The language the report goes out in (the client's); None: the interface language.
    client_language: str | None = None


@dataclass(frozen=True, slots=True)
class TaskRead:
    id: int
    title: str
    client_id: int | None
    client_name: str | None
    assignee: str | None
    status: str
    priority: str
    due_on: date | None
    check_in_at: datetime | None
    checked_in_at: datetime | None
    notes: str | None
    report_id: int | None
    created_at: datetime
    completed_at: datetime | None
    # A repeating one (services/recurrence.py): its series, its place in it, the rule.
    series_id: int | None = None
    occurrence: int | None = None
    repeat: str | None = None

    @property
    def delegated(self) -> bool:
        return self.assignee is not None


@dataclass(frozen=True, slots=True)
class ContractRead:
    id: int
    client_id: int
    client_name: str
    number: str
    title: str | None
    start_on: date | None
    end_on: date | None
    auto_renew: bool
    notice_days: int
    value_minor: int | None
    currency: str
    status: str


@dataclass(frozen=True, slots=True)
class InvoiceRead:
    id: int
    client_id: int
    client_name: str
    contract_id: int | None
    number: str
    issued_on: date
    due_on: date
    amount_minor: int
    paid_minor: int
    currency: str
    paid_on: date | None

    @property
    def owed_minor(self) -> int:
        return max(self.amount_minor - self.paid_minor, 0)


@dataclass(frozen=True, slots=True)
class DealRead:
    id: int
    client_id: int
    client_name: str
    title: str
    kind: str
    stage: str
    amount_minor: int | None
    currency: str
    probability: int | None
    expected_close: date | None
    closed_on: date | None


@dataclass(frozen=True, slots=True)
class NoteRead:
    id: int
    client_id: int
    text: str
    tag: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TargetRead:
    period: date
    amount_minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class ComplaintRead:
    id: int
    client_id: int
    client_name: str
    contact_id: int | None
    contract_id: int | None
    invoice_id: int | None
    kind: str
    title: str
    description: str | None
    amount_minor: int | None
    currency: str
    opened_on: date
    due_on: date | None
    owner: str | None
    check_in_at: datetime | None
    status: str
    resolution: str | None
    resolved_on: date | None
    touched_at: datetime | None
    external_id: str | None
    # Names of the linked records (None when not linked).
    contact_name: str | None = None
    contract_number: str | None = None
    invoice_number: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_progress")


@dataclass(frozen=True, slots=True)
class ClientCard:
    """Everything the card shows about one client, read in one unit of work."""

    client: ClientRead
    contacts: tuple[ContactRead, ...]
    interactions: tuple[InteractionRead, ...]
    planned: tuple[InteractionRead, ...]
    open_tasks: tuple[TaskRead, ...]
    contracts: tuple[ContractRead, ...]
    invoices: tuple[InvoiceRead, ...]
    deals: tuple[DealRead, ...]
    notes: tuple[NoteRead, ...]
    last_touch_at: datetime | None
    next_contact_due: date | None
    receivables_minor: int
    overdue_minor: int
    warnings: tuple[str, ...] = field(default=())
    # Open receivables + won deals not invoiced yet, in the client's currency (None: no credit limit).
    exposure_minor: int | None = None
    # The client's complaints, open ones first; an open one halves the contact cadence.
    complaints: tuple[ComplaintRead, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str  # "client" | "contact"
    id: int
    label: str
    client_id: int | None
    detail: str
    # What the query matched: "name", "INN 7714170755", "phone +7 495 957-47-21", "e-mail a.gromov@...".
    matched: str = "name"
    client_name: str = ""

    @property
    def sentence(self) -> str:
        """``Громов Андрей Николаевич, ООО «Ромашка», +7 495 957-47-21``: who, where, what matched."""
        parts = [self.label]
        if self.kind == "contact" and self.client_name:
            parts.append(self.client_name)
        if self.matched != "name":
            parts.append(self.matched)
        return ", ".join(parts)
