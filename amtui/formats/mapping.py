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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amtui.services.errors import ValidationError
from amtui.services.text import fold

_CLIENT_REF = {
    "client": (
        "client", "clientname", "company", "companyname", "organization", "organisation", "organizationname",
        "organization1name", "account", "accountname", "customer", "клиент", "компания", "организация",
        "контрагент", "наименованиеклиента", "наименованиеконтрагента", "покупатель", "заказчик",
        "наименование", "наименованиеорганизации", "названиекомпании",
    ),
    "client_tax_id": ("clienttaxid", "clientinn", "инн", "inn", "иннклиента", "иннконтрагента", "иннпокупателя"),
    "client_external_id": ("clientexternalid", "accountid", "clientid", "кодклиента", "кодконтрагента"),
}  # fmt: skip

# field -> header keys, best first. The field's own name is always recognised too.
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "clients": {
        "external_id": ("externalid", "id", "accountid", "код", "внешнийкод", "guid"),
        "name": (
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
        "legal_name": ("legalname", "fullname", "полноенаименование", "юридическоеназвание", "наименованиеполное"),
        "tax_id": ("taxid", "inn", "инн", "vat", "vatnumber", "vatid", "taxnumber"),
        "segment": ("segment", "industry", "отрасль", "сегмент", "сфера", "сферадеятельности"),
        "tier": ("tier", "category", "abc", "категория", "класс", "уровень"),
        "status": ("status", "статус"),
        "cadence_days": ("cadencedays", "cadence", "периодичность", "частотаконтакта"),
        "city": ("city", "billingcity", "town", "город", "населенныйпункт", "shippingcity", "mailingcity"),
        "address": ("address", "billingstreet", "street", "адрес", "юридическийадрес", "фактическийадрес"),
        "website": ("website", "web", "url", "site", "сайт", "вебсайт"),
        "phone": ("phone", "telephone", "businessphone", "tel", "телефон", "тел", "phone1value", "mobilephone"),
        "email": ("email", "emailaddress", "mail", "электроннаяпочта", "почта", "емейл", "email1value"),
        "currency": ("currency", "currencyisocode", "валюта"),
        "credit_limit": ("creditlimit", "creditlimitminor", "кредитныйлимит", "лимит"),
        "payment_terms_days": ("paymenttermsdays", "paymentterms", "отсрочка", "отсрочкаплатежа", "отсрочкадней"),
        "discount": ("discount", "discountpercent", "скидка"),
        "annual_potential": ("annualpotential", "annualrevenue", "потенциал", "годовойпотенциал"),
        "needs": ("needs", "description", "потребности", "описание"),
        "competitors": ("competitors", "конкуренты"),
    },
    "contacts": {
        "external_id": ("externalid", "id", "contactid", "uid", "код", "guid"),
        **_CLIENT_REF,
        "full_name": (
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
        "given_name": ("givenname", "firstname", "first", "имя"),
        "middle_name": ("middlename", "additionalname", "отчество"),
        "family_name": ("familyname", "lastname", "surname", "last", "фамилия"),
        "title": (
            "jobtitle",
            "organization1title",
            "organizationtitle",
            "position",
            "должность",
            "title",
        ),
        "department": ("department", "organization1department", "organizationdepartment", "отдел", "подразделение"),
        "role": ("role", "роль"),
        "preferred_channel": ("preferredchannel", "channel", "каналсвязи", "предпочтительныйканал"),
        "birthday": ("birthday", "birthdate", "dateofbirth", "bday", "датарождения", "деньрождения", "др"),
        "personal_notes": ("personalnotes", "notes", "note", "заметки", "примечание", "комментарий", "примечания"),
        "phone": (
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
        "email": (
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
    },
    "interactions": {
        "external_id": ("externalid", "id", "uid", "код"),
        **_CLIENT_REF,
        "kind": ("kind", "type", "activitytype", "вид", "тип"),
        "direction": ("direction", "направление"),
        "status": ("status", "статус"),
        "planned_at": ("plannedat", "planned", "start", "startdate", "начало", "запланировано", "датаначала"),
        "done_at": ("doneat", "done", "completed", "completedat", "выполнено", "датавыполнения"),
        "when": ("when", "date", "datetime", "activitydate", "дата", "датаивремя", "время", "когда"),
        "duration": ("duration", "durationmin", "durationminutes", "длительность", "продолжительность"),
        "place": ("place", "location", "место"),
        "city": ("city", "город"),
        "subject": ("subject", "summary", "title", "тема", "предмет"),
        "outcome": ("outcome", "result", "description", "comments", "итог", "результат", "комментарий"),
        "needs_reply": ("needsreply", "ждетответа", "нуженответ"),
    },
    "tasks": {
        "external_id": ("externalid", "id", "код"),
        **_CLIENT_REF,
        "title": ("title", "subject", "task", "задача", "тема", "название"),
        "assignee": ("assignee", "owner", "assignedto", "исполнитель", "ответственный"),
        "status": ("status", "статус"),
        "priority": ("priority", "приоритет", "важность"),
        "due_on": ("dueon", "due", "duedate", "activitydate", "deadline", "срок", "датаисполнения", "дата"),
        "notes": ("notes", "description", "comments", "заметки", "описание", "комментарий", "примечание"),
    },
    "contracts": {
        "external_id": ("externalid", "id", "код"),
        **_CLIENT_REF,
        "number": ("number", "contractnumber", "номер", "номердоговора", "договор", "no"),
        "title": ("title", "subject", "name", "предмет", "название", "предметдоговора"),
        "start_on": ("starton", "start", "startdate", "начало", "датаначала", "датазаключения", "дата"),
        "end_on": ("endon", "end", "enddate", "окончание", "датаокончания", "срокдействия", "действуетдо"),
        "auto_renew": ("autorenew", "autorenewal", "автопролонгация", "пролонгация"),
        "notice_days": ("noticedays", "notice", "уведомление", "срокуведомления"),
        "value": ("value", "valueminor", "amount", "сумма", "суммадоговора", "стоимость"),
        "currency": ("currency", "валюта"),
        "status": ("status", "статус"),
    },
    "invoices": {
        "external_id": ("externalid", "id", "код"),
        **_CLIENT_REF,
        "contract": ("contract", "contractnumber", "договор", "номердоговора"),
        "number": ("number", "invoicenumber", "invoice", "номер", "номерсчета", "счет"),
        "issued_on": ("issuedon", "issued", "invoicedate", "date", "датасчета", "дата", "датавыставления"),
        "due_on": ("dueon", "due", "duedate", "срокоплаты", "оплатитьдо", "датаоплаты"),
        "amount": ("amount", "amountminor", "total", "sum", "сумма", "суммасчета", "итого", "ксумма"),
        "paid": ("paid", "paidminor", "paidamount", "оплачено", "суммаоплаты"),
        "currency": ("currency", "валюта"),
        "paid_on": ("paidon", "paymentdate", "датаплатежа", "оплачен"),
    },
    "deals": {
        "external_id": ("externalid", "id", "opportunityid", "код"),
        **_CLIENT_REF,
        "title": ("title", "name", "opportunityname", "subject", "сделка", "название", "тема"),
        "kind": ("kind", "type", "тип", "вид"),
        "stage": ("stage", "stagename", "этап", "стадия"),
        "amount": ("amount", "amountminor", "сумма", "value", "бюджет"),
        "currency": ("currency", "currencyisocode", "валюта"),
        "probability": ("probability", "вероятность"),
        "expected_close": ("expectedclose", "closedate", "датазакрытия", "ожидаемаядатазакрытия", "срок"),
        "closed_on": ("closedon", "closed", "закрыта", "датафактическогозакрытия"),
    },
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
