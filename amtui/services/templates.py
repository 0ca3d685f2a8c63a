"""Message templates the user can edit: the meeting report, the birthday greeting, the "tell the client" note.

One file per message and language. The user's own copy in ``<config dir>/templates/<lang>/<name>``
wins; the package ships the defaults (``amtui/templates/<lang>/<name>``). A template is
:class:`string.Template` text: ``$name`` or ``${name}`` fields, ``$$`` for a dollar sign; nothing
in it is executed. A field the message does not know is an error naming the file and the field.

After filling in, runs of blank lines left by empty fields shrink to one blank line.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from amtui.i18n import DEFAULT_LANGUAGE, normalize_language
from amtui.services.errors import ValidationError

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "templates"
# The messages and the fields each one offers.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "report.md": ("heading", "client", "date", "kind", "place", "attendees", "agenda", "agreements", "next_steps"),
    "report.txt": ("heading", "client", "date", "kind", "place", "attendees", "agenda", "agreements", "next_steps"),
    "birthday.txt": ("name", "sender", "client"),
    "tell_client.txt": ("name", "message", "sender", "client"),
}
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def user_templates_dir() -> Path:
    from amtui.config import user_config_dir

    return user_config_dir() / "templates"


def template_path(name: str, language: str | None) -> Path:
    """The file the message ``name`` in ``language`` is read from: the user's copy, else the shipped one."""
    if name not in TEMPLATES:
        raise ValidationError(f"unknown template {name!r} (one of: {', '.join(TEMPLATES)})", field="template")
    lang = normalize_language(language) or DEFAULT_LANGUAGE
    for candidate in (
        user_templates_dir() / lang / name,
        SHIPPED_DIR / lang / name,
        SHIPPED_DIR / DEFAULT_LANGUAGE / name,
    ):
        if candidate.is_file():
            return candidate
    raise ValidationError(f"no template {name!r} shipped for {lang}", field="template")


def render_template(template: str, language: str | None, /, **fields: str) -> str:
    """The message ``template`` in ``language`` with ``fields`` filled in (every known field defaults to empty)."""
    path = template_path(template, language)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path}: cannot read the template: {exc}", field="template") from None
    values = dict.fromkeys(TEMPLATES[template], "") | {key: value or "" for key, value in fields.items()}
    try:
        filled = Template(text).substitute(values)
    except KeyError as exc:
        known = ", ".join(f"${field}" for field in TEMPLATES[template])
        raise ValidationError(
            f"{path}: unknown field ${exc.args[0]} (this template knows {known})", field="template"
        ) from None
    except ValueError as exc:
        raise ValidationError(f"{path}: {exc} (write $$ for a dollar sign)", field="template") from None
    return _BLANK_RUNS.sub("\n\n", filled).strip() + "\n"
