"""Search clients and people, folding case in every script.

Names are stored casefolded beside the original (see ``text.fold``), so the
query is folded the same way in Python and matched with a portable
``LIKE '%..%'`` on the folded column: ``иванов`` finds ``Иванов``, ``strasse``
finds ``Straße``. Every word of the query must match. A query also finds a
person by any part of a phone number in any formatting (``957 472``,
``+7 (495) 957-47-21``), by e-mail, and a client by its tax id; each hit says
what matched (``SearchHit.matched``).

It reads through lightweight Core views of the columns it needs (as the alert engine does), so
``amtui search`` and the TUI's palette import neither SQLModel nor the models (``COLUMNS_READ`` is
checked against the models in tests/test_search.py); a Session or a plain Connection will do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, String, and_, column, or_, select, table

from amtui.i18n import _
from amtui.services.schemas import SearchHit
from amtui.services.text import fold, normalise_phone

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

# A query with fewer digits than this is not read as part of a phone number or a tax id.
MIN_DIGITS = 5

_client = table(
    "client",
    column("id", Integer),
    column("name", String),
    column("name_folded", String),
    column("city", String),
    column("tier", String),
    column("tax_id", String),
)
_contact = table(
    "contact",
    column("id", Integer),
    column("client_id", Integer),
    column("full_name", String),
    column("full_name_folded", String),
    column("title", String),
)
_contact_method = table(
    "contact_method",
    column("contact_id", Integer),
    column("kind", String),
    column("value", String),
    column("value_norm", String),
    column("position", Integer),
)
COLUMNS_READ = (_client, _contact, _contact_method)


def search(*, session: Session | Connection, text: str, limit: int = 50) -> list[SearchHit]:
    Client, Contact, ContactMethod = _client.c, _contact.c, _contact_method.c
    words = fold(text).split()
    if not words:
        return []
    whole = " ".join(words)
    digits = "".join(ch for ch in text if ch.isdigit())
    phone = normalise_phone(text) if len(digits) >= MIN_DIGITS else ""
    hits: list[SearchHit] = []
    client_query = select(Client.id, Client.name, Client.city, Client.tier, Client.tax_id)
    by_tax_id: Any = Client.tax_id == whole
    if len(digits) >= MIN_DIGITS and len(digits) == len(whole.replace(" ", "")):
        by_tax_id = or_(by_tax_id, Client.tax_id.contains(digits, autoescape=True))
    name_match = and_(*(Client.name_folded.contains(word, autoescape=True) for word in words))
    client_query = client_query.where(or_(name_match, by_tax_id))
    for row in session.execute(client_query.order_by(Client.name_folded).limit(limit)):
        detail = " · ".join(
            part
            for part in (f"tier {row.tier}", row.city, row.tax_id and _("INN {number}").format(number=row.tax_id))
            if part
        )
        by_name = all(word in fold(row.name) for word in words)
        hits.append(
            SearchHit(
                kind="client",
                id=row.id,
                label=row.name,
                client_id=row.id,
                detail=detail,
                matched="name" if by_name else _("INN {number}").format(number=row.tax_id),
                client_name=row.name,
            )
        )

    method_match = [ContactMethod.value_norm.contains(whole, autoescape=True)]
    if phone:
        method_match.append(ContactMethod.value_norm.contains(phone, autoescape=True))
        if phone != digits:
            method_match.append(ContactMethod.value_norm.contains(digits, autoescape=True))
    methods: dict[int, tuple[str, str]] = {}
    for contact_id, kind, value, norm in session.execute(
        select(
            ContactMethod.contact_id,
            ContactMethod.kind,
            ContactMethod.value,
            ContactMethod.value_norm,
        )
        .where(or_(*method_match))
        .order_by(ContactMethod.position)
        .limit(limit * 4)
    ):
        if contact_id in methods:
            continue
        if kind == "phone":
            from amtui.services.phones import display_phone  # phonenumbers: only for a phone found

            methods[contact_id] = (norm, f"{display_phone(value)}")
        else:
            methods[contact_id] = (norm, value)

    contact_query = select(Contact.id, Contact.full_name, Contact.title, Contact.client_id, Client.name).join(
        _client, Contact.client_id == Client.id, isouter=True
    )
    person_match = and_(*(Contact.full_name_folded.contains(word, autoescape=True) for word in words))
    conditions: list[Any] = [person_match]
    if methods:
        conditions.append(Contact.id.in_(list(methods)))
    contact_query = contact_query.where(or_(*conditions))
    for row in session.execute(contact_query.order_by(Contact.full_name_folded).limit(limit)):
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
