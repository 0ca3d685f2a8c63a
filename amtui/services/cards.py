"""The client card: everything about one client, read in one unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from amtui.i18n import _, ngettext
from amtui.services import reads
from amtui.services.schemas import ClientCard, ComplaintRead, ContactRead
from amtui.services.store import store_of
from amtui.services.text import format_money
from amtui.vocabulary import ClientStatus, ContactRole, complaint_cadence


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


def client_card(*, session: Any, client_id: int, today: date, zone: tzinfo, timeline: int = 30) -> ClientCard:
    """The card of ``client_id``. ``session``: an ORM session, a SQLAlchemy or a ``sqlite3``
    connection, or a Store (:func:`amtui.services.store.store_of`): the same reads on each."""
    store = store_of(session)
    client = reads.get_client(store, client_id)
    people = tuple(reads.list_contacts(store, client_id))
    last = reads.last_touch(store, client_id)
    invoices = tuple(reads.list_invoices(store, client_id))
    unpaid = [invoice for invoice in invoices if invoice.owed_minor > 0]

    its_complaints = reads.list_complaints(store, client_id)
    open_ones = [c for c in its_complaints if c.is_open]
    cadence = complaint_cadence(client.cadence_days) if open_ones else client.cadence_days

    start = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC) - timedelta(days=365)
    planned = tuple(reads.list_planned(store, client_id=client_id, start=start, end=start + timedelta(days=365 * 3)))
    return ClientCard(
        client=client,
        contacts=people,
        interactions=tuple(reads.list_for_client(store, client_id, limit=timeline)),
        planned=planned,
        open_tasks=tuple(reads.list_tasks(store, client_id=client_id)),
        contracts=tuple(reads.list_contracts(store, client_id)),
        invoices=invoices,
        deals=tuple(reads.list_deals(store, client_id)),
        notes=tuple(reads.list_notes(store, client_id)),
        last_touch_at=last,
        next_contact_due=reads.next_contact_due(last, cadence, zone=zone, today=today),
        receivables_minor=sum(invoice.owed_minor for invoice in unpaid),
        overdue_minor=sum(invoice.owed_minor for invoice in unpaid if invoice.due_on < today),
        warnings=complaint_warnings(open_ones, today) + card_warnings(people, client.status),
        exposure_minor=reads.exposure_minor(store, client_id),
        complaints=tuple(its_complaints),
    )
