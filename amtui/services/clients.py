"""Clients: create, edit, find by name or id, the portfolio list and the card."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from operator import itemgetter
from typing import Any

from sqlalchemy import String, case, func, select, type_coerce
from sqlmodel import Session, col

from amtui.i18n import _
from amtui.models import Client, Deal, Interaction, Invoice
from amtui.models.base import (
    DEFAULT_CADENCE_DAYS,
    OPEN_DEAL_STAGES,
    ClientStatus,
    InteractionStatus,
    Tier,
    settable_fields,
)
from amtui.services import reads
from amtui.services.errors import NotFoundError, ValidationError, check_choice
from amtui.services.limits import check_lengths
from amtui.services.phones import clean_phone, display_phone
from amtui.services.reads import effective_cadence as effective_cadence
from amtui.services.reads import next_contact_due as next_contact_due
from amtui.services.schemas import ClientRead, ClientSummary, read_of
from amtui.services.store import store_of
from amtui.services.text import check_tax_id, fold, folded_name_key, name_key

# Fields a caller may set: the model's columns but those derived or managed here.
CLIENT_FIELDS = frozenset(settable_fields(Client) - {"name_folded"})


def to_read(client: Client) -> ClientRead:
    return read_of(
        ClientRead,
        client,
        cadence_days=effective_cadence(client.tier, client.cadence_days),
        cadence_is_default=client.cadence_days is None,
        phone=display_phone(client.phone) or None,
    )


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key not in CLIENT_FIELDS:
            raise ValidationError(_("unknown client field {key}").format(key=repr(key)), field=key)
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[key] = value
    if "name" in cleaned and not cleaned["name"]:
        raise ValidationError(_("a client needs a name"), field="name")
    if cleaned.get("tier") is not None:
        cleaned["tier"] = check_choice(str(cleaned["tier"]), Tier, "tier")
    if cleaned.get("status") is not None:
        cleaned["status"] = check_choice(str(cleaned["status"]), ClientStatus, "status")
    if cleaned.get("tax_id"):
        cleaned["tax_id"] = check_tax_id(cleaned["tax_id"], field="tax_id")
    if cleaned.get("phone"):
        cleaned["phone"] = clean_phone(cleaned["phone"], field="phone")
    cadence = cleaned.get("cadence_days")
    if cadence is not None and not (isinstance(cadence, int) and 1 <= cadence <= 3650):
        raise ValidationError(
            _("{cadence}: cadence is a number of days, 1 to 3650").format(cadence=repr(cadence)), field="cadence_days"
        )
    if cleaned.get("currency"):
        cleaned["currency"] = str(cleaned["currency"]).upper()
    if cleaned.get("language"):
        from amtui.i18n import parse_language

        cleaned["language"] = parse_language(str(cleaned["language"]))
    return cleaned


def create_client(*, session: Session, name: str, **values: Any) -> ClientRead:
    data = _clean({"name": name, **values})
    data.setdefault("tier", Tier.B.value)
    data.setdefault("status", ClientStatus.ACTIVE.value)
    data = {key: value for key, value in data.items() if value is not None}
    client = Client(**data, name_folded=fold(data["name"]))
    check_lengths(client)
    session.add(client)
    session.flush()
    return to_read(client)


def update_client(*, session: Session, client_id: int, **changes: Any) -> ClientRead:
    client = _get(session, client_id)
    data = _clean(changes)
    for key, value in data.items():
        if key in ("tier", "status", "name", "currency") and value is None:
            continue
        setattr(client, key, value)
    client.name_folded = fold(client.name)
    client.updated_at = datetime.now(UTC)
    check_lengths(client)
    session.add(client)
    session.flush()
    return to_read(client)


def _get(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFoundError(_("no client with id {client_id}").format(client_id=client_id))
    return client


def get_client(*, session: Session, client_id: int) -> ClientRead:
    return reads.get_client(store_of(session), client_id)


def resolve_client(*, session: Session, ref: str | int) -> ClientRead:
    """A client named by id or by any unambiguous part of its name, case folded.

    An exact (folded) name wins over partial matches; several partial matches
    raise AmbiguousError listing the candidates.
    """
    from amtui.services.entries import find_client

    client_id, _name = find_client(session, ref)
    return reads.get_client(store_of(session), client_id)


def _last_touch_subquery() -> Any:
    return (
        select(func.max(col(Interaction.done_at)))
        .where(col(Interaction.client_id) == col(Client.id), col(Interaction.status) == InteractionStatus.DONE)
        .correlate(Client)
        .scalar_subquery()
    )


def last_touch(*, session: Session, client_id: int) -> datetime | None:
    return reads.last_touch(store_of(session), client_id)


def _as_utc(value: Any) -> datetime | None:
    """Aggregates bypass the column type: SQLite returns max(done_at) as text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _unpaid_by_client(today: date, client_ids: Sequence[int] | None = None) -> Any:
    """What each client owes and how much of it is overdue, grouped once over the unpaid invoices'
    partial index (``paid_minor < amount_minor``): the Clients table and Today's totals read the same.
    ``client_ids``: only those clients'."""
    owed = col(Invoice.amount_minor) - col(Invoice.paid_minor)
    unpaid: Any = select(
        col(Invoice.client_id).label("client_id"),
        func.sum(owed).label("receivables"),
        func.sum(case((col(Invoice.due_on) < today, owed), else_=0)).label("overdue"),
    ).where(col(Invoice.paid_minor) < col(Invoice.amount_minor))
    if client_ids is not None:
        unpaid = unpaid.where(col(Invoice.client_id).in_(client_ids))
    return unpaid.group_by(col(Invoice.client_id)).subquery("unpaid")


def receivables_by_currency(*, session: Session, today: date) -> tuple[tuple[str, int, int], ...]:
    """(currency, owed, overdue) over the portfolio, each client's receivables in the client's currency,
    largest first: what the Clients table's figures add up to, without reading every client
    (:func:`list_clients` at 20,000 clients costs ~0.5 s; this is one grouped read)."""
    unpaid = _unpaid_by_client(today)
    rows = (
        session.connection()
        .execute(
            select(col(Client.currency), func.sum(unpaid.c.receivables), func.sum(unpaid.c.overdue))
            .join_from(Client, unpaid, unpaid.c.client_id == col(Client.id))
            .group_by(col(Client.currency))
        )
        .all()
    )
    totals = [(currency, int(owed or 0), int(overdue or 0)) for currency, owed, overdue in rows]
    # The largest first: in practice the home currency.
    return tuple(sorted((row for row in totals if row[1]), key=lambda row: (-row[1], row[0])))


def count_clients(*, session: Session) -> int:
    return int(session.connection().execute(select(func.count()).select_from(Client)).scalar_one())


def _summary_statement(today: date, client_ids: Sequence[int] | None = None) -> Any:
    """The portfolio table's columns and figures: receivables, overdue money and open deals grouped once
    per table and joined (the unpaid invoices from their partial index ``paid_minor < amount_minor``, a
    small share of all invoices; correlated sub-selects per client cost 865 ms at 20,000 clients), the last
    touch a correlated ``max`` over ``(client_id, status, done_at)`` (one index probe per client, cheaper
    than grouping every interaction). ``client_ids`` narrows every part to those clients."""
    unpaid = _unpaid_by_client(today, client_ids)
    open_deals: Any = select(col(Deal.client_id).label("client_id"), func.count().label("open_deals")).where(
        col(Deal.stage).in_(OPEN_DEAL_STAGES)
    )
    if client_ids is not None:
        open_deals = open_deals.where(col(Deal.client_id).in_(client_ids))
    deals = open_deals.group_by(col(Deal.client_id)).subquery("deals")
    statement = select(
        col(Client.id),
        col(Client.name),
        col(Client.tier),
        col(Client.status),
        col(Client.segment),
        col(Client.city),
        col(Client.cadence_days),
        col(Client.currency),
        col(Client.name_folded),
        # The moment as stored text, parsed by _as_utc (the dialect's per-row processing costs more).
        type_coerce(_last_touch_subquery(), String).label("last_touch"),
        unpaid.c.receivables,
        unpaid.c.overdue,
        deals.c.open_deals,
    )
    statement = (
        statement.select_from(Client)
        .outerjoin(unpaid, unpaid.c.client_id == col(Client.id))
        .outerjoin(deals, deals.c.client_id == col(Client.id))
    )
    if client_ids is not None:
        statement = statement.where(col(Client.id).in_(client_ids))
    return statement


def _summaries(rows: Iterable[Any], *, today: date, zone: tzinfo) -> list[ClientSummary]:
    """The table's read rows from :func:`_summary_statement`'s, in their order. The hot loop of a
    20,000-client portfolio: the cadence and the stored moment resolved inline (what
    :func:`effective_cadence`, :func:`_as_utc` and :func:`next_contact_due` do, tested equal)."""
    defaults = DEFAULT_CADENCE_DAYS
    default_b = defaults[Tier.B]
    parse = datetime.fromisoformat
    days: dict[int, timedelta] = {}
    result: list[ClientSummary] = []
    append = result.append
    for (
        client_id,
        name,
        tier_,
        status_,
        segment_,
        city,
        cadence_days,
        currency,
        folded,
        last_touch_,
        receivables_,
        overdue_,
        open_deals_,
    ) in rows:
        cadence = cadence_days or defaults.get(tier_, default_b)
        if last_touch_ is None:
            last, due = None, today
        else:
            # SQLite hands the stored naive-UTC text: parsed with its zone in one step.
            moment = (
                parse(last_touch_ + "+00:00")
                if isinstance(last_touch_, str) and last_touch_[-6] not in "+-" and last_touch_[-1] != "Z"
                else _as_utc(last_touch_)
            )
            assert moment is not None
            last = moment
            step = days.get(cadence)
            if step is None:
                step = days[cadence] = timedelta(days=cadence)
            due = last.astimezone(zone).date() + step
        # Positional: the field order of ClientSummary.
        append(
            ClientSummary(
                client_id,
                name,
                tier_,
                status_,
                segment_,
                city,
                cadence,
                last,
                due,
                int(receivables_ or 0),
                int(overdue_ or 0),
                int(open_deals_ or 0),
                currency,
                folded or "",
            )
        )
    return result


def list_clients(
    *,
    session: Session,
    today: date,
    zone: tzinfo,
    tier: str | None = None,
    status: str | None = None,
    segment: str | None = None,
    query: str | None = None,
    ordered: bool = True,
) -> list[ClientSummary]:
    """The portfolio with what the table shows, in one query (see :func:`_summary_statement`).

    Sorted on the name without its legal form (``ordered``); the Clients screen sorts on its own and
    asks for none (``ordered=False``: the rows in no set order)."""
    statement = _summary_statement(today)
    if tier:
        statement = statement.where(col(Client.tier) == tier.upper())
    if status:
        statement = statement.where(col(Client.status) == status.lower())
    if segment:
        statement = statement.where(col(Client.segment) == segment)
    for word in fold(query).split():
        statement = statement.where(col(Client.name_folded).contains(word, autoescape=True))
    # Through the session's Connection: plain rows, no ORM result handling (20,000 rows at 10x).
    result = _summaries(session.connection().execute(statement).all(), today=today, zone=zone)
    if not ordered:
        return result
    # "ООО «Ромашка»" belongs under Р, not under О: sort without the legal form; equal keys in the
    # stored folded name's order, then by id (what ORDER BY name_folded gave, without SQLite walking
    # the name index and looking up every row: ~70 ms at 20,000 clients). The key from the stored
    # folded name (fold(name), kept by every writer): no second fold.
    keyed = [
        (
            (
                folded_name_key(summary.name_folded) if summary.name_folded else name_key(summary.name),
                bool(summary.name_folded),
                summary.name_folded,
                summary.id,
            ),
            summary,
        )
        for summary in result
    ]
    keyed.sort(key=itemgetter(0))
    return [summary for _key, summary in keyed]


def first_clients(*, session: Session, today: date, zone: tzinfo, limit: int) -> list[ClientSummary]:
    """The first ``limit`` clients in the Clients screen's order (the stored folded name, then the id: the
    name index's order) with the table's figures, read for them alone: what the screen shows while the
    whole portfolio is read (~10 ms at any size, against ~0.5 s for 20,000 clients)."""
    ids: list[int] = list(
        session.connection()  # type: ignore[arg-type]
        .execute(select(col(Client.id)).order_by(col(Client.name_folded), col(Client.id)).limit(limit))
        .scalars()
    )
    if not ids:
        return []
    rows = session.connection().execute(_summary_statement(today, ids)).all()
    return sorted(_summaries(rows, today=today, zone=zone), key=lambda summary: (summary.name_folded, summary.id))


def delete_client(*, session: Session, client_id: int) -> None:
    session.delete(_get(session, client_id))
    session.flush()
