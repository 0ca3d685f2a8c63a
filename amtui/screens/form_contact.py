"""Add or edit a person at a client: name, title, role, phones, e-mails, birthday, channel, notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.screens.form_base import FormScreen, form_css, labelled_select, split_list
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import ContactRead
    from amtui.services.workspace import Workspace

ROLES = [
    ("Decision maker ★", "decision_maker"),
    ("Influencer", "influencer"),
    ("User", "user"),
    ("Gatekeeper", "gatekeeper"),
]
CHANNELS = [("Phone", "phone"), ("E-mail", "email"), ("Messenger", "messenger"), ("Visit", "visit")]


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
        return f"Edit {self.contact.full_name}" if self.contact else "Add a contact"

    def fields(self) -> ComposeResult:
        c = self.contact
        yield Field(
            "Full name", c.full_name if c else "", required=True, placeholder="Иван Петрович Сидоров", id="f-name"
        )
        with Horizontal(classes="form--row"):
            yield Field("Title", (c.title or "") if c else "", placeholder="purchasing director", id="f-title")
            yield labelled_select("Role", ROLES, c.role if c else None, select_id="f-role", allow_blank=True)
        yield Field(
            "Phones (comma-separated)",
            ", ".join(p.value for p in c.phones) if c else "",
            placeholder="+7 495 123-45-67, +7 916 000-00-00",
            check=phones,
            id="f-phone",
        )
        yield Field(
            "E-mails (comma-separated)",
            ", ".join(e.value for e in c.emails) if c else "",
            placeholder="name@company.ru",
            check=emails,
            id="f-email",
        )
        with Horizontal(classes="form--row"):
            yield Field(
                "Birthday",
                birthday_text(c) if c else "",
                placeholder="12.03 or 12.03.1980",
                check=birthday,
                id="f-birthday",
            )
            channel = c.preferred_channel if c else None
            yield labelled_select("Preferred channel", CHANNELS, channel, select_id="f-channel", allow_blank=True)
        yield Field(
            "Personal notes",
            (c.personal_notes or "") if c else "",
            placeholder="hobbies, family, what matters",
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
        }
        contact_id = self.contact.id if self.contact else None
        client_id = self.client_id

        def save(ws: Workspace) -> str:
            person = ws.save_contact(contact_id, client_id=client_id, **values)
            return f"{'Saved' if contact_id else 'Added'} {person.full_name}"

        return save
