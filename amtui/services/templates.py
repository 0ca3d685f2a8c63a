"""Message templates the user can edit: the meeting report, the birthday greeting, the "tell the client" note.

One file per message and language. The user's own copy in ``<config dir>/templates/<lang>/<name>``
wins; the package ships the defaults (``amtui/templates/<lang>/<name>``). A template is
:class:`string.Template` text: ``$name`` or ``${name}`` fields, ``$$`` for a dollar sign; nothing
in it is executed. A field the message does not know is an error naming the file and the field.

After filling in, runs of blank lines left by empty fields shrink to one blank line.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from amtui.i18n import DEFAULT_LANGUAGE, current_language, normalize_language
from amtui.services.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from sqlmodel import Session

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "templates"
# The messages and the fields each one offers.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "report.md": ("heading", "client", "date", "kind", "place", "attendees", "agenda", "agreements", "next_steps"),
    "report.txt": ("heading", "client", "date", "kind", "place", "attendees", "agenda", "agreements", "next_steps"),
    "birthday.txt": ("name", "sender", "client"),
    "tell_client.txt": ("name", "message", "sender", "client"),
}
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def user_templates_dir() -> Path:
    from amtui.config import user_config_dir

    return user_config_dir() / "templates"


def template_path(name: str, language: str | None) -> Path:
    """The file the message ``name`` in ``language`` (None: the interface's) is read from: the user's copy,
    else the shipped one."""
    if name not in TEMPLATES:
        raise ValidationError(f"unknown template {name!r} (one of: {', '.join(TEMPLATES)})", field="template")
    lang = normalize_language(language) or current_language()
    for candidate in (
        user_templates_dir() / lang / name,
        SHIPPED_DIR / lang / name,
        SHIPPED_DIR / DEFAULT_LANGUAGE / name,
    ):
        if candidate.is_file():
            return candidate
    raise ValidationError(f"no template {name!r} shipped for {lang}", field="template")


def render_template(template: str, language: str | None, /, **fields: str) -> str:
    """The message ``template`` in ``language`` with ``fields`` filled in (every known field defaults to empty)."""
    path = template_path(template, language)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path}: cannot read the template: {exc}", field="template") from None
    values = dict.fromkeys(TEMPLATES[template], "") | {key: value or "" for key, value in fields.items()}
    try:
        filled = Template(text).substitute(values)
    except KeyError as exc:
        known = ", ".join(f"${field}" for field in TEMPLATES[template])
        raise ValidationError(
            f"{path}: unknown field ${exc.args[0]} (this template knows {known})", field="template"
        ) from None
    except ValueError as exc:
        raise ValidationError(f"{path}: {exc} (write $$ for a dollar sign)", field="template") from None
    return _BLANK_RUNS.sub("\n\n", filled).strip() + "\n"


def contact_language(*, session: Session, contact_id: int) -> str | None:
    """The language to write to a person in: theirs, else their client's; None: the interface language."""
    from amtui.models import Client, Contact

    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    if contact.language:
        return contact.language
    client = session.get(Client, contact.client_id) if contact.client_id else None
    return client.language if client else None


def _addressed(*, session: Session, contact_id: int) -> tuple[str, str | None, str | None]:
    """How to address the person (``Ирина Викторовна``, ``Giulia Bianchi``), their client's name, their language."""
    from amtui.models import Client, Contact

    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    client = session.get(Client, contact.client_id) if contact.client_id else None
    name = f"{contact.given_name} {contact.middle_name}" if contact.given_name and contact.middle_name else None
    language = contact.language or (client.language if client else None)
    return name or contact.full_name, client.name if client else None, language


def birthday_greeting(*, session: Session, contact_id: int, sender: str = "", language: str | None = None) -> str:
    """The birthday greeting for a contact, in their language (``birthday.txt``)."""
    name, client, own = _addressed(session=session, contact_id=contact_id)
    return render_template("birthday.txt", language or own, name=name, sender=sender, client=client or "")


def tell_client_note(
    *, session: Session, contact_id: int, message: str, sender: str = "", language: str | None = None
) -> str:
    """A short note to a contact around the user's own ``message``, in their language (``tell_client.txt``)."""
    name, client, own = _addressed(session=session, contact_id=contact_id)
    return render_template(
        "tell_client.txt", language or own, name=name, message=message, sender=sender, client=client or ""
    )
