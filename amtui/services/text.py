"""Text normalisation: case folding for search, phones, e-mails, money.

SQLite's lower()/LIKE fold ASCII only, so every searchable name is stored a
second time folded here, in Python, where casefold() covers every script.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from amtui.i18n import _
from amtui.services.errors import ValidationError

# Quotes and dashes people type in company names in several styles.
_PUNCT_MAP = str.maketrans(
    {
        "«": '"',
        "»": '"',
        "„": '"',
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "ё": "е",
    }
)


def fold(text: str | None) -> str:
    """Search key: NFKC, casefolded (``Straße`` -> ``strasse``, ``Иванов`` -> ``иванов``),
    ``ё`` read as ``е``, quotes unified and whitespace collapsed."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_PUNCT_MAP)
    return " ".join(folded.split())


# Legal forms a user leaves out when naming a client ("Ромашка" for ООО «Ромашка»).
_LEGAL_FORMS = {
    "ооо", "оао", "зао", "пао", "ао", "ип", "нко", "ано", "гуп", "муп", "фгуп",
    "llc", "ltd", "inc", "gmbh", "ag", "plc", "corp", "co", "sa", "srl", "spa", "bv",
}  # fmt: skip


def name_key(name: str | None) -> str:
    """Normalised company name for matching imports: folded, no legal form, no quotes."""
    words = re.sub(r"[\"'.,()]", " ", fold(name)).split()
    kept = [word for word in words if word not in _LEGAL_FORMS]
    return " ".join(kept or words)


def normalise_phone(value: str) -> str:
    """Digits only, for matching; a Russian 8XXXXXXXXXX is read as 7XXXXXXXXXX (+7)."""
    from amtui.services.phones import phone_key

    return phone_key(value)


def normalise_email(value: str) -> str:
    return value.strip().casefold()


# A local part, @, and a domain that neither starts nor ends with a dot: ``contact1@invalid``
# (a dotless local domain, as Thunderbird exports them) is an address form RFC 5321 allows.
MAX_EMAIL_CHARS = 254  # RFC 5321's longest path
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.](?:[^@\s]*[^@\s.])?$")


def check_email(value: str, *, field: str = "email") -> str:
    value = value.strip()
    if len(value) > MAX_EMAIL_CHARS or not _EMAIL_RE.match(value):
        raise ValidationError(_("{value} is not an e-mail address").format(value=repr(value)), field=field)
    return value


def check_phone(value: str, *, field: str = "phone", region: str | None = None) -> str:
    """The phone number to store (E.164 when ``phonenumbers`` knows it; see services/phones.py)."""
    from amtui.services.phones import clean_phone

    return clean_phone(value, field=field, region=region)


def _stdnum_reason(exc: Exception) -> str:
    from stdnum.exceptions import InvalidChecksum, InvalidLength

    if isinstance(exc, InvalidChecksum):
        return "check digit does not match"
    if isinstance(exc, InvalidLength):
        return "wrong number of digits"
    return "not in the expected format"


def check_inn(value: str, *, field: str = "inn") -> str:
    """A Russian tax id (ИНН): 10 digits for a company, 12 for a person; check digits verified (python-stdnum)."""
    from stdnum.ru import inn

    digits = value.strip()
    if not digits.isdigit() or not digits.isascii() or len(digits) not in (10, 12):
        raise ValidationError(_("{value} is not an INN (10 or 12 digits)").format(value=repr(value)), field=field)
    # The library's check digits, without its generic clean-up (an import checks one INN a row).
    if len(digits) == 10:
        ok = inn.calc_company_check_digit(digits[:9]) == digits[9]
    else:
        ok = inn.calc_personal_check_digits(digits[:10]) == digits[10:]
    if not ok:
        raise ValidationError(_("{value}: INN check digit does not match").format(value=repr(value)), field=field)
    return digits


_TAX_ID_MAX = 20
_CODICE_FISCALE = re.compile(r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$")


def check_tax_id(value: str, *, field: str = "tax_id", region: str | None = None) -> str:
    """A client's tax id, the same rule on every path (CLI, forms, imports), checked by python-stdnum:

    - digits only: a Russian INN (10 or 12 digits) or OGRN/OGRNIP (13 or 15), check digits verified;
      11 digits in the Italian region (``region = "IT"``) are a partita IVA; other lengths are refused;
    - an EU VAT number with its country prefix (``IT00743110157``, ``DE136695976``): checked;
    - an Italian codice fiscale (``RCCMNL83S18D969H``): checked;
    - anything else (another country's id) is kept as typed, up to 20 characters.
    """
    if len(value) in (10, 12) and value.isdigit():
        return check_inn(value, field=field)  # the common case first
    from stdnum.exceptions import ValidationError as NumberError

    text = value.strip()
    compact = re.sub(r"[\s.\-/]", "", text).upper()
    if not compact:
        raise ValidationError(_("a tax id cannot be empty"), field=field)
    if compact.isdigit():
        if len(compact) in (10, 12):
            return check_inn(compact, field=field)
        if len(compact) in (13, 15):
            from stdnum.ru import ogrn

            try:
                return str(ogrn.validate(compact))
            except NumberError as exc:
                raise ValidationError(f"{text!r}: OGRN {_stdnum_reason(exc)}", field=field) from None
        if len(compact) == 11 and (region or _region()) == "IT":
            from stdnum.it import iva

            try:
                return str(iva.validate(compact))
            except NumberError as exc:
                raise ValidationError(
                    _("{text}: partita IVA {exc}").format(text=repr(text), exc=_stdnum_reason(exc)), field=field
                ) from None
        raise ValidationError(
            _(
                "{text} is not an INN (10 or 12 digits) or OGRN (13 or 15); give a foreign tax id with its "
                "country prefix (e.g. DE136695976)"
            ).format(text=repr(text)),
            field=field,
        )
    if len(compact) > _TAX_ID_MAX:
        raise ValidationError(_("{text} is too long for a tax id").format(text=repr(text)), field=field)
    if _CODICE_FISCALE.match(compact):
        from stdnum.it import codicefiscale

        try:
            return str(codicefiscale.validate(compact))
        except NumberError as exc:
            raise ValidationError(
                _("{text}: codice fiscale {exc}").format(text=repr(text), exc=_stdnum_reason(exc)), field=field
            ) from None
    if compact[:2].isalpha() and compact[2:].isalnum() and any(ch.isdigit() for ch in compact[2:]):
        from stdnum.eu import vat

        if compact[:2].lower() in vat.MEMBER_STATES or compact[:2] == "EL":
            try:
                return str(vat.validate(compact))
            except NumberError as exc:
                raise ValidationError(
                    _("{text}: EU VAT number {exc}").format(text=repr(text), exc=_stdnum_reason(exc)), field=field
                ) from None
    return text


def _region() -> str:
    from amtui.services.phones import default_region

    return default_region()


_CURRENCY_SIGNS = {"₽": "RUB", "руб": "RUB", "р": "RUB", "$": "USD", "€": "EUR", "£": "GBP"}
_MONEY_RE = re.compile(r"^[+-]?\d+(?:[.,]\d{1,2})?$")


# The largest amount anywhere (contract, invoice, credit limit): far beyond any real deal, far below
# what a 64-bit column, or a sum of many such amounts, can hold.
MAX_MONEY = Decimal("9999999999999.99")


def parse_money(text: str | int | Decimal, *, field: str = "amount") -> int:
    """Minor units from ``412 500,50``, ``412500.5``, ``1,234.56``, ``412 500 ₽``. Exact, no float."""
    if isinstance(text, int):
        if abs(text) > MAX_MONEY:
            raise ValidationError(_too_large(text), field=field)
        return text * 100
    if isinstance(text, Decimal):
        return _decimal_to_minor(text, field)
    raw = text.strip()
    cleaned = raw
    for sign in sorted(_CURRENCY_SIGNS, key=len, reverse=True):
        if cleaned.casefold().endswith(sign) or cleaned.startswith(sign):
            cleaned = cleaned.replace(sign, "", 1).replace(sign.upper(), "", 1)
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", cleaned).rstrip(".")
    cleaned = re.sub(r"(?i)(rub|usd|eur)$", "", cleaned)
    if "," in cleaned and "." in cleaned:
        # The later separator is the decimal one: 1,234.56 or 1.234,56.
        cleaned = cleaned.replace(".", "") if cleaned.rfind(",") > cleaned.rfind(".") else cleaned.replace(",", "")
    elif cleaned.count(",") > 1:
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    elif re.fullmatch(r"[+-]?\d{1,3}[,.]\d{3}", cleaned):
        # 1,234 or 1.234: thousands, since money rarely has three decimals.
        cleaned = cleaned.replace(",", "").replace(".", "")
    if not _MONEY_RE.match(cleaned):
        raise ValidationError(_("{raw} is not an amount (e.g. 412 500,50)").format(raw=repr(raw)), field=field)
    return _decimal_to_minor(Decimal(cleaned.replace(",", ".")), field)


def _too_large(value: object) -> str:
    shown = str(value)
    shown = shown if len(shown) <= 40 else shown[:20] + "..."
    return f"{shown} is too large for an amount (at most {MAX_MONEY:,})".replace(",", " ")


def _decimal_to_minor(value: Decimal, field: str) -> int:
    try:
        if not value.is_finite():
            raise ValidationError(_("{value} is not an amount").format(value=value), field=field)
        if value.copy_abs() > MAX_MONEY:
            raise ValidationError(_too_large(value), field=field)
        minor = value * 100
        if minor != minor.to_integral_value():
            raise ValidationError(_("{value} has more than two decimals").format(value=value), field=field)
        return int(minor)
    except InvalidOperation:
        raise ValidationError(_("{value} is not an amount").format(value=repr(value)), field=field) from None


_SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£"}


def format_money(minor: int | None, currency: str = "RUB", *, symbol: bool = False) -> str:
    """``41250050`` -> ``412 500,50 RUB``; ``41250000`` -> ``412 500 RUB``."""
    if minor is None:
        return ""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    grouped = f"{whole:,}".replace(",", " ")
    unit = _SYMBOLS.get(currency, currency) if symbol else currency
    fraction = f",{cents:02d}" if cents else ""
    return f"{sign}{grouped}{fraction} {unit}"


def minor_to_decimal(minor: int | None) -> Decimal | None:
    return None if minor is None else Decimal(minor) / 100
