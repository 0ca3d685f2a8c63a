"""Add or edit a person at a client: name, title, role, phones, e-mails, birthday, channel, notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.i18n import N_, _
from amtui.screens.form_base import FormScreen, form_css, labelled_select, language_options, split_list
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import ContactRead
    from amtui.services.workspace import Workspace

ROLES = [
    (N_("Decision maker ★"), "decision_maker"),
    (N_("Influencer"), "influencer"),
    (N_("User"), "user"),
    (N_("Gatekeeper"), "gatekeeper"),
]
CHANNELS = [(N_("Phone"), "phone"), (N_("E-mail"), "email"), (N_("Messenger"), "messenger"), (N_("Visit"), "visit")]


def phones(text: str) -> list[str]:
    from amtui.services.text import check_phone

    return [check_phone(value) for value in split_list(text)]


def emails(text: str) -> list[str]:
    from amtui.services.text import check_email

    return [check_email(value) for value in split_list(text)]


def birthday(text: str) -> tuple[str, int | None]:
    from amtui.services.dates import parse_birthday

    return parse_birthday(text)


def birthday_text(person: ContactRead) -> str:
    if not person.birthday_md:
        return ""
    month, day = person.birthday_md.split("-")
    return f"{day}.{month}" + (f".{person.birthday_year}" if person.birthday_year else "")


class ContactForm(FormScreen):
    """``contact=None`` adds a person to the client; otherwise edits that person."""

    CSS_PATH = form_css(__file__)

    def __init__(self, *, client_id: int, contact: ContactRead | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.contact = contact

    def form_title(self) -> str:
        return _("Edit {name}").format(name=self.contact.full_name) if self.contact else _("Add a contact")

    def fields(self) -> ComposeResult:
        c = self.contact
        yield Field(
            _("Full name"), c.full_name if c else "", required=True, placeholder="Иван Петрович Сидоров", id="f-name"
        )
        with Horizontal(classes="form--row"):
            yield Field(_("Title"), (c.title or "") if c else "", placeholder=_("purchasing director"), id="f-title")
            yield labelled_select(_("Role"), ROLES, c.role if c else None, select_id="f-role", allow_blank=True)
            yield labelled_select(
                _("Language"),
                language_options(),
                c.language if c else None,
                select_id="f-language",
                allow_blank=True,
                prompt=_("the client's"),
            )
        yield Field(
            _("Phones (comma-separated)"),
            ", ".join(p.value for p in c.phones) if c else "",
            placeholder="+7 495 123-45-67, +7 916 000-00-00",
            check=phones,
            id="f-phone",
        )
        yield Field(
            _("E-mails (comma-separated)"),
            ", ".join(e.value for e in c.emails) if c else "",
            placeholder=_("name@company.ru"),
            check=emails,
            id="f-email",
        )
        with Horizontal(classes="form--row"):
            yield Field(
                _("Birthday"),
                birthday_text(c) if c else "",
                placeholder="12.03 or 12.03.1980",
                check=birthday,
                id="f-birthday",
            )
            channel = c.preferred_channel if c else None
            yield labelled_select(_("Preferred channel"), CHANNELS, channel, select_id="f-channel", allow_blank=True)
        yield Field(
            _("Personal notes"),
            (c.personal_notes or "") if c else "",
            placeholder=_("hobbies, family, what matters"),
            id="f-notes",
        )

    def on_mount(self) -> None:
        self.field("f-name").input.focus()

    def job(self) -> Any:
        born: tuple[str, int | None] | None = self.field("f-birthday").parsed
        values: dict[str, Any] = {
            "full_name": self.field("f-name").parsed,
            "title": self.field("f-title").parsed,
            "role": self.choice("f-role") or None,
            "preferred_channel": self.choice("f-channel") or None,
            "birthday_md": born[0] if born else None,
            "birthday_year": born[1] if born else None,
            "personal_notes": self.field("f-notes").parsed,
            "phones": self.field("f-phone").parsed or [],
            "emails": self.field("f-email").parsed or [],
            "language": self.choice("f-language") or None,
        }
        contact_id = self.contact.id if self.contact else None
        client_id = self.client_id

        def save(ws: Workspace) -> str:
            person = ws.save_contact(contact_id, client_id=client_id, **values)
            return (_("Saved {name}") if contact_id else _("Added {name}")).format(name=person.full_name)

        return save
