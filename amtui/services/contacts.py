"""People at clients: create, edit, find, with several phones and e-mails each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import Session, col

from amtui.i18n import _
from amtui.models import Client, Contact, ContactMethod
from amtui.models.base import Channel, ContactRole, MethodKind, settable_fields
from amtui.services import reads
from amtui.services.errors import AmbiguousError, NotFoundError, ValidationError, check_choice
from amtui.services.limits import check_lengths
from amtui.services.phones import clean_phone, default_region, display_phone, phone_key
from amtui.services.schemas import ContactMethodRead, ContactRead, read_of
from amtui.services.store import store_of
from amtui.services.text import check_email, fold, normalise_email
from amtui.vocabulary import one_of

# Fields a caller may set: the model's columns but those derived or managed here.
CONTACT_FIELDS = frozenset(settable_fields(Contact) - {"full_name_folded"})

ROLE_ALIASES = {
    "dm": ContactRole.DECISION_MAKER, "decision": ContactRole.DECISION_MAKER,
    "decision-maker": ContactRole.DECISION_MAKER, "лпр": ContactRole.DECISION_MAKER,
    "influencer": ContactRole.INFLUENCER, "лвр": ContactRole.INFLUENCER,
    "user": ContactRole.USER, "gatekeeper": ContactRole.GATEKEEPER, "секретарь": ContactRole.GATEKEEPER,
}  # fmt: skip


def normalise_role(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    key = value.strip().casefold().replace(" ", "_")
    if key in {role.value for role in ContactRole}:
        return key
    alias = ROLE_ALIASES.get(key.replace("_", "-")) or ROLE_ALIASES.get(key)
    if alias is None:
        raise ValidationError(
            _("{value}: role is {contactrole}").format(value=repr(value), contactrole=one_of(ContactRole)), field="role"
        )
    return alias.value


def compose_full_name(given: str | None, middle: str | None, family: str | None) -> str:
    return " ".join(part for part in (given, middle, family) if part)


def _method_reads(
    methods: Iterable[ContactMethod],
) -> tuple[tuple[ContactMethodRead, ...], tuple[ContactMethodRead, ...]]:
    ordered = sorted(methods, key=lambda method: method.position)
    phones = tuple(
        read_of(ContactMethodRead, m, value=display_phone(m.value)) for m in ordered if m.kind == MethodKind.PHONE
    )
    emails = tuple(read_of(ContactMethodRead, m) for m in ordered if m.kind == MethodKind.EMAIL)
    return phones, emails


def to_read(contact: Contact, methods: Iterable[ContactMethod] = (), client_name: str | None = None) -> ContactRead:
    phones, emails = _method_reads(methods)
    return read_of(ContactRead, contact, client_name=client_name, phones=phones, emails=emails)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key not in CONTACT_FIELDS:
            raise ValidationError(_("unknown contact field {key}").format(key=repr(key)), field=key)
        if isinstance(value, str):
            value = value.strip() or None
        cleaned[key] = value
    if "role" in cleaned:
        cleaned["role"] = normalise_role(cleaned["role"])
    if cleaned.get("preferred_channel") is not None:
        cleaned["preferred_channel"] = check_choice(cleaned["preferred_channel"], Channel, "preferred_channel")
    if cleaned.get("language"):
        from amtui.i18n import parse_language

        cleaned["language"] = parse_language(str(cleaned["language"]))
    return cleaned


def _add_methods(session: Session, contact_id: int, kind: str, values: Sequence[str], start: int) -> None:
    for offset, value in enumerate(values):
        label = None
        norm = phone_key(value) if kind == MethodKind.PHONE else normalise_email(value)
        method = ContactMethod(
            contact_id=contact_id,
            kind=kind,
            value=value,
            value_norm=norm,
            label=label,
            position=start + offset,
        )
        check_lengths(method)
        session.add(method)


def _phones(values: Sequence[str]) -> list[str]:
    """Phones as stored: E.164 where the number is known (see services/phones.py), else as typed."""
    if not values:
        return []
    region = default_region()
    return [clean_phone(value, region=region) for value in values]


def create_contact(
    *,
    session: Session,
    client_id: int | None,
    full_name: str | None = None,
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    **values: Any,
) -> ContactRead:
    data = _clean(values)
    stored_phones, stored_emails = _phones(phones), [check_email(email) for email in emails]
    name = (full_name or "").strip() or compose_full_name(
        data.get("given_name"), data.get("middle_name"), data.get("family_name")
    )
    if not name:
        raise ValidationError(_("a contact needs a name"), field="name")
    if client_id is not None:
        client = session.get(Client, client_id)
        if client is None:
            raise NotFoundError(_("no client with id {client_id}").format(client_id=client_id))

    contact = Contact(
        client_id=client_id,
        full_name=name,
        full_name_folded=fold(name),
        **{k: v for k, v in data.items() if v is not None},
    )
    check_lengths(contact)
    session.add(contact)
    session.flush()
    assert contact.id is not None
    _add_methods(session, contact.id, MethodKind.PHONE, stored_phones, 0)
    _add_methods(session, contact.id, MethodKind.EMAIL, stored_emails, 0)
    session.flush()
    return get_contact(session=session, contact_id=contact.id)


def update_contact(
    *,
    session: Session,
    contact_id: int,
    add_phones: Sequence[str] = (),
    add_emails: Sequence[str] = (),
    **changes: Any,
) -> ContactRead:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(_("no contact with id {contact_id}").format(contact_id=contact_id))
    for key, value in _clean(changes).items():
        if key == "full_name" and not value:
            raise ValidationError(_("a contact needs a name"), field="name")
        setattr(contact, key, value)
    contact.full_name_folded = fold(contact.full_name)
    contact.updated_at = datetime.now(UTC)
    existing = list(session.scalars(select(ContactMethod).where(col(ContactMethod.contact_id) == contact_id)))
    known = {(m.kind, m.value_norm) for m in existing}
    new_phones = [p for p in _phones(add_phones) if (MethodKind.PHONE.value, phone_key(p)) not in known]
    new_emails = [e for e in map(check_email, add_emails) if (MethodKind.EMAIL.value, normalise_email(e)) not in known]
    _add_methods(session, contact_id, MethodKind.PHONE, new_phones, len(existing))
    _add_methods(session, contact_id, MethodKind.EMAIL, new_emails, len(existing) + len(new_phones))
    check_lengths(contact)
    session.add(contact)
    session.flush()
    return get_contact(session=session, contact_id=contact_id)


def replace_contact(
    *,
    session: Session,
    contact_id: int,
    full_name: str,
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    **values: Any,
) -> ContactRead:
    """Overwrite a contact with a whole set of values (what an edit form holds): its phones and
    e-mails become ``phones`` and ``emails`` in that order, so removed ones go and new ones come."""
    get_contact(session=session, contact_id=contact_id)  # NotFoundError before any change
    session.execute(delete(ContactMethod).where(col(ContactMethod.contact_id) == contact_id))
    session.flush()
    return update_contact(
        session=session, contact_id=contact_id, full_name=full_name, add_phones=phones, add_emails=emails, **values
    )


def get_contact(*, session: Session, contact_id: int) -> ContactRead:
    found = contacts_by_ids(session=session, contact_ids=[contact_id])
    if not found:
        raise NotFoundError(_("no contact with id {contact_id}").format(contact_id=contact_id))
    return found[0]


def contacts_by_ids(*, session: Session, contact_ids: Sequence[int]) -> list[ContactRead]:
    return reads.contacts_by_ids(store_of(session), contact_ids)


def list_contacts(*, session: Session, client_id: int) -> list[ContactRead]:
    """The client's people, decision makers first."""
    return reads.list_contacts(store_of(session), client_id)


def resolve_contact(*, session: Session, client_id: int, ref: str) -> ContactRead:
    """One of the client's contacts by id or by an unambiguous part of the name."""
    text = ref.strip()
    people = list_contacts(session=session, client_id=client_id)
    if text.isdigit():
        for person in people:
            if person.id == int(text):
                return person
    words = fold(text).split()
    matches = [p for p in people if all(word in fold(p.full_name) for word in words)]
    exact = [p for p in matches if fold(p.full_name) == fold(text)]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        from amtui.services.fuzzy import did_you_mean

        raise NotFoundError(
            _("no contact of this client matches {text}").format(text=repr(text))
            + did_you_mean(text, [p.full_name for p in people])
        )
    raise AmbiguousError(
        _("{text} matches {matches} contacts").format(text=repr(text), matches=len(matches)),
        [f"{p.id}: {p.full_name}" for p in matches],
    )


def delete_contact(*, session: Session, contact_id: int) -> ContactRead:
    """Delete a person (their phones, e-mails and meeting attendance go too); returns who it was."""
    gone = get_contact(session=session, contact_id=contact_id)
    contact = session.get(Contact, contact_id)
    session.delete(contact)
    session.flush()
    return gone
