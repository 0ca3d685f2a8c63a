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


def clean_phone(value: str, *, region: str | None = None, field: str = "phone") -> str:
    """The value to store: E.164 (``+74951234567``, an extension as ``+74951234567;ext=12``) for a valid
    number; the user's own text for one the library cannot place; an error for text that is no number."""
    text = " ".join(value.split())
    digits = len(_NOT_DIGIT.sub("", text))
    # Letters beyond an extension marker are a note, not a number ("+7 495 123-45-67, звоните после обеда").
    if digits < 3 or len(text) > _MAX_LENGTH or _NOT_PHONE.search(_EXTENSION.sub(" ", text)):
        raise ValidationError(f"{value.strip()!r} is not a phone number", field=field)
    number = _parsed(text, (region or default_region()).upper())
    if number is None:
        return text
    import phonenumbers

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
    import phonenumbers

    try:
        number = phonenumbers.parse(value.replace(";ext=", " ext. "), None)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
