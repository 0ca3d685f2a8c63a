"""Writes the TUI forms need beyond the plain services: a contact saved as a whole, its phones
and e-mails replaced by what the form shows. No textual here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session

from amtui.models import ContactMethod
from amtui.services import contacts
from amtui.services.schemas import ContactRead


def save_contact(
    *,
    session: Session,
    contact_id: int | None,
    client_id: int,
    full_name: str,
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    **values: Any,
) -> ContactRead:
    """Create a contact, or overwrite one with the form's values.

    On edit the phone and e-mail lists are the form's lists in their order: removed
    numbers go, new ones come, so the form never needs a separate "delete a phone".
    """
    if contact_id is None:
        return contacts.create_contact(
            session=session, client_id=client_id, full_name=full_name, phones=phones, emails=emails, **values
        )
    contacts.get_contact(session=session, contact_id=contact_id)  # NotFoundError before any change
    session.execute(delete(ContactMethod).where(ContactMethod.contact_id == contact_id))  # type: ignore[arg-type]
    session.flush()
    return contacts.update_contact(
        session=session, contact_id=contact_id, full_name=full_name, add_phones=phones, add_emails=emails, **values
    )
