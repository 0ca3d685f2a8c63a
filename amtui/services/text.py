"""Text normalisation: case folding for search, phones, e-mails, money.

SQLite's lower()/LIKE fold ASCII only, so every searchable name is stored a
second time folded here, in Python, where casefold() covers every script.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

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
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


def normalise_email(value: str) -> str:
    return value.strip().casefold()


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(value: str, *, field: str = "email") -> str:
    value = value.strip()
    if not _EMAIL_RE.match(value):
        raise ValidationError(f"{value!r} is not an e-mail address", field=field)
    return value


def check_phone(value: str, *, field: str = "phone") -> str:
    value = value.strip()
    digits = re.sub(r"\D", "", value)
    if not 5 <= len(digits) <= 15 or re.search(r"[^\d\s()+\-./xext]", value, re.IGNORECASE):
        raise ValidationError(f"{value!r} is not a phone number", field=field)
    return value


def check_inn(value: str, *, field: str = "inn") -> str:
    """A Russian tax id (ИНН): 10 digits for a company, 12 for a person; check digits verified."""
    digits = value.strip()
    if not digits.isdigit() or len(digits) not in (10, 12):
        raise ValidationError(f"{value!r} is not an INN (10 or 12 digits)", field=field)
    numbers = [int(ch) for ch in digits]

    def check(weights: list[int], upto: int) -> int:
        return sum(w * n for w, n in zip(weights, numbers[:upto], strict=True)) % 11 % 10

    if len(digits) == 10:
        ok = check([2, 4, 10, 3, 5, 9, 4, 6, 8], 9) == numbers[9]
    else:
        ok = (
            check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10) == numbers[10]
            and check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11) == numbers[11]
        )
    if not ok:
        raise ValidationError(f"{value!r}: INN check digit does not match", field=field)
    return digits


_CURRENCY_SIGNS = {"₽": "RUB", "руб": "RUB", "р": "RUB", "$": "USD", "€": "EUR", "£": "GBP"}
_MONEY_RE = re.compile(r"^[+-]?\d+(?:[.,]\d{1,2})?$")


def parse_money(text: str | int | Decimal, *, field: str = "amount") -> int:
    """Minor units from ``412 500,50``, ``412500.5``, ``1,234.56``, ``412 500 ₽``. Exact, no float."""
    if isinstance(text, int):
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
        raise ValidationError(f"{raw!r} is not an amount (e.g. 412 500,50)", field=field)
    return _decimal_to_minor(Decimal(cleaned.replace(",", ".")), field)


def _decimal_to_minor(value: Decimal, field: str) -> int:
    try:
        minor = value * 100
        if minor != minor.to_integral_value():
            raise ValidationError(f"{value} has more than two decimals", field=field)
        return int(minor)
    except InvalidOperation:
        raise ValidationError(f"{value!r} is not an amount", field=field) from None


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
