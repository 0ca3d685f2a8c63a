#!/usr/bin/env python3
"""The translation catalogs: extract, update, compile, check (Babel's pybabel with amtui's settings).

    .venv/bin/python tools/i18n.py extract   # amtui/locale/amtui.pot from the marked strings
    .venv/bin/python tools/i18n.py update    # merge the template into ru and it (.po), new strings untranslated
    .venv/bin/python tools/i18n.py compile   # .po -> .mo (the package loads the .mo files)
    .venv/bin/python tools/i18n.py all       # the three in order: what to run after marking strings
    .venv/bin/python tools/i18n.py check     # exit 1 when a catalog is out of date or a .mo is stale

A new language: ``.venv/bin/pybabel init -i amtui/locale/amtui.pot -d amtui/locale -D amtui -l de``,
then add it to ``amtui.i18n.LANGUAGES``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "amtui" / "locale"
POT = LOCALE / "amtui.pot"
DOMAIN = "amtui"
LANGUAGES = ("ru", "it")
_FIELD = re.compile(r"\{(\w*)\}")  # str.format fields: a translation keeps the original's


def pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "--quiet", *args])


def extract(output: Path = POT) -> None:
    pybabel(
        "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(output), "--no-location", "--sort-output",
        "--project", "amtui", "--copyright-holder", "amtui", "--msgid-bugs-address", "-",
        "-c", "TRANSLATORS:", "-k", "Nn_:1,2", "-k", "NP_:1c,2", str(ROOT / "amtui"),
    )  # fmt: skip


def update() -> None:
    for language in LANGUAGES:
        po = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        command = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        pybabel(command, "-i", str(POT), "-d", str(LOCALE), "-D", DOMAIN, "-l", language, *extra)


def compile_catalogs() -> None:
    pybabel("compile", "-d", str(LOCALE), "-D", DOMAIN, "--statistics")


def problems() -> list[str]:
    """What is out of date: strings marked in the code but missing from a catalog, left-over
    strings, untranslated ones, and a .mo that does not hold what its .po says."""
    import gettext

    from babel.messages.pofile import read_po

    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh_pot = Path(tmp) / "amtui.pot"
        extract(fresh_pot)
        with fresh_pot.open("rb") as handle:
            marked_keys = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}
    for language in LANGUAGES:
        po = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo = po.with_suffix(".mo")
        if not po.exists():
            found.append(f"{po}: missing (run tools/i18n.py all)")
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        in_po = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
        for _context, key in sorted(marked_keys - set(in_po), key=str):
            found.append(f"{po}: {key!r} is marked in the code but not in the catalog (run tools/i18n.py all)")
        for _context, key in sorted(set(in_po) - marked_keys, key=str):
            found.append(f"{po}: {key!r} is no longer in the code (run tools/i18n.py all)")
        for (_context, key), message in sorted(in_po.items(), key=str):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings) or message.fuzzy:
                found.append(f"{po}: {key!r} is not translated{' (fuzzy)' if message.fuzzy else ''}")
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            wanted = set().union(*(_FIELD.findall(text) for text in ids))
            for string in strings:
                if set(_FIELD.findall(string)) != wanted:
                    found.append(f"{po}: {string!r} must use the fields {sorted(wanted)} of {key!r}")
        if not mo.exists():
            found.append(f"{mo}: missing (run tools/i18n.py compile)")
            continue
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for (context, key), message in in_po.items():
            if message.fuzzy:
                continue
            if isinstance(message.id, str):
                got = compiled.pgettext(context, key) if context else compiled.gettext(key)
                want = message.string or key
                if got != want:
                    found.append(f"{mo}: {key!r} is {got!r}, the .po says {want!r} (run tools/i18n.py compile)")
            else:
                for n, want in zip((1, 2, 5), message.string, strict=False):
                    got = (compiled.npgettext(context, key, message.id[1], n) if context
                           else compiled.ngettext(key, message.id[1], n))  # fmt: skip
                    if want and got not in message.string:
                        found.append(f"{mo}: {key!r} plural is {got!r}, not in the .po (run tools/i18n.py compile)")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "all"
    if command in ("extract", "all"):
        extract()
    if command in ("update", "all"):
        update()
    if command in ("compile", "all"):
        compile_catalogs()
    if command == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    if command not in ("extract", "update", "compile", "all", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
