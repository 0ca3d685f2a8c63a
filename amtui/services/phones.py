"""Phone numbers through ``phonenumbers``: stored as E.164, shown in the international format.

A number is read in the user's default region (``region`` in config.toml,
``AMTUI_REGION``, RU when neither is set), so ``8 (812) 555-12-34`` is
``+78125551234``. A number the library does not know to be valid (an internal
extension, a foreign format it cannot place) keeps the user's text: nothing the
user had is lost. ``phonenumbers`` is imported on first use, never at start-up.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from amtui.i18n import _
from amtui.services.errors import ValidationError

_NOT_DIGIT = re.compile(r"\D")
_MAX_LENGTH = 60
_EXTENSION = re.compile(r"(?i)(?:\b(?:ext|x|доб)\b\.?|;ext=)")
_NOT_PHONE = re.compile(r"[^\d\s()+\-./#*]")


def default_region() -> str:
    """The region a number without a ``+`` belongs to: the config's ``region``, ``AMTUI_REGION``, else RU."""
    from amtui.config import load_settings

    return load_settings().region


def phone_key(value: str) -> str:
    """Digits only, for matching and search; a Russian 8XXXXXXXXXX is read as 7XXXXXXXXXX (+7)."""
    if value[:1] == "+" and value[1:].isdecimal() and not (len(value) == 12 and value[1] == "8"):
        return value[1:]  # E.164, as numbers are stored (\D takes what is not isdecimal())
    digits = _NOT_DIGIT.sub("", value)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


@lru_cache(maxsize=4096)
def _parsed(text: str, region: str) -> Any:
    """The number, or None when it is not valid or would be a guess.

    A national number is read in the default region only when written the national way, with the
    trunk prefix (``8 (812) ...`` in Russia, ``030 ...`` in Germany): a bare ``(415) 901-7000`` in an
    American export would otherwise become a valid Kamchatka number. It then keeps its text.
    """
    import phonenumbers
    from phonenumbers import CountryCodeSource, PhoneMetadata

    try:
        number = phonenumbers.parse(text, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code_source == CountryCodeSource.FROM_DEFAULT_COUNTRY and number.country_code != 1:
        metadata = PhoneMetadata.metadata_for_region(region)
        prefix = metadata.national_prefix if metadata is not None else None
        if prefix and not _NOT_DIGIT.sub("", text).startswith(prefix):
            return None
    return number


# A country code's whole numbering plan, and the landline and mobile numbers by their length.
_Plans = tuple[re.Pattern[str], dict[int, re.Pattern[str]]]
_MAX_COUNTRY_HEADS = 1000  # every three-digit head: the memo stays small whatever a file holds
_PLAIN_INTERNATIONAL = re.compile(r"^\+(\d{7,15})$")


def _lib() -> Any:
    import phonenumbers

    return phonenumbers


def _number(digits: str) -> Any:
    """A number from its E.164 digits, or None when no country code fits (no text parsing)."""
    phonenumbers = _lib()
    for length in (1, 2, 3):
        code = int(digits[:length])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            national = digits[length:]
            if not national:
                return None
            number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
            zeros = len(national) - len(national.lstrip("0"))
            if zeros:
                number.italian_leading_zero = True
                number.number_of_leading_zeros = zeros if zeros > 1 else None
            return number
    return None


def _valid_e164(digits: str) -> bool:
    """Whether ``+digits`` is a valid number: what ``is_valid_number`` says, sooner for the common case.

    ``is_valid_number`` tries every kind of number in turn (most of the cost of reading one, and an
    import of 100,000 rows reads 100,000): a landline or mobile number of the country's plan is
    recognised first, a number outside the plan refused, and only the rest asks the library."""
    found = _country(digits[:3])
    if found is None:
        return False
    length, plans = found
    national = digits[length:]
    if plans is not None:
        general, by_length = plans
        # A kind's pattern holds its region's whole plan (see _common_plans): a match is in the plan.
        common = by_length.get(len(national))
        if common is not None and common.fullmatch(national) is not None:
            return True
        if general.fullmatch(national) is None:
            return False
    number = _number(digits)
    return number is not None and bool(_lib().is_valid_number(number))


# The first three digits of an E.164 number -> its country code's length and plans (None: no country
# code): country codes are prefix-free, so these digits decide, and an import asks once per row.
_COUNTRIES: dict[str, tuple[int, _Plans | None] | None] = {}


def _country(head: str) -> tuple[int, _Plans | None] | None:
    try:
        return _COUNTRIES[head]
    except KeyError:
        pass
    found = None
    for length in (1, 2, 3):
        code = int(head[:length])
        if code in _lib().COUNTRY_CODE_TO_REGION_CODE:
            found = (length, _common_plans(code))
            break
    if len(_COUNTRIES) < _MAX_COUNTRY_HEADS:
        _COUNTRIES[head] = found
    return found


@lru_cache(maxsize=256)
def _common_plans(code: int) -> _Plans | None:
    """The country code's regions' whole numbering plans as one pattern, and by a national number's length
    one pattern for the landline and mobile numbers of that length inside their region's plan (each
    alternative ``(?=plan$)kind``: a number matches it when it matches a region's plan and one of its
    kinds), from phonenumbers' metadata; None when no region has such plans."""
    phonenumbers = _lib()
    plans: list[str] = []
    kinds: dict[int, list[str]] = {}
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ()):
        metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, region)
        general = metadata.general_desc if metadata is not None else None
        if general is None or not general.national_number_pattern:
            continue
        plan = general.national_number_pattern
        for desc in (metadata.fixed_line, metadata.mobile):
            if desc is None or not desc.national_number_pattern:
                continue
            lengths = desc.possible_length or general.possible_length
            if lengths and lengths[0] != -1:
                if plan not in plans:
                    plans.append(plan)
                for size in lengths:
                    kinds.setdefault(size, []).append(f"(?=(?:{plan})\\Z)(?:{desc.national_number_pattern})")
    if not plans:
        return None
    by_length = {size: re.compile("|".join(f"(?:{kind})" for kind in found)) for size, found in kinds.items()}
    return re.compile("|".join(f"(?:{plan})" for plan in plans)), by_length


@lru_cache(maxsize=64)
def _national_prefix(region: str) -> tuple[str, str] | None:
    """``("8", "7")`` for RU: a national number's trunk prefix and the country code replacing it, where the
    region strips nothing but that prefix when it reads a number."""
    metadata = _lib().PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.country_code is None:
        return None
    prefix = metadata.national_prefix
    if not prefix or metadata.national_prefix_for_parsing != prefix:
        return None
    return prefix, str(metadata.country_code)


def _quick(compact: str, region: str) -> str | None:
    """E.164 digits for the common shapes, ``+7 495 123-45-67`` and (in Russia) ``8 (495) 123-45-67``,
    read without ``phonenumbers.parse`` from the text without its spaces, dashes, brackets and dots; None
    for other shapes and for numbers it finds not valid."""
    # "+" and 7-15 digits, or 7-17 digits (isdecimal() takes the characters \d matches).
    if compact[:1] == "+":
        digits = compact[1:]
        if 7 <= len(digits) <= 15 and digits.isdecimal():
            return digits if _valid_e164(digits) else None  # "+44 (0) 20 ...": parsed in full
        return None
    if 7 <= len(compact) <= 17 and compact.isdecimal():
        national = _national_prefix(region)
        if national is not None and compact.startswith(national[0]):
            digits = national[1] + compact[len(national[0]) :]
            if _valid_e164(digits):
                return digits
    return None


def clean_phone(value: str, *, region: str | None = None, field: str = "phone") -> str:
    """The value to store: E.164 (``+74951234567``, an extension as ``+74951234567;ext=12``) for a valid
    number; the user's own text for one the library cannot place; an error for text that is no number."""
    text = " ".join(value.split())
    # Plain: digits, single spaces and "+-()." only, i.e. what is left without the formatting and the
    # "+" signs is digits (checked without a pattern: an import cleans one number a row).
    compact = text.replace(" ", "").replace("-", "").replace("(", "").replace(")", "").replace(".", "")
    number_digits = compact.replace("+", "") if "+" in compact else compact
    plain = number_digits.isdecimal() or (not number_digits and text != "")
    digits = len(number_digits) if plain else len(_NOT_DIGIT.sub("", text))
    # Letters beyond an extension marker are a note, not a number ("+7 495 123-45-67, звоните после обеда").
    if digits < 3 or len(text) > _MAX_LENGTH or (not plain and _NOT_PHONE.search(_EXTENSION.sub(" ", text))):
        raise ValidationError(_("{value} is not a phone number").format(value=repr(value.strip())), field=field)
    region = (region or default_region()).upper()
    if plain:
        quick = _quick(compact, region)
        if quick is not None:
            return "+" + quick
    number = _parsed(text, region)
    if number is None:
        return text
    phonenumbers = _lib()
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


def display_phone(value: str | None) -> str:
    """``+74951234567`` -> ``+7 495 123-45-67``; a stored text that is not E.164 is shown as it is."""
    if not value:
        return ""
    if not value.startswith("+"):
        return value
    return _display(value)


@lru_cache(maxsize=4096)
def _display(value: str) -> str:
    phonenumbers = _lib()
    plain = _PLAIN_INTERNATIONAL.match(value)
    number = _number(plain.group(1)) if plain and _valid_e164(plain.group(1)) else None
    if number is None:
        try:
            number = phonenumbers.parse(value.replace(";ext=", " ext. "), None)
        except phonenumbers.NumberParseException:
            return value
        if not phonenumbers.is_valid_number(number):
            return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
