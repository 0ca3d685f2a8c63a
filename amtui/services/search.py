"""Search clients and people, folding case in every script.

Names are stored casefolded beside the original (see ``text.fold``), so the
query is folded the same way in Python and matched with a portable
``LIKE '%..%'`` on the folded column: ``иванов`` finds ``Иванов``, ``strasse``
finds ``Straße``. Every word of the query must match. A query also finds a
person by any part of a phone number in any formatting (``957 472``,
``+7 (495) 957-47-21``), by e-mail, and a client by its tax id; each hit says
what matched (``SearchHit.matched``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from amtui.models import Client, Contact, ContactMethod
from amtui.services.schemas import SearchHit
from amtui.services.text import fold, normalise_phone

# A query with fewer digits than this is not read as part of a phone number or a tax id.
MIN_DIGITS = 5


def search(*, session: Session, text: str, limit: int = 50) -> list[SearchHit]:
    from amtui.services.phones import display_phone

    words = fold(text).split()
    if not words:
        return []
    whole = " ".join(words)
    digits = "".join(ch for ch in text if ch.isdigit())
    phone = normalise_phone(text) if len(digits) >= MIN_DIGITS else ""
    hits: list[SearchHit] = []
    client_query = select(col(Client.id), col(Client.name), col(Client.city), col(Client.tier), col(Client.tax_id))
    by_tax_id: Any = col(Client.tax_id) == whole
    if len(digits) >= MIN_DIGITS and len(digits) == len(whole.replace(" ", "")):
        by_tax_id = or_(by_tax_id, col(Client.tax_id).contains(digits, autoescape=True))
    name_match = and_(*(col(Client.name_folded).contains(word, autoescape=True) for word in words))
    client_query = client_query.where(or_(name_match, by_tax_id))
    for row in session.execute(client_query.order_by(col(Client.name_folded)).limit(limit)):
        detail = " · ".join(part for part in (f"tier {row.tier}", row.city, row.tax_id and f"INN {row.tax_id}") if part)
        by_name = all(word in fold(row.name) for word in words)
        hits.append(
            SearchHit(
                kind="client",
                id=row.id,
                label=row.name,
                client_id=row.id,
                detail=detail,
                matched="name" if by_name else f"INN {row.tax_id}",
                client_name=row.name,
            )
        )

    method_match = [col(ContactMethod.value_norm).contains(whole, autoescape=True)]
    if phone:
        method_match.append(col(ContactMethod.value_norm).contains(phone, autoescape=True))
        if phone != digits:
            method_match.append(col(ContactMethod.value_norm).contains(digits, autoescape=True))
    methods: dict[int, tuple[str, str]] = {}
    for contact_id, kind, value, norm in session.execute(
        select(
            col(ContactMethod.contact_id),
            col(ContactMethod.kind),
            col(ContactMethod.value),
            col(ContactMethod.value_norm),
        )
        .where(or_(*method_match))
        .order_by(col(ContactMethod.position))
        .limit(limit * 4)
    ):
        if contact_id in methods:
            continue
        if kind == "phone":
            methods[contact_id] = (norm, f"{display_phone(value)}")
        else:
            methods[contact_id] = (norm, value)

    contact_query = select(
        col(Contact.id), col(Contact.full_name), col(Contact.title), col(Contact.client_id), col(Client.name)
    ).join(Client, col(Contact.client_id) == col(Client.id), isouter=True)
    person_match = and_(*(col(Contact.full_name_folded).contains(word, autoescape=True) for word in words))
    conditions: list[Any] = [person_match]
    if methods:
        conditions.append(col(Contact.id).in_(list(methods)))
    contact_query = contact_query.where(or_(*conditions))
    for row in session.execute(contact_query.order_by(col(Contact.full_name_folded)).limit(limit)):
        detail = " · ".join(part for part in (row.title, row.name) if part)
        by_name = all(word in fold(row.full_name) for word in words)
        hits.append(
            SearchHit(
                kind="contact",
                id=row.id,
                label=row.full_name,
                client_id=row.client_id,
                detail=detail,
                matched="name" if by_name or row.id not in methods else methods[row.id][1],
                client_name=row.name or "",
            )
        )
    return hits
