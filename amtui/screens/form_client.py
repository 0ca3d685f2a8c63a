"""Add or edit a client: the facts a key-account manager keeps (legal name, INN, terms, needs, competitors)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from amtui.i18n import N_, _
from amtui.screens.form_base import FormScreen, days, form_css, labelled_select, language_options, whole_number
from amtui.vocabulary import ClientStatus, choices
from amtui.widgets.fields import Field

if TYPE_CHECKING:
    from amtui.services.schemas import ClientRead
    from amtui.services.workspace import Workspace

TIERS = [(N_("Tier A"), "A"), (N_("Tier B"), "B"), (N_("Tier C"), "C")]


def tax_id(text: str) -> str:
    """The same rule as the CLI and the imports (INN/OGRN/EU VAT check digits; see services.text.check_tax_id)."""
    from amtui.services.text import check_tax_id

    return check_tax_id(text, field="tax_id")


def phone(text: str) -> str:
    from amtui.services.text import check_phone

    return check_phone(text)


def email(text: str) -> str:
    from amtui.services.text import check_email

    return check_email(text)


def credit_limit(text: str) -> int:
    from amtui.services.text import parse_money

    value = parse_money(text, field="credit_limit")
    if value < 0:
        raise ValueError(_("a credit limit cannot be negative"))
    return value


class _Blank:
    """What a new client's form starts from: empty facts, tier B, active, the tier's cadence."""

    name = legal_name = tax_id = segment = city = address = phone = email = website = needs = competitors = None
    tier, status, currency = "B", "active", "RUB"
    cadence_is_default, cadence_days = True, 0
    payment_terms_days = credit_limit_minor = language = None


_BLANK: Any = _Blank()


def money_text(minor: int | None) -> str:
    """Minor units as the user would type them back: ``1 500 000`` or ``1 500 000,50``."""
    from amtui.services.text import format_money

    return format_money(minor).rsplit(" ", 1)[0] if minor is not None else ""


class ClientForm(FormScreen):
    """``client=None`` adds a new client; otherwise edits that one."""

    CSS_PATH = form_css(__file__)
    TITLE_TEXT = N_("New client")

    def __init__(self, *, client: ClientRead | None = None) -> None:
        super().__init__()
        self.client = client

    def form_title(self) -> str:
        return _("Edit client: {name}").format(name=self.client.name) if self.client else _(self.TITLE_TEXT)

    def fields(self) -> ComposeResult:
        c = self.client or _BLANK
        yield Field(_("Name"), c.name, required=True, id="f-name")
        yield Field(_("Legal name"), c.legal_name or "", placeholder="ООО «…»", id="f-legal_name")
        with Horizontal(classes="form--row"):
            yield labelled_select(_("Tier"), TIERS, c.tier, select_id="f-tier")
            yield labelled_select(_("Status"), choices(ClientStatus), c.status, select_id="f-status")
            yield labelled_select(
                _("Language of documents"),
                language_options(),
                c.language,
                select_id="f-language",
                allow_blank=True,
                prompt=_("interface language"),
            )
        with Horizontal(classes="form--row"):
            yield Field(_("INN / tax id"), c.tax_id or "", check=tax_id, id="f-tax_id")
            yield Field(_("Segment"), c.segment or "", id="f-segment")
        with Horizontal(classes="form--row"):
            yield Field(_("City"), c.city or "", id="f-city")
            cadence = "" if c.cadence_is_default else str(c.cadence_days)
            yield Field(
                _("Contact every N days"), cadence, placeholder=_("tier default"), check=days, id="f-cadence_days"
            )
        yield Field(_("Address"), c.address or "", id="f-address")
        with Horizontal(classes="form--row"):
            yield Field(_("Phone"), c.phone or "", check=phone, id="f-phone")
            yield Field(_("E-mail"), c.email or "", check=email, id="f-email")
        yield Field(_("Website"), c.website or "", id="f-website")
        with Horizontal(classes="form--row"):
            terms = "" if c.payment_terms_days is None else str(c.payment_terms_days)
            yield Field(_("Payment terms, days"), terms, check=whole_number(0, 365), id="f-payment_terms_days")
            limit = money_text(c.credit_limit_minor)
            yield Field(
                _("Credit limit, {currency}").format(currency=c.currency),
                limit,
                check=credit_limit,
                id="f-credit_limit_minor",
            )
        yield Field(_("Needs"), c.needs or "", placeholder=_("what they are looking for"), id="f-needs")
        yield Field(_("Competitors"), c.competitors or "", placeholder=_("who else sells to them"), id="f-competitors")

    def on_mount(self) -> None:
        self.field("f-name").input.focus()

    def job(self) -> Any:
        text_fields = (
            "name", "legal_name", "tax_id", "segment", "city", "cadence_days", "address", "phone", "email",
            "website", "payment_terms_days", "credit_limit_minor", "needs", "competitors",
        )  # fmt: skip
        changes: dict[str, Any] = {name: self.field(f"f-{name}").parsed for name in text_fields}
        changes["tier"] = self.choice("f-tier")
        changes["status"] = self.choice("f-status")
        changes["language"] = self.choice("f-language") or None
        if self.client is None:

            def add(ws: Workspace) -> str:
                values = {key: value for key, value in changes.items() if value not in (None, "")}
                client = ws.create_client(**values)
                return _("Added client {name}").format(name=client.name)

            return add
        client_id = self.client.id

        def save(ws: Workspace) -> str:
            client = ws.update_client(client_id, **changes)
            return _("Saved {name}").format(name=client.name)

        return save
