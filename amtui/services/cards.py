"""The client card: everything about one client, read in one unit of work."""

from __future__ import annotations

from datetime import date, tzinfo

from sqlmodel import Session

from amtui.i18n import _, ngettext
from amtui.models.base import ClientStatus, ContactRole
from amtui.services import clients, complaints, contacts, interactions, records, tasks
from amtui.services.schemas import ClientCard, ComplaintRead, ContactRead
from amtui.services.text import format_money
from amtui.vocabulary import complaint_cadence


def card_warnings(people: tuple[ContactRead, ...] | list[ContactRead], status: str) -> tuple[str, ...]:
    """What a key-account manager must fix: nobody who decides, or a single thread to the client."""
    if status == ClientStatus.LOST:
        return ()
    warnings = []
    if not people:
        warnings.append(_("No contacts: who do we talk to?"))
    else:
        if not any(person.role == ContactRole.DECISION_MAKER for person in people):
            warnings.append(_("No decision maker recorded"))
        if len(people) == 1:
            warnings.append(_("Only one contact: the relationship hangs on one person"))
    return tuple(warnings)


def complaint_warnings(open_ones: list[ComplaintRead], today: date) -> tuple[str, ...]:
    """An open complaint puts the account at risk: say so at the top of the card."""
    if not open_ones:
        return ()
    late = [c for c in open_ones if c.due_on is not None and c.due_on < today]
    at_stake: dict[str, int] = {}
    for complaint in open_ones:
        if complaint.amount_minor:
            at_stake[complaint.currency] = at_stake.get(complaint.currency, 0) + complaint.amount_minor
    money = ", ".join(format_money(amount, currency) for currency, amount in sorted(at_stake.items()))
    count = ngettext("{n} open complaint", "{n} open complaints", len(open_ones)).format(n=len(open_ones))
    return (
        _("At risk: {complaints}{late}{money}; call twice as often until resolved").format(
            complaints=count,
            late=_(", {n} past the promised day").format(n=len(late)) if late else "",
            money=_("; {amount} in dispute").format(amount=money) if money else "",
        ),
    )


def client_card(*, session: Session, client_id: int, today: date, zone: tzinfo, timeline: int = 30) -> ClientCard:
    client = clients.get_client(session=session, client_id=client_id)
    people = tuple(contacts.list_contacts(session=session, client_id=client_id))
    last = clients.last_touch(session=session, client_id=client_id)
    invoices = tuple(records.list_invoices(session=session, client_id=client_id))
    unpaid = [invoice for invoice in invoices if invoice.owed_minor > 0]
    from datetime import UTC, datetime, time, timedelta

    its_complaints = complaints.list_complaints(session=session, client_id=client_id)
    open_ones = [c for c in its_complaints if c.is_open]
    cadence = complaint_cadence(client.cadence_days) if open_ones else client.cadence_days

    start = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC) - timedelta(days=365)
    planned = tuple(
        interactions.list_planned(
            session=session, client_id=client_id, start=start, end=start + timedelta(days=365 * 3)
        )
    )
    return ClientCard(
        client=client,
        contacts=people,
        interactions=tuple(interactions.list_for_client(session=session, client_id=client_id, limit=timeline)),
        planned=planned,
        open_tasks=tuple(tasks.list_tasks(session=session, client_id=client_id)),
        contracts=tuple(records.list_contracts(session=session, client_id=client_id)),
        invoices=invoices,
        deals=tuple(records.list_deals(session=session, client_id=client_id)),
        notes=tuple(records.list_notes(session=session, client_id=client_id)),
        last_touch_at=last,
        next_contact_due=clients.next_contact_due(last, cadence, zone=zone, today=today),
        receivables_minor=sum(invoice.owed_minor for invoice in unpaid),
        overdue_minor=sum(invoice.owed_minor for invoice in unpaid if invoice.due_on < today),
        warnings=complaint_warnings(open_ones, today) + card_warnings(people, client.status),
        exposure_minor=_exposure(session, client_id),
        complaints=tuple(its_complaints),
    )


def _exposure(session: Session, client_id: int) -> int | None:
    from amtui.services.portfolio import exposure_of

    found = exposure_of(session=session, client_id=client_id)
    return found.exposure_minor if found is not None else None
