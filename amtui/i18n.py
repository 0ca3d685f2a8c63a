"""The interface language and the translated strings (gettext catalogs shipped in the package).

The language is, strongest first: ``AMTUI_LANG``, the config file's ``language = "ru"``, the
locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``; the first one set decides, as gettext does), and
English. Only Russian, Italian and English exist; anything else is English.

``_``, ``ngettext`` and ``pgettext`` translate into the interface language. Documents that go to
a client use the client's language instead: ``translator(language)`` gives the same three calls
for any language without changing the interface's.

Cheap at start-up: the standard ``gettext`` module reads the compiled ``.mo`` files; Babel is
used only to extract and compile the catalogs (tools/i18n.py) and, in
:mod:`amtui.services.locale_format`, to format numbers, money and dates.

Catalogs live in ``amtui/locale/<lang>/LC_MESSAGES/amtui.po`` (and the compiled ``.mo``).
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import lru_cache
from pathlib import Path

DOMAIN = "amtui"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "ru", "it")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "it": "Italiano"}


def normalize_language(value: str | None) -> str | None:
    """``"ru"`` from ``ru``, ``ru_RU.UTF-8``, ``RU``, ``ru-RU``; ``None`` when the value names none of ours."""
    if not value:
        return None
    code = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].casefold()
    return code if code in LANGUAGES else None


def parse_language(value: str, *, field: str = "language") -> str:
    """A language the user gave (an option, a form field, an import cell): ``ru``, ``it`` or ``en``."""
    code = normalize_language(value)
    if code is None:
        from amtui.services.errors import ValidationError

        message = _("unknown language {value} (use one of: {languages})")
        raise ValidationError(message.format(value=repr(value), languages=", ".join(LANGUAGES)), field=field)
    return code


def _config_language() -> str | None:
    from amtui.config import ConfigError, _read_toml, config_file_path

    try:
        value = _read_toml(config_file_path()).get("language")
    except ConfigError:
        return None
    return str(value) if value else None


def detect_language() -> str:
    """The interface language from the environment and the config file (see the module's doc)."""
    explicit = normalize_language(os.environ.get("AMTUI_LANG"))
    if explicit:
        return explicit
    configured = normalize_language(_config_language())
    if configured:
        return configured
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return normalize_language(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def _catalog(language: str) -> _gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


class Translator:
    """The translation calls for one language (the interface's, or a client's for a document)."""

    __slots__ = ("_catalog", "language")

    def __init__(self, language: str) -> None:
        self.language = normalize_language(language) or DEFAULT_LANGUAGE
        self._catalog = _catalog(self.language)

    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._catalog.npgettext(context, singular, plural, n)

    # ``t._("...")`` reads like the module-level call (and Babel extracts ``_`` calls).
    _ = gettext


def translator(language: str | None) -> Translator:
    """Translations into ``language`` (``None``: the interface language)."""
    return _translator(normalize_language(language) or current_language())


@lru_cache(maxsize=len(LANGUAGES))
def _translator(language: str) -> Translator:
    return Translator(language)


_current: str | None = None


def current_language() -> str:
    global _current
    if _current is None:
        _current = detect_language()
    return _current


def set_language(language: str | None) -> str:
    """Switch the interface language (``None``: detect it again); returns the language in use."""
    global _current
    _current = normalize_language(language) if language else None
    return current_language()


def _(message: str) -> str:
    return _translator(current_language()).gettext(message)


def gettext(message: str) -> str:
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translator(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translator(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translator(current_language()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it with ``_`` where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a string with its context (``pgettext``) where it is defined; show it with ``pgettext(*pair)``."""
    return context, message


def days(n: int, language: str | None = None) -> str:
    """``1 день``, ``2 дня``, ``5 дней``, ``21 день``; ``1 giorno``, ``2 giorni``; ``1 day``, ``2 days``."""
    return translator(language).ngettext("{n} day", "{n} days", n).format(n=n)


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for extraction; show it with ``ngettext(singular, plural, n)``."""
    return singular, plural
