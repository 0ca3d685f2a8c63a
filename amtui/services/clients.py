"""Clients: create, edit, find by name or id, the portfolio list and the card."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import func, select
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
from amtui.services.errors import AmbiguousError, NotFoundError, ValidationError, check_choice
from amtui.services.limits import check_lengths
from amtui.services.phones import clean_phone, display_phone
from amtui.services.schemas import ClientRead, ClientSummary, read_of
from amtui.services.text import check_tax_id, fold, name_key

# Fields a caller may set: the model's columns but those derived or managed here.
CLIENT_FIELDS = frozenset(settable_fields(Client) - {"name_folded"})


def effective_cadence(tier: str, cadence_days: int | None) -> int:
    return cadence_days or DEFAULT_CADENCE_DAYS.get(tier, DEFAULT_CADENCE_DAYS[Tier.B])


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
    return to_read(_get(session, client_id))


def resolve_client(*, session: Session, ref: str | int) -> ClientRead:
    """A client named by id or by any unambiguous part of its name, case folded.

    An exact (folded) name wins over partial matches; several partial matches
    raise AmbiguousError listing the candidates.
    """
    text = str(ref).strip()
    if not text:
        raise ValidationError(_("name a client (by id or by part of its name)"), field="client")
    if text.isdigit():
        client = session.get(Client, int(text))
        if client is not None:
            return to_read(client)
    key = fold(text)
    words = key.split()
    statement = select(Client)
    for word in words:
        statement = statement.where(col(Client.name_folded).contains(word, autoescape=True))
    matches = list(session.scalars(statement.order_by(col(Client.name_folded)).limit(50)))
    exact = [client for client in matches if client.name_folded == key]
    if len(exact) == 1:
        return to_read(exact[0])
    if len(matches) == 1:
        return to_read(matches[0])
    if not matches:
        from amtui.services.fuzzy import did_you_mean

        names = session.scalars(select(col(Client.name))).all()
        raise NotFoundError(_("no client matches {text}").format(text=repr(text)) + did_you_mean(text, names))
    candidates = [f"{client.id}: {client.name}" + (f" ({client.city})" if client.city else "") for client in matches]
    raise AmbiguousError(
        _("{text} matches {matches} clients; name one by id or a longer name").format(
            text=repr(text), matches=len(matches)
        ),
        candidates,
    )


def _last_touch_subquery() -> Any:
    return (
        select(func.max(col(Interaction.done_at)))
        .where(col(Interaction.client_id) == col(Client.id), col(Interaction.status) == InteractionStatus.DONE)
        .correlate(Client)
        .scalar_subquery()
    )


def last_touch(*, session: Session, client_id: int) -> datetime | None:
    value = session.scalar(
        select(func.max(col(Interaction.done_at))).where(
            col(Interaction.client_id) == client_id, col(Interaction.status) == InteractionStatus.DONE
        )
    )
    return _as_utc(value)


def _as_utc(value: Any) -> datetime | None:
    """Aggregates bypass the column type: SQLite returns max(done_at) as text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def next_contact_due(last: datetime | None, cadence_days: int, *, zone: tzinfo, today: date) -> date:
    """The day the next touch is due; a client never contacted is due today."""
    if last is None:
        return today
    return last.astimezone(zone).date() + timedelta(days=cadence_days)


def list_clients(
    *,
    session: Session,
    today: date,
    zone: tzinfo,
    tier: str | None = None,
    status: str | None = None,
    segment: str | None = None,
    query: str | None = None,
) -> list[ClientSummary]:
    """The portfolio with what the table shows, one query with correlated sub-selects."""
    owed = col(Invoice.amount_minor) - col(Invoice.paid_minor)
    receivables = (
        select(func.coalesce(func.sum(owed), 0))
        .where(col(Invoice.client_id) == col(Client.id), col(Invoice.paid_minor) < col(Invoice.amount_minor))
        .correlate(Client)
        .scalar_subquery()
    )
    overdue = (
        select(func.coalesce(func.sum(owed), 0))
        .where(
            col(Invoice.client_id) == col(Client.id),
            col(Invoice.paid_minor) < col(Invoice.amount_minor),
            col(Invoice.due_on) < today,
        )
        .correlate(Client)
        .scalar_subquery()
    )
    open_deals = (
        select(func.count(col(Deal.id)))
        .where(col(Deal.client_id) == col(Client.id), col(Deal.stage).in_(OPEN_DEAL_STAGES))
        .correlate(Client)
        .scalar_subquery()
    )
    statement = select(
        col(Client.id),
        col(Client.name),
        col(Client.tier),
        col(Client.status),
        col(Client.segment),
        col(Client.city),
        col(Client.cadence_days),
        col(Client.currency),
        _last_touch_subquery().label("last_touch"),
        receivables.label("receivables"),
        overdue.label("overdue"),
        open_deals.label("open_deals"),
    ).order_by(col(Client.name_folded))
    if tier:
        statement = statement.where(col(Client.tier) == tier.upper())
    if status:
        statement = statement.where(col(Client.status) == status.lower())
    if segment:
        statement = statement.where(col(Client.segment) == segment)
    for word in fold(query).split():
        statement = statement.where(col(Client.name_folded).contains(word, autoescape=True))
    rows = session.execute(statement).all()
    result = []
    for row in rows:
        cadence = effective_cadence(row.tier, row.cadence_days)
        last = _as_utc(row.last_touch)
        result.append(
            ClientSummary(
                id=row.id,
                name=row.name,
                tier=row.tier,
                status=row.status,
                segment=row.segment,
                city=row.city,
                cadence_days=cadence,
                last_touch_at=last,
                next_contact_due=next_contact_due(last, cadence, zone=zone, today=today),
                receivables_minor=int(row.receivables or 0),
                overdue_minor=int(row.overdue or 0),
                open_deals=int(row.open_deals or 0),
                currency=row.currency,
            )
        )
    # "ООО «Ромашка»" belongs under Р, not under О: sort without the legal form.
    result.sort(key=lambda summary: name_key(summary.name))
    return result


def delete_client(*, session: Session, client_id: int) -> None:
    session.delete(_get(session, client_id))
    session.flush()
