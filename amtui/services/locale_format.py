"""Numbers, money and dates as a reader of each language expects them (through Babel).

``1 250 000,50 ₽`` (ru), ``1.250.000,50 €`` (it), ``€1,250,000.50`` (en); ``вт 08.12.2026``,
``mar 08/12/2026``, ``Tue 08.12.2026``. Day-month-year order in all three, as the user types dates.

Money comes in integer minor units and stays exact (Decimal, never float). Babel puts no-break
spaces where a number must not wrap (``1\\xa0250\\xa0000,50\\xa0₽``); ``plain_spaces`` turns them into
ordinary spaces for a reader that wants them.

Babel is imported here only, never at start-up: the interface's gettext calls do not need it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from amtui.i18n import DEFAULT_LANGUAGE, current_language, normalize_language

# Day first in every language; Italians write slashes, Russians and (here) English readers dots.
_DATE_PATTERNS = {"ru": "dd.MM.yyyy", "it": "dd/MM/yyyy", "en": "dd.MM.yyyy"}
_BABEL_LOCALES = {"ru": "ru_RU", "it": "it_IT", "en": "en_US"}


def _language(language: str | None) -> str:
    return normalize_language(language) or (current_language() if language is None else DEFAULT_LANGUAGE)


@lru_cache(maxsize=8)
def _locale(language: str) -> Any:
    from babel import Locale

    return Locale.parse(_BABEL_LOCALES[language])


def plain_spaces(text: str) -> str:
    """``text`` with Babel's no-break and narrow no-break spaces as ordinary spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@lru_cache(maxsize=64)
def currency_digits(currency: str) -> int:
    """How many minor-unit digits ``currency`` has (2 for RUB and EUR, 0 for JPY)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency.upper()))


def money_amount(minor: int, currency: str) -> Decimal:
    """The exact amount of ``minor`` units (kopecks, cents) of ``currency``."""
    return Decimal(int(minor)).scaleb(-currency_digits(currency))


def format_money(minor: int, currency: str, *, language: str | None = None) -> str:
    """``1 250 000,50 ₽`` from ``125000050`` kopecks in Russian; cents always shown."""
    from babel.numbers import format_currency

    lang = _language(language)
    return str(format_currency(money_amount(minor, currency), currency.upper(), locale=_locale(lang)))


def format_number(value: int | Decimal, *, language: str | None = None, decimals: int | None = None) -> str:
    """``1 250 000`` / ``1.250.000`` / ``1,250,000``; ``decimals`` fixes the digits after the separator."""
    from babel.numbers import format_decimal

    lang = _language(language)
    if decimals is None:
        return str(format_decimal(value, locale=_locale(lang)))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return str(format_decimal(Decimal(value), format=pattern, locale=_locale(lang), decimal_quantization=True))


def _decimals(value: int | Decimal) -> int:
    exponent = Decimal(value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def decimal(value: int | Decimal | None, *, language: str | None = None) -> str:
    """A number with the digits it has, in the interface's (or ``language``'s) way: ``1 234,5`` (ru),
    ``1.234,5`` (it), ``1234.5`` in English (amtui's plain figure; Babel is not loaded for it)."""
    if value is None:
        return ""
    lang = _language(language)
    if lang == DEFAULT_LANGUAGE:
        return str(value)
    return format_number(value, language=lang, decimals=_decimals(value))


def count(value: int, *, language: str | None = None) -> str:
    """A whole number grouped as the language groups it: ``3,817`` (en), ``3 817`` (ru, no-break space),
    ``3.817`` (it); English without Babel."""
    lang = _language(language)
    if lang == DEFAULT_LANGUAGE:
        return f"{value:,}"
    return format_number(value, language=lang)


@lru_cache(maxsize=8)
def _percent_sign(language: str) -> tuple[str, str]:
    """What goes before and after the number of a percentage in ``language``: ``("", "\xa0%")`` in Russian."""
    from babel.numbers import format_percent

    text = str(format_percent(0, locale=_locale(language)))
    before, _zero, after = text.partition("0")
    return before, after


def percent(value: int | Decimal | None, *, language: str | None = None) -> str:
    """A percentage (already in percent, e.g. ``Decimal("12.5")``) with the digits it has: ``12,5 %``
    (ru, a no-break space), ``12,5%`` (it), ``12.5%`` in English (no Babel)."""
    if value is None:
        return ""
    lang = _language(language)
    if lang == DEFAULT_LANGUAGE:
        return f"{value}%"
    before, after = _percent_sign(lang)
    return f"{before}{decimal(value, language=lang)}{after}"


def discount(basis_points: int | None, *, language: str | None = None) -> str:
    """A client's discount from basis points: ``2.50 %`` in English (as amtui always wrote it),
    ``2,50 %`` in Russian, ``2,50%`` in Italian."""
    if not basis_points:
        return ""
    value = Decimal(int(basis_points)).scaleb(-2)
    if _language(language) == DEFAULT_LANGUAGE:
        return f"{value} %"
    return percent(value, language=language)


def format_date(value: date | None, *, language: str | None = None, weekday: bool = True) -> str:
    """``вт 08.12.2026`` / ``mar 08/12/2026`` / ``Tue 08.12.2026`` (without ``weekday``: just the date)."""
    if value is None:
        return ""
    from babel.dates import format_date as babel_format_date

    lang = _language(language)
    pattern = ("EEE " if weekday else "") + _DATE_PATTERNS[lang]
    return str(babel_format_date(value, format=pattern, locale=_locale(lang)))


def format_datetime(value: datetime | None, zone: tzinfo, *, language: str | None = None, weekday: bool = True) -> str:
    """The local date as :func:`format_date` gives it, then ``HH:MM`` (24 hours in all three languages)."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    return f"{format_date(local.date(), language=language, weekday=weekday)} {local:%H:%M}"


def format_weekday(value: date, *, language: str | None = None) -> str:
    """``вт`` / ``mar`` / ``Tue``: the short weekday name."""
    from babel.dates import format_date as babel_format_date

    lang = _language(language)
    return str(babel_format_date(value, format="EEE", locale=_locale(lang)))


# --- the interface's money and dates, for the cron path (digest, alerts, CLI lines) ------------------------------


def money(minor: int | None, currency: str, *, language: str | None = None) -> str:
    """Money in a sentence of the interface (or ``language``): ``1 250 000,50 ₽``, ``1.250.000,50 €``.

    English keeps amtui's own ``1 250 000,50 RUB`` (what scripts and mails have always read) and
    never loads Babel; Russian and Italian load it on the first amount (20-50 ms to import plus
    90-220 ms of locale data on a loaded 2-core machine, once per process) and only then: a digest
    with no money never pays.
    """
    if minor is None:
        return ""
    lang = _language(language)
    if lang == DEFAULT_LANGUAGE:
        from amtui.services.text import format_money as plain_money

        return plain_money(minor, currency)
    return format_money(minor, currency, language=lang)


def money_writer(*, language: str | None = None) -> Callable[[int, str], str]:
    """:func:`money` with the language settled once: for a table of thousands of amounts."""
    lang = _language(language)
    if lang == DEFAULT_LANGUAGE:
        from amtui.services.text import format_money as plain_money

        return plain_money
    return partial(format_money, language=lang)


def short_date(value: date, *, language: str | None = None) -> str:
    """``08.12.2026`` (ru, en) or ``08/12/2026`` (it) without Babel: per alert, it must be cheap."""
    separator = "/" if _language(language) == "it" else "."
    return f"{value.day:02d}{separator}{value.month:02d}{separator}{value.year}"
