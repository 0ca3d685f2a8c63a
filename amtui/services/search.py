"""Search clients and people, folding case in every script.

Names are stored casefolded beside the original (see ``text.fold``), so the
query is folded the same way in Python and matched with a portable
``LIKE '%..%'`` on the folded column: ``иванов`` finds ``Иванов``, ``strasse``
finds ``Straße``. Every word of the query must match.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from amtui.models import Client, Contact, ContactMethod
from amtui.services.schemas import SearchHit
from amtui.services.text import fold, normalise_phone


def search(*, session: Session, text: str, limit: int = 50) -> list[SearchHit]:
    words = fold(text).split()
    if not words:
        return []
    hits: list[SearchHit] = []
    client_query = select(col(Client.id), col(Client.name), col(Client.city), col(Client.tier), col(Client.tax_id))
    for word in words:
        client_query = client_query.where(
            or_(col(Client.name_folded).contains(word, autoescape=True), col(Client.tax_id) == word)
        )
    for row in session.execute(client_query.order_by(col(Client.name_folded)).limit(limit)):
        detail = " · ".join(part for part in (f"tier {row.tier}", row.city, row.tax_id and f"INN {row.tax_id}") if part)
        hits.append(SearchHit(kind="client", id=row.id, label=row.name, client_id=row.id, detail=detail))

    matching_methods = select(col(ContactMethod.contact_id)).where(
        or_(
            col(ContactMethod.value_norm).contains(fold(text).strip(), autoescape=True),
            *(
                [col(ContactMethod.value_norm).contains(normalise_phone(text), autoescape=True)]
                if len(normalise_phone(text)) >= 5
                else []
            ),
        )
    )
    contact_query = select(
        col(Contact.id), col(Contact.full_name), col(Contact.title), col(Contact.client_id), col(Client.name)
    ).join(Client, col(Contact.client_id) == col(Client.id), isouter=True)
    name_match = and_(*(col(Contact.full_name_folded).contains(word, autoescape=True) for word in words))
    contact_query = contact_query.where(or_(name_match, col(Contact.id).in_(matching_methods)))
    for row in session.execute(contact_query.order_by(col(Contact.full_name_folded)).limit(limit)):
        detail = " · ".join(part for part in (row.title, row.name) if part)
        hits.append(
            SearchHit(
                kind="contact",
                id=row.id,
                label=row.full_name,
                client_id=row.client_id,
                detail=detail,
            )
        )
    return hits
