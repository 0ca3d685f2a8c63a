"""Contracts, invoices, deals, notes and sales targets: create, change, list."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session, col

from amtui.i18n import _
from amtui.models import Client, Contract, Deal, Invoice, Note, SalesTarget
from amtui.models.base import ContractStatus, DealKind, DealStage, NoteTag
from amtui.services import reads
from amtui.services.errors import NotFoundError, ValidationError, check_choice
from amtui.services.limits import check_lengths
from amtui.services.schemas import ContractRead, DealRead, InvoiceRead, NoteRead, TargetRead, read_of
from amtui.services.store import store_of

Record = TypeVar("Record")


def _load(session: Session, model: type[Record], record_id: int, noun: str) -> Record:
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(_("no {noun} with id {record_id}").format(noun=noun, record_id=record_id))
    return record


def _client_name(session: Session, client_id: int) -> str:
    return _load(session, Client, client_id, "client").name


def _choice(value: str | None, allowed: type[StrEnum], field: str) -> str | None:
    return check_choice(value, allowed, field)


# Contracts


def contract_read(contract: Contract, client_name: str) -> ContractRead:
    return read_of(ContractRead, contract, client_name=client_name)


def create_contract(
    *,
    session: Session,
    client_id: int,
    number: str,
    start_on: date | None = None,
    end_on: date | None = None,
    title: str | None = None,
    auto_renew: bool = False,
    notice_days: int = 0,
    value_minor: int | None = None,
    currency: str = "RUB",
    status: str | None = None,
    external_id: str | None = None,
) -> ContractRead:
    name = _client_name(session, client_id)
    if not number.strip():
        raise ValidationError(_("a contract needs a number"), field="number")
    if start_on and end_on and end_on < start_on:
        raise ValidationError(_("the contract ends before it starts"), field="end")
    if notice_days < 0:
        raise ValidationError(_("notice period cannot be negative"), field="notice_days")
    contract = Contract(
        client_id=client_id,
        number=number.strip(),
        title=title,
        start_on=start_on,
        end_on=end_on,
        auto_renew=auto_renew,
        notice_days=notice_days,
        value_minor=value_minor,
        currency=currency.upper(),
        status=_choice(status, ContractStatus, "status") or ContractStatus.ACTIVE.value,
        external_id=external_id,
    )
    check_lengths(contract)
    session.add(contract)
    session.flush()
    return contract_read(contract, name)


def update_contract(*, session: Session, contract_id: int, **changes: Any) -> ContractRead:
    """Change a contract: renew it (a new ``end_on``), close it (``status`` expired or terminated), fix its terms.

    Every change is checked before any is applied: a refused edit leaves the contract as it was."""
    contract = _load(session, Contract, contract_id, "contract")
    cleaned: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "status":
            value = _choice(value, ContractStatus, "status")
        elif key == "number":
            value = (value or "").strip()
            if not value:
                raise ValidationError(_("a contract needs a number"), field="number")
        elif key == "notice_days" and (value or 0) < 0:
            raise ValidationError(_("notice period cannot be negative"), field="notice_days")
        elif key not in {"title", "start_on", "end_on", "auto_renew", "notice_days", "value_minor"}:
            raise ValidationError(_("{key} cannot be changed here").format(key=repr(key)), field=key)
        cleaned[key] = value
    start, end = cleaned.get("start_on", contract.start_on), cleaned.get("end_on", contract.end_on)
    if start and end and end < start:
        raise ValidationError(
            _("the contract would end ({end:%d.%m.%Y}) before it starts ({start:%d.%m.%Y})").format(
                end=end, start=start
            ),
            field="end",
        )
    for key, value in cleaned.items():
        setattr(contract, key, value)
    contract.updated_at = datetime.now(UTC)
    check_lengths(contract)
    session.add(contract)
    session.flush()
    return contract_read(contract, _client_name(session, contract.client_id))


def get_contract(*, session: Session, contract_id: int) -> ContractRead:
    contract = _load(session, Contract, contract_id, "contract")
    return contract_read(contract, _client_name(session, contract.client_id))


def delete_contract(*, session: Session, contract_id: int) -> ContractRead:
    """Delete a contract entered by mistake (its invoices stay, no longer linked to it); returns what it was."""
    gone = get_contract(session=session, contract_id=contract_id)
    session.delete(_load(session, Contract, contract_id, "contract"))
    session.flush()
    return gone


def list_contracts(*, session: Session, client_id: int | None = None) -> list[ContractRead]:
    return reads.list_contracts(store_of(session), client_id)


# Invoices


def invoice_read(invoice: Invoice, client_name: str) -> InvoiceRead:
    return read_of(InvoiceRead, invoice, client_name=client_name)


def create_invoice(
    *,
    session: Session,
    client_id: int,
    number: str,
    issued_on: date,
    amount_minor: int,
    due_on: date | None = None,
    currency: str | None = None,
    contract_id: int | None = None,
    paid_minor: int = 0,
    paid_on: date | None = None,
    external_id: str | None = None,
) -> InvoiceRead:
    name = _client_name(session, client_id)
    client = session.get(Client, client_id)
    assert client is not None
    if amount_minor <= 0:
        raise ValidationError(_("an invoice amount must be positive"), field="amount")
    if not 0 <= paid_minor <= amount_minor:
        raise ValidationError(_("paid must be between 0 and the amount"), field="paid")
    if due_on is None:
        from datetime import timedelta

        due_on = issued_on + timedelta(days=client.payment_terms_days or 0)
    if due_on < issued_on:
        raise ValidationError(_("the invoice is due before it is issued"), field="due")
    invoice = Invoice(
        client_id=client_id,
        contract_id=contract_id,
        number=number.strip(),
        issued_on=issued_on,
        due_on=due_on,
        amount_minor=amount_minor,
        paid_minor=paid_minor,
        currency=(currency or client.currency).upper(),
        paid_on=paid_on,
        external_id=external_id,
    )
    check_lengths(invoice)
    session.add(invoice)
    session.flush()
    return invoice_read(invoice, name)


def record_payment(*, session: Session, invoice_id: int, amount_minor: int, paid_on: date) -> InvoiceRead:
    """Add a (partial) payment; the invoice is settled when paid reaches the amount."""
    invoice = _load(session, Invoice, invoice_id, "invoice")
    if amount_minor <= 0:
        raise ValidationError(_("a payment must be positive"), field="amount")
    if invoice.paid_minor + amount_minor > invoice.amount_minor:
        raise ValidationError(_("the payment is more than what is owed"), field="amount")
    invoice.paid_minor += amount_minor
    invoice.paid_on = paid_on
    invoice.updated_at = datetime.now(UTC)
    check_lengths(invoice)
    session.add(invoice)
    session.flush()
    return invoice_read(invoice, _client_name(session, invoice.client_id))


def list_invoices(*, session: Session, client_id: int | None = None, unpaid_only: bool = False) -> list[InvoiceRead]:
    return reads.list_invoices(store_of(session), client_id, unpaid_only)


# Deals


def deal_read(deal: Deal, client_name: str) -> DealRead:
    return read_of(DealRead, deal, client_name=client_name)


def create_deal(
    *,
    session: Session,
    client_id: int,
    title: str,
    kind: str | None = None,
    stage: str | None = None,
    amount_minor: int | None = None,
    currency: str = "RUB",
    probability: int | None = None,
    expected_close: date | None = None,
    external_id: str | None = None,
) -> DealRead:
    name = _client_name(session, client_id)
    if not title.strip():
        raise ValidationError(_("a deal needs a title"), field="title")
    if probability is not None and not 0 <= probability <= 100:
        raise ValidationError(_("probability is 0 to 100"), field="probability")
    deal = Deal(
        client_id=client_id,
        title=title.strip(),
        kind=_choice(kind, DealKind, "kind") or DealKind.NEW.value,
        stage=_choice(stage, DealStage, "stage") or DealStage.LEAD.value,
        amount_minor=amount_minor,
        currency=currency.upper(),
        probability=probability,
        expected_close=expected_close,
        external_id=external_id,
        stage_changed_at=datetime.now(UTC),
    )
    check_lengths(deal)
    session.add(deal)
    session.flush()
    return deal_read(deal, name)


def update_deal(*, session: Session, deal_id: int, today: date, **changes: Any) -> DealRead:
    """Change a deal: move its expected close, its stage (won/lost closes it today), amount, chance.

    Every change is checked before any is applied: a refused edit leaves the deal as it was."""
    deal = _load(session, Deal, deal_id, "deal")
    cleaned: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "stage":
            value = _choice(value, DealStage, "stage")
        elif key == "kind":
            value = _choice(value, DealKind, "kind")
        elif key == "title":
            value = (value or "").strip()
            if not value:
                raise ValidationError(_("a deal needs a title"), field="title")
        elif key == "probability" and value is not None and not 0 <= value <= 100:
            raise ValidationError(_("probability is 0 to 100"), field="probability")
        elif key not in {"amount_minor", "probability", "expected_close"}:
            raise ValidationError(_("{key} cannot be changed here").format(key=repr(key)), field=key)
        cleaned[key] = value
    if "stage" in cleaned:
        closed = cleaned["stage"] in (DealStage.WON, DealStage.LOST)
        deal.closed_on = (deal.closed_on or today) if closed else None  # reopened: no longer closed
        if cleaned["stage"] != deal.stage:
            deal.stage_changed_at = datetime.now(UTC)
    for key, value in cleaned.items():
        setattr(deal, key, value)
    deal.updated_at = datetime.now(UTC)
    check_lengths(deal)
    session.add(deal)
    session.flush()
    return deal_read(deal, _client_name(session, deal.client_id))


def get_deal(*, session: Session, deal_id: int) -> DealRead:
    deal = _load(session, Deal, deal_id, "deal")
    return deal_read(deal, _client_name(session, deal.client_id))


def delete_deal(*, session: Session, deal_id: int) -> DealRead:
    """Delete a deal entered by mistake (a lost deal is better marked lost); returns what it was."""
    gone = get_deal(session=session, deal_id=deal_id)
    session.delete(_load(session, Deal, deal_id, "deal"))
    session.flush()
    return gone


def list_deals(*, session: Session, client_id: int | None = None, open_only: bool = False) -> list[DealRead]:
    return reads.list_deals(store_of(session), client_id, open_only)


# Notes


def add_note(*, session: Session, client_id: int, text: str, tag: str | None = None, now: datetime) -> NoteRead:
    _client_name(session, client_id)
    if not text.strip():
        raise ValidationError(_("the note is empty"), field="text")
    note = Note(
        client_id=client_id,
        text=text.strip(),
        tag=_choice(tag, NoteTag, "tag") or "general",
        created_at=now,
    )
    check_lengths(note)
    session.add(note)
    session.flush()
    assert note.id is not None
    return read_of(NoteRead, note)


def list_notes(*, session: Session, client_id: int) -> list[NoteRead]:
    return reads.list_notes(store_of(session), client_id)


# Sales targets and actuals


def month_start(day: date) -> date:
    return day.replace(day=1)


def set_target(*, session: Session, period: date, amount_minor: int, currency: str = "RUB") -> TargetRead:
    """Set (or replace) the target of a month in one currency; each currency has its own."""
    start = month_start(period)
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(
            _("{currency} is not a currency code (like RUB, EUR)").format(currency=repr(currency)), field="currency"
        )
    if amount_minor < 0:
        raise ValidationError(_("a target cannot be negative"), field="amount")
    target = session.scalar(
        select(SalesTarget).where(col(SalesTarget.period) == start, col(SalesTarget.currency) == code)
    )
    if target is None:
        target = SalesTarget(period=start, amount_minor=amount_minor, currency=code)
    else:
        target.amount_minor = amount_minor
    check_lengths(target)
    session.add(target)
    session.flush()
    return TargetRead(period=start, amount_minor=amount_minor, currency=code)


def list_targets(*, session: Session) -> list[TargetRead]:
    return [
        TargetRead(period=t.period, amount_minor=t.amount_minor, currency=t.currency)
        for t in session.scalars(select(SalesTarget).order_by(col(SalesTarget.period), col(SalesTarget.currency)))
    ]


def sales_in_month(*, session: Session, period: date, currency: str | None = None) -> int:
    """Actual sales of a month in one currency: the amounts invoiced in it (minor units).

    ``currency`` None sums every invoice and is only meaningful for a one-currency portfolio."""
    start = month_start(period)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    statement = select(func.coalesce(func.sum(col(Invoice.amount_minor)), 0)).where(
        col(Invoice.issued_on) >= start, col(Invoice.issued_on) < end
    )
    if currency is not None:
        statement = statement.where(col(Invoice.currency) == currency.upper())
    return int(session.scalar(statement) or 0)


def sales_by_currency(*, session: Session, period: date) -> dict[str, int]:
    """Invoiced in a month per currency (never added together)."""
    start = month_start(period)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    rows = session.execute(
        select(col(Invoice.currency), func.sum(col(Invoice.amount_minor)))
        .where(col(Invoice.issued_on) >= start, col(Invoice.issued_on) < end)
        .group_by(col(Invoice.currency))
        .order_by(col(Invoice.currency))
    ).all()
    return {currency: int(total or 0) for currency, total in rows}


def sales_by_month(*, session: Session, first: date, last: date) -> dict[date, dict[str, int]]:
    """Invoiced per month and currency, for the months from ``first`` to ``last`` (both month starts
    or days within them), in one grouped read of the invoices' ``(issued_on, ..., amount_minor)`` index
    (Today's trend asked six single-month sums before). Months without sales are absent."""
    start = month_start(first)
    end_month = month_start(last)
    end = date(end_month.year + end_month.month // 12, end_month.month % 12 + 1, 1)
    rows = session.execute(
        select(col(Invoice.issued_on), col(Invoice.currency), func.sum(col(Invoice.amount_minor)))
        .where(col(Invoice.issued_on) >= start, col(Invoice.issued_on) < end)
        .group_by(col(Invoice.issued_on), col(Invoice.currency))
    ).all()
    result: dict[date, dict[str, int]] = {}
    for issued_on, currency, total in rows:
        if isinstance(issued_on, str):  # not through the ORM's column type
            issued_on = date.fromisoformat(issued_on)
        month = result.setdefault(issued_on.replace(day=1), {})
        month[currency] = month.get(currency, 0) + int(total or 0)
    return result
