"""Which column is which: headers of Google Contacts, Outlook, Salesforce, 1C/Excel (Russian) and our own.

A header is recognised by its *key*: folded, with everything but letters and
digits removed (``E-mail 1 - Value`` -> ``email1value``, ``Дата рождения`` ->
``датарождения``). Each field lists its known keys best first: when two columns
name the same single-valued field (Outlook's ``Title`` is "Mr.", its ``Job
Title`` the position), the better-ranked one wins. Phones and e-mails of
contacts take every matching column (Google's ``Phone 1..7 - Value``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from amtui.formats.readers import MAX_FIELD_CHARS
from amtui.services.errors import ValidationError
from amtui.services.text import fold
from amtui.vocabulary import (
    Channel,
    ClientStatus,
    ContactRole,
    ContractStatus,
    DealKind,
    DealStage,
    Direction,
    InteractionKind,
    InteractionStatus,
    Priority,
    TaskStatus,
    Tier,
)

# --- the file fields of each entity -------------------------------------------------------------
# One declaration per kind of record: each field's name (the header an export writes and --map
# names), how its value is read and written (``Value``: the model column and the kind of value),
# and the header keys an import recognises, best first. The importer's parsers, the date fields and
# the exporter's columns are all derived from this table (formats/importer.py, formats/exporters.py).

ValueKind = Literal[
    "text", "phone", "email", "currency", "tax_id", "money", "percent", "int", "bool", "choice", "duration", "date",
    "datetime", "own",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Value:
    """How a field's cells are read into its column and written back out.

    ``own``: the kind's own code reads and writes it (client references, birthdays, phones...);
    ``datetime`` values are read by the kind's code too (they need the row's other times)."""

    kind: ValueKind
    column: str | None = None  # None: the column of the field's own name
    limit: int = 0  # text: the most characters
    low: int = 0  # int: the range
    high: int = 0
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] | None = None
    upper: bool = False  # choice: stored upper-case (tiers)
    export: bool = True  # False: an import-only field ("when": planned or done)


def text(limit: int = MAX_FIELD_CHARS) -> Value:
    return Value("text", limit=limit)


def phone(limit: int = 100) -> Value:
    """A phone number: stored E.164 where it is one, written for display (services/phones.py)."""
    return Value("phone", limit=limit)


def email() -> Value:
    return Value("email")


def currency() -> Value:
    return Value("currency")


def tax_id() -> Value:
    return Value("tax_id")


def money(column: str) -> Value:
    """Minor units in ``column``; a decimal amount in files."""
    return Value("money", column)


def percent(column: str) -> Value:
    """Basis points in ``column``; a percentage in files."""
    return Value("percent", column)


def integer(low: int, high: int) -> Value:
    return Value("int", low=low, high=high)


def boolean() -> Value:
    return Value("bool")


def choice(enum: type[StrEnum], aliases: Mapping[str, str] | None = None, *, upper: bool = False) -> Value:
    return Value("choice", choices=tuple(member.value.lower() for member in enum), aliases=aliases, upper=upper)


# The language of a client's (or a contact's) documents: the code, or the language's name in any of the three.
LANGUAGE_ALIASES = {
    "russian": "ru", "русский": "ru", "russo": "ru", "rus": "ru", "ru_ru": "ru",
    "italian": "it", "итальянский": "it", "italiano": "it", "ita": "it", "it_it": "it",
    "english": "en", "английский": "en", "inglese": "en", "eng": "en", "en_us": "en", "en_gb": "en",
}  # fmt: skip
LANGUAGE_HEADERS = (
    "language",
    "lang",
    "languagecode",
    "preferredlanguage",
    "locale",
    "язык",
    "языкдокументов",
    "lingua",
)


def language() -> Value:
    """``ru``, ``it`` or ``en`` (``Русский``, ``Italiano``, ``English`` read too); empty: the default."""
    return Value("choice", choices=("ru", "it", "en"), aliases=LANGUAGE_ALIASES)


def duration(column: str) -> Value:
    return Value("duration", column)


def day() -> Value:
    return Value("date")


def moment() -> Value:
    return Value("datetime")


def own(*, export: bool = True) -> Value:
    return Value("own", export=export)


@dataclass(frozen=True, slots=True)
class FileField:
    name: str
    value: Value
    keys: tuple[str, ...]  # header keys, best first; the field's own name is always recognised too

    @property
    def column(self) -> str | None:
        if self.value.kind == "own":
            return None
        return self.value.column or self.name


CLIENT_STATUS_ALIASES = {
    "активный": "active", "действующий": "active", "потенциальный": "prospect", "лид": "prospect",
    "спящий": "dormant", "неактивный": "dormant", "потерян": "lost", "потерянный": "lost", "ушел": "lost",
}  # fmt: skip
INTERACTION_KIND_ALIASES = {
    "звонок": "call", "phone": "call", "phone call": "call", "визит": "visit", "встреча": "meeting",
    "письмо": "email", "e-mail": "email", "сообщение": "message", "chat": "message", "мессенджер": "message",
}  # fmt: skip
INTERACTION_STATUS_ALIASES = {
    "запланирован": "planned", "запланировано": "planned", "scheduled": "planned", "выполнен": "done",
    "выполнено": "done", "completed": "done", "отменен": "cancelled", "отменено": "cancelled",
    "canceled": "cancelled", "пропущен": "missed", "пропущено": "missed",
}  # fmt: skip
TASK_STATUS_ALIASES = {
    "открыта": "open", "в работе": "open", "not started": "open", "in progress": "open", "выполнена": "done",
    "completed": "done", "отменена": "cancelled", "canceled": "cancelled",
}  # fmt: skip
PRIORITY_ALIASES = {"высокий": "high", "обычный": "normal", "средний": "normal", "низкий": "low", "medium": "normal"}
CONTRACT_STATUS_ALIASES = {
    "черновик": "draft", "действует": "active", "действующий": "active", "истек": "expired",
    "расторгнут": "terminated", "canceled": "terminated",
}  # fmt: skip
DEAL_STAGE_ALIASES = {
    "prospecting": "lead", "qualification": "qualified", "needs analysis": "qualified",
    "proposal/price quote": "proposal", "negotiation/review": "negotiation", "closed won": "won",
    "closed lost": "lost", "лид": "lead", "квалификация": "qualified", "предложение": "proposal",
    "переговоры": "negotiation", "выиграна": "won", "проиграна": "lost",
}  # fmt: skip
DEAL_KIND_ALIASES = {
    "new business": "new", "новая": "new", "existing business": "upsell", "допродажа": "upsell",
    "кросс-продажа": "cross_sell", "продление": "renewal",
}  # fmt: skip
DIRECTION_ALIASES = {"исходящий": "outbound", "входящий": "inbound"}
ROLE_ALIASES = {
    "dm": "decision_maker", "лпр": "decision_maker", "лвр": "influencer", "секретарь": "gatekeeper",
    "пользователь": "user",
}  # fmt: skip


# How rows of other kinds name their client (the kind's own code resolves them).
CLIENT_REF = (
    FileField(
        "client",
        own(),
        (
            "client",
            "clientname",
            "company",
            "companyname",
            "organization",
            "organisation",
            "organizationname",
            "organization1name",
            "account",
            "accountname",
            "customer",
            "клиент",
            "компания",
            "организация",
            "контрагент",
            "наименованиеклиента",
            "наименованиеконтрагента",
            "покупатель",
            "заказчик",
            "наименование",
            "наименованиеорганизации",
            "названиекомпании",
        ),
    ),
    FileField(
        "client_tax_id",
        own(),
        ("clienttaxid", "clientinn", "инн", "inn", "иннклиента", "иннконтрагента", "иннпокупателя"),
    ),
    FileField(
        "client_external_id", own(), ("clientexternalid", "accountid", "clientid", "кодклиента", "кодконтрагента")
    ),
)


@dataclass(frozen=True, slots=True)
class FileEntity:
    """A kind of record in files: its table, its fields and how a row finds the record it updates.

    A kind without its own code in the importer (``Importer._finish_<kind>``) is read by the
    declaration alone: the ``required`` fields must be there, the client is resolved from the
    row's client reference, and a record is matched by external id, then client + ``match_on``."""

    table: str
    fields: tuple[FileField, ...]
    client: Literal["required", "optional", "none"] = "required"
    match_on: str | None = None  # with the client, the column that names a record (compared folded)
    required: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ("id",)  # the order of records in an export (columns)


ENTITIES: dict[str, FileEntity] = {
    "clients": FileEntity(
        "client",
        fields=(
            FileField("external_id", text(200), ("externalid", "id", "accountid", "код", "внешнийкод", "guid")),
            FileField(
                "name",
                text(300),
                (
                    "name",
                    "accountname",
                    "company",
                    "companyname",
                    "client",
                    "clientname",
                    "organization",
                    "organizationname",
                    "наименование",
                    "название",
                    "клиент",
                    "компания",
                    "организация",
                    "контрагент",
                    "краткоенаименование",
                    "наименованиекраткое",
                ),
            ),
            FileField(
                "legal_name",
                text(),
                ("legalname", "fullname", "полноенаименование", "юридическоеназвание", "наименованиеполное"),
            ),
            FileField("tax_id", tax_id(), ("taxid", "inn", "инн", "vat", "vatnumber", "vatid", "taxnumber")),
            FileField("segment", text(), ("segment", "industry", "отрасль", "сегмент", "сфера", "сферадеятельности")),
            FileField("tier", choice(Tier, upper=True), ("tier", "category", "abc", "категория", "класс", "уровень")),
            FileField("status", choice(ClientStatus, CLIENT_STATUS_ALIASES), ("status", "статус")),
            FileField("cadence_days", integer(1, 3650), ("cadencedays", "cadence", "периодичность", "частотаконтакта")),
            FileField(
                "city",
                text(),
                ("city", "billingcity", "town", "город", "населенныйпункт", "shippingcity", "mailingcity"),
            ),
            FileField(
                "address",
                text(),
                ("address", "billingstreet", "street", "адрес", "юридическийадрес", "фактическийадрес"),
            ),
            FileField("website", text(), ("website", "web", "url", "site", "сайт", "вебсайт")),
            FileField(
                "phone",
                phone(),
                ("phone", "telephone", "businessphone", "tel", "телефон", "тел", "phone1value", "mobilephone"),
            ),
            FileField(
                "email", email(), ("email", "emailaddress", "mail", "электроннаяпочта", "почта", "емейл", "email1value")
            ),
            FileField("currency", currency(), ("currency", "currencyisocode", "валюта")),
            FileField(
                "credit_limit",
                money("credit_limit_minor"),
                ("creditlimit", "creditlimitminor", "кредитныйлимит", "лимит"),
            ),
            FileField(
                "payment_terms_days",
                integer(0, 3650),
                ("paymenttermsdays", "paymentterms", "отсрочка", "отсрочкаплатежа", "отсрочкадней"),
            ),
            FileField("discount", percent("discount_bp"), ("discount", "discountpercent", "скидка")),
            FileField(
                "annual_potential",
                money("annual_potential_minor"),
                ("annualpotential", "annualrevenue", "потенциал", "годовойпотенциал"),
            ),
            FileField("needs", text(), ("needs", "description", "потребности", "описание")),
            FileField("competitors", text(), ("competitors", "конкуренты")),
            FileField("language", language(), LANGUAGE_HEADERS),
        ),
        client="none",
        order_by=("name_folded", "id"),
    ),
    "contacts": FileEntity(
        "contact",
        fields=(
            FileField("external_id", text(200), ("externalid", "id", "contactid", "uid", "код", "guid")),
            *CLIENT_REF,
            FileField(
                "full_name",
                text(300),
                (
                    "fullname",
                    "name",
                    "displayname",
                    "контактноелицо",
                    "фио",
                    "контакт",
                    "полноеимя",
                    "имяфамилия",
                    "contact",
                    "contactname",
                ),
            ),
            FileField("given_name", text(300), ("givenname", "firstname", "first", "имя")),
            FileField("middle_name", text(300), ("middlename", "additionalname", "отчество")),
            FileField("family_name", text(300), ("familyname", "lastname", "surname", "last", "фамилия")),
            FileField(
                "title",
                text(300),
                ("jobtitle", "organization1title", "organizationtitle", "position", "должность", "title"),
            ),
            FileField(
                "department",
                text(300),
                ("department", "organization1department", "organizationdepartment", "отдел", "подразделение"),
            ),
            FileField("role", choice(ContactRole, ROLE_ALIASES), ("role", "роль")),
            FileField(
                "preferred_channel",
                choice(Channel),
                ("preferredchannel", "channel", "каналсвязи", "предпочтительныйканал"),
            ),
            FileField(
                "birthday",
                own(),
                ("birthday", "birthdate", "dateofbirth", "bday", "датарождения", "деньрождения", "др"),
            ),
            FileField(
                "personal_notes",
                text(),
                ("personalnotes", "notes", "note", "заметки", "примечание", "комментарий", "примечания"),
            ),
            FileField("language", language(), LANGUAGE_HEADERS),
            FileField(
                "phone",
                own(),
                (
                    "phone",
                    "phones",
                    "telephone",
                    "mobilephone",
                    "mobile",
                    "businessphone",
                    "businessphone2",
                    "homephone",
                    "homephone2",
                    "otherphone",
                    "primaryphone",
                    "companymainphone",
                    "carphone",
                    "workphone",  # Thunderbird
                    "mobilenumber",
                    "телефон",
                    "телефоны",
                    "мобильный",
                    "мобильныйтелефон",
                    "рабочийтелефон",
                    "тел",
                    "сотовый",
                ),
            ),
            FileField(
                "email",
                own(),
                (
                    "email",
                    "emails",
                    "emailaddress",
                    "email2address",
                    "email3address",
                    "primaryemail",  # Thunderbird
                    "secondaryemail",
                    "mail",
                    "электроннаяпочта",
                    "почта",
                    "емейл",
                ),
            ),
        ),
        client="optional",
        order_by=("full_name_folded", "id"),
    ),
    "interactions": FileEntity(
        "interaction",
        fields=(
            FileField("external_id", text(300), ("externalid", "id", "uid", "код")),
            *CLIENT_REF,
            FileField(
                "kind",
                choice(InteractionKind, INTERACTION_KIND_ALIASES),
                ("kind", "type", "activitytype", "вид", "тип"),
            ),
            FileField("direction", choice(Direction, DIRECTION_ALIASES), ("direction", "направление")),
            FileField("status", choice(InteractionStatus, INTERACTION_STATUS_ALIASES), ("status", "статус")),
            FileField(
                "planned_at",
                moment(),
                ("plannedat", "planned", "start", "startdate", "начало", "запланировано", "датаначала"),
            ),
            FileField(
                "done_at", moment(), ("doneat", "done", "completed", "completedat", "выполнено", "датавыполнения")
            ),
            FileField(
                "when",
                own(export=False),
                ("when", "date", "datetime", "activitydate", "дата", "датаивремя", "время", "когда"),
            ),
            FileField(
                "duration",
                duration("duration_min"),
                ("duration", "durationmin", "durationminutes", "длительность", "продолжительность"),
            ),
            FileField("place", text(), ("place", "location", "место")),
            FileField("city", text(), ("city", "город")),
            FileField("subject", text(), ("subject", "summary", "title", "тема", "предмет")),
            FileField(
                "outcome", text(), ("outcome", "result", "description", "comments", "итог", "результат", "комментарий")
            ),
            FileField("needs_reply", boolean(), ("needsreply", "ждетответа", "нуженответ")),
        ),
        order_by=("planned_at", "done_at", "id"),
    ),
    "tasks": FileEntity(
        "task",
        fields=(
            FileField("external_id", text(200), ("externalid", "id", "код")),
            *CLIENT_REF,
            FileField("title", text(), ("title", "subject", "task", "задача", "тема", "название")),
            FileField("assignee", text(300), ("assignee", "owner", "assignedto", "исполнитель", "ответственный")),
            FileField("status", choice(TaskStatus, TASK_STATUS_ALIASES), ("status", "статус")),
            FileField("priority", choice(Priority, PRIORITY_ALIASES), ("priority", "приоритет", "важность")),
            FileField(
                "due_on",
                day(),
                ("dueon", "due", "duedate", "activitydate", "deadline", "срок", "датаисполнения", "дата"),
            ),
            FileField(
                "notes",
                text(),
                ("notes", "description", "comments", "заметки", "описание", "комментарий", "примечание"),
            ),
        ),
        client="optional",
        match_on="title",
        required=("title",),
        order_by=("due_on", "id"),
    ),
    "contracts": FileEntity(
        "contract",
        fields=(
            FileField("external_id", text(200), ("externalid", "id", "код")),
            *CLIENT_REF,
            FileField("number", text(100), ("number", "contractnumber", "номер", "номердоговора", "договор", "no")),
            FileField("title", text(), ("title", "subject", "name", "предмет", "название", "предметдоговора")),
            FileField(
                "start_on", day(), ("starton", "start", "startdate", "начало", "датаначала", "датазаключения", "дата")
            ),
            FileField(
                "end_on",
                day(),
                ("endon", "end", "enddate", "окончание", "датаокончания", "срокдействия", "действуетдо"),
            ),
            FileField("auto_renew", boolean(), ("autorenew", "autorenewal", "автопролонгация", "пролонгация")),
            FileField("notice_days", integer(0, 3650), ("noticedays", "notice", "уведомление", "срокуведомления")),
            FileField(
                "value", money("value_minor"), ("value", "valueminor", "amount", "сумма", "суммадоговора", "стоимость")
            ),
            FileField("currency", currency(), ("currency", "валюта")),
            FileField("status", choice(ContractStatus, CONTRACT_STATUS_ALIASES), ("status", "статус")),
        ),
        match_on="number",
        required=("number",),
        order_by=("end_on", "id"),
    ),
    "invoices": FileEntity(
        "invoice",
        fields=(
            FileField("external_id", text(200), ("externalid", "id", "код")),
            *CLIENT_REF,
            FileField("contract", own(), ("contract", "contractnumber", "договор", "номердоговора")),
            FileField("number", text(100), ("number", "invoicenumber", "invoice", "номер", "номерсчета", "счет")),
            FileField(
                "issued_on",
                day(),
                ("issuedon", "issued", "invoicedate", "date", "датасчета", "дата", "датавыставления"),
            ),
            FileField("due_on", day(), ("dueon", "due", "duedate", "срокоплаты", "оплатитьдо", "датаоплаты")),
            FileField(
                "amount",
                money("amount_minor"),
                ("amount", "amountminor", "total", "sum", "сумма", "суммасчета", "итого", "ксумма"),
            ),
            FileField("paid", money("paid_minor"), ("paid", "paidminor", "paidamount", "оплачено", "суммаоплаты")),
            FileField("currency", currency(), ("currency", "валюта")),
            FileField("paid_on", day(), ("paidon", "paymentdate", "датаплатежа", "оплачен")),
        ),
        match_on="number",
        required=("number", "issued_on", "amount"),
        order_by=("issued_on", "id"),
    ),
    "deals": FileEntity(
        "deal",
        fields=(
            FileField("external_id", text(200), ("externalid", "id", "opportunityid", "код")),
            *CLIENT_REF,
            FileField("title", text(), ("title", "name", "opportunityname", "subject", "сделка", "название", "тема")),
            FileField("kind", choice(DealKind, DEAL_KIND_ALIASES), ("kind", "type", "тип", "вид")),
            FileField("stage", choice(DealStage, DEAL_STAGE_ALIASES), ("stage", "stagename", "этап", "стадия")),
            FileField("amount", money("amount_minor"), ("amount", "amountminor", "сумма", "value", "бюджет")),
            FileField("currency", currency(), ("currency", "currencyisocode", "валюта")),
            FileField("probability", integer(0, 100), ("probability", "вероятность")),
            FileField(
                "expected_close", day(), ("expectedclose", "closedate", "датазакрытия", "ожидаемаядатазакрытия", "срок")
            ),
            FileField("closed_on", day(), ("closedon", "closed", "закрыта", "датафактическогозакрытия")),
        ),
        match_on="title",
        required=("title",),
        order_by=("expected_close", "id"),
    ),
}

# Derived: the fields and the table of each kind.
ENTITY_FIELDS: dict[str, tuple[FileField, ...]] = {kind: entity.fields for kind, entity in ENTITIES.items()}
ENTITY_TABLES: dict[str, str] = {kind: entity.table for kind, entity in ENTITIES.items()}

# field -> header keys, best first, per kind (derived).
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {field.name: field.keys for field in fields} for kind, fields in ENTITY_FIELDS.items()
}

# Fields that take every matching column, in file order.
MULTI_FIELDS = {"contacts": ("phone", "email")}

# Numbered columns (Google: "E-mail 2 - Value", "Phone 3 - Value"; Outlook: "E-mail 2 Address").
_NUMBERED = {
    "contacts": (
        (re.compile(r"^email\d+(value|address)$"), "email"),
        (re.compile(r"^phone\d+value$"), "phone"),
        (re.compile(r"^(телефон|email|почта)\d+$"), None),
    ),
}


def header_key(header: str) -> str:
    return re.sub(r"[\W_]+", "", fold(header))


def field_names(kind: str) -> tuple[str, ...]:
    return tuple(FIELDS[kind])


@dataclass
class ColumnMap:
    """Where each field's value is: one column for most fields, several for phones and e-mails."""

    kind: str
    headers: list[str]
    single: dict[str, int] = field(default_factory=dict)
    multi: dict[str, list[int]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        lines = [f"{self.headers[index]!r} -> {name}" for name, index in self.single.items()]
        lines += [
            f"{', '.join(repr(self.headers[i]) for i in indexes)} -> {name}" for name, indexes in self.multi.items()
        ]
        return lines

    def values(self, cells: list[Any]) -> dict[str, Any]:
        """The row's non-empty values by field; short (ragged) rows read as empty."""
        count = len(cells)
        values: dict[str, Any] = {}
        for name, index in self.single.items():
            if index < count:
                value = cells[index]
                if value != "" and value is not None:
                    values[name] = value
        for name, indexes in self.multi.items():
            found: list[Any] = []
            for index in indexes:
                if index < count:
                    cell = cells[index]
                    if isinstance(cell, list):  # JSON: several phones in one list
                        found.extend(item for item in cell if item not in ("", None))
                    elif cell not in ("", None):
                        found.append(cell)
            if found:
                values[name] = found
        return values


def _lookup(kind: str) -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for name, keys in FIELDS[kind].items():
        for rank, key in enumerate((header_key(name), *keys)):
            previous = table.get(key)
            if previous is None or rank < previous[1]:
                table[key] = (name, rank)
    return table


def build_map(kind: str, headers: list[str], overrides: dict[str, str] | None = None) -> ColumnMap:
    """Recognise ``headers`` for ``kind``; ``overrides`` (header -> field, ``-`` to skip) win."""
    lookup = _lookup(kind)
    multi_fields = MULTI_FIELDS.get(kind, ())
    numbered = _NUMBERED.get(kind, ())
    known = set(FIELDS[kind])
    folded_overrides = {header_key(header): target for header, target in (overrides or {}).items()}
    for header, target in (overrides or {}).items():
        if target not in known and target not in ("-", ""):
            raise ValidationError(
                f"{header!r}={target!r}: {target!r} is not a field of {kind}; fields: {', '.join(FIELDS[kind])}",
                field="--map",
            )
    column_map = ColumnMap(kind=kind, headers=headers)
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            if header.strip():  # "№", "---": named, not dropped silently
                column_map.ignored.append(header)
            continue
        if key in folded_overrides:
            target = folded_overrides[key]
            if target in ("-", ""):
                column_map.ignored.append(header)
                continue
            rank = -1
        elif key in lookup:
            target, rank = lookup[key]
        else:
            target = next((name for pattern, name in numbered if name and pattern.match(key)), "")
            rank = 50
            if not target:
                column_map.ignored.append(header)
                continue
        if target in multi_fields:
            column_map.multi.setdefault(target, []).append(index)
            continue
        previous = best.get(target)
        if previous is None or rank < previous[1]:
            if previous is not None:
                column_map.ignored.append(headers[previous[0]])
            best[target] = (index, rank)
        else:
            column_map.ignored.append(header)
    column_map.single = {name: index for name, (index, _rank) in best.items()}
    return column_map


def parse_map_option(items: list[str]) -> dict[str, str]:
    """``['Header=field', ...]`` from ``--map``."""
    overrides: dict[str, str] = {}
    for item in items:
        header, separator, target = item.partition("=")
        if not separator or not header.strip():
            raise ValidationError(f"{item!r}: write --map 'Column header=field'", field="--map")
        overrides[header.strip()] = target.strip()
    return overrides


def load_mapping_file(path: Path) -> dict[str, str]:
    """A mapping file: JSON ``{"Header": "field"}`` or lines ``Header = field`` (``#`` comments)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path}: cannot read the mapping file: {exc}", field="--mapping") from None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}", field="--mapping") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ValidationError(f"{path}: expected an object of header -> field names", field="--mapping")
        return {str(key): value for key, value in data.items()}
    overrides: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header, separator, target = stripped.rpartition("=")
        if not separator or not header.strip():
            raise ValidationError(f"{path}:{number}: write 'Column header = field'", field="--mapping")
        overrides[header.strip()] = target.strip()
    return overrides
