"""Typer's and Click's own words ("Usage:", "Options", "Missing argument 'title'.") in the interface language.

Typer 0.29 carries its own copy of Click (``typer._click``) with its words written in English in
the code; plain Click translates through the standard ``gettext`` module. :func:`install` makes
both speak amtui's language: the standard module's ``_``/``ngettext`` in Click's modules point at
:mod:`amtui.i18n`, and a few of Typer's methods (the usage line, the help option, the error line)
are wrapped to translate their English. The words are marked here so that they reach our
catalogs. Anything Typer adds later stays English: each patch checks that its target exists.
"""

from __future__ import annotations

import sys
from typing import Any

from amtui.i18n import N_, _, ngettext

USAGE = N_("Usage:")
HELP_OPTION = N_("Show this message and exit.")
ERROR = N_("Error: {message}")
TRY_HELP = N_("Try '{command} {option}' for help.")
SECTIONS = (N_("Arguments"), N_("Options"), N_("Commands"), N_("required"), N_("default: {default}"))
# Typer's words that go through the standard ``gettext`` calls :func:`install` redirects: marked here.
TYPER_WORDS = (N_("Aborted!"), N_("(dynamic)"), N_("env var: {var}"))
# The start of a usage error's message, English -> marked (the rest, names and values, stays).
MESSAGE_STARTS = (
    ("Missing argument", N_("Missing argument")),
    ("Missing option", N_("Missing option")),
    ("Missing parameter", N_("Missing parameter")),
    ("Missing command", N_("Missing command")),
    ("Invalid value for", N_("Invalid value for")),
    ("Invalid value", N_("Invalid value")),
    ("No such option", N_("No such option")),
    ("No such command", N_("No such command")),
    ("Got unexpected extra argument(s)", N_("Got unexpected extra argument(s)")),
)
# Whole messages (and their endings) Typer writes in English: the pattern, and the marked text with the
# same named fields. ``{message}`` is itself translated (it is one of the messages above).
MESSAGE_PATTERNS = (
    (r"(?P<message>.+)\. Did you mean (?P<suggestions>.+)\?", N_("{message}. Did you mean {suggestions}?")),
    (r"(?P<message>.+) \(Possible options: (?P<options>.+)\)", N_("{message} (Possible options: {options})")),
    (r"(?P<message>.+)\. Choose from:(?P<choices>.+)", N_("{message}. Choose from:{choices}")),
    (r"Option (?P<option>.+) requires an argument\.", N_("Option {option} requires an argument.")),
    (r"Option (?P<option>.+) does not take a value\.", N_("Option {option} does not take a value.")),
    (r"(?P<message>.+): Input should be a valid integer, unable to parse string as an integer",
     N_("{message}: a whole number is expected")),
    (r"(?P<message>.+): Input should be a valid number, unable to parse string as a number",
     N_("{message}: a number is expected")),
    (r"(?P<message>.+): Input should be a valid boolean, unable to interpret input",
     N_("{message}: yes or no is expected")),
    (r"(?P<message>.+): Input should be greater than or equal to (?P<limit>\S+)",
     N_("{message}: the least allowed is {limit}")),
    (r"(?P<message>.+): Input should be less than or equal to (?P<limit>\S+)",
     N_("{message}: the most allowed is {limit}")),
)  # fmt: skip


def translate_message(text: str) -> str:
    """``Missing argument 'title'.`` -> ``Не указан аргумент 'title'.``; ``No such command 'tsak'. Did you
    mean 'task'?`` -> ``Нет такой команды 'tsak'. Может быть, 'task'?`` (the known messages only)."""
    import re

    from amtui.i18n import DEFAULT_LANGUAGE, current_language

    if current_language() == DEFAULT_LANGUAGE:  # Typer's own English stays as it is (pydantic's words too)
        return text
    for pattern, marked in MESSAGE_PATTERNS:
        match = re.fullmatch(pattern, text, flags=re.DOTALL)
        if match:
            fields = match.groupdict()
            if "message" in fields:
                fields["message"] = translate_message(fields["message"])
            return _(marked).format(**fields)
    for english, marked in MESSAGE_STARTS:
        if text.startswith(english):
            return _(marked) + text[len(english) :]
    return text


def _patch_typer_click() -> None:
    exceptions = sys.modules.get("typer._click.exceptions")
    formatting = sys.modules.get("typer._click.formatting")
    core = sys.modules.get("typer._click.core")
    utils = sys.modules.get("typer._click.utils")
    if formatting is not None and hasattr(formatting, "HelpFormatter"):
        formatter = formatting.HelpFormatter
        write_usage = formatter.write_usage
        if not getattr(write_usage, "_amtui", False):

            def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
                write_usage(self, prog, args, f"{_(USAGE)} " if prefix is None else prefix)

            usage._amtui = True  # type: ignore[attr-defined]
            formatter.write_usage = usage
    if core is not None and hasattr(core, "Command"):
        command = core.Command
        get_help_option = command.get_help_option
        if not getattr(get_help_option, "_amtui", False):

            def help_option(self: Any, ctx: Any) -> Any:
                option = get_help_option(self, ctx)
                if option is not None and option.help == HELP_OPTION:
                    option.help = _(HELP_OPTION)
                return option

            help_option._amtui = True  # type: ignore[attr-defined]
            command.get_help_option = help_option
    if exceptions is not None and utils is not None and hasattr(exceptions, "UsageError"):
        usage_error = exceptions.UsageError
        if not getattr(usage_error.show, "_amtui", False):
            echo = utils.echo

            def show(self: Any, file: Any = None) -> None:
                if file is None:
                    file = exceptions.get_text_stderr()
                color = None
                hint = ""
                if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
                    hint = _(TRY_HELP).format(command=self.ctx.command_path, option=self.ctx.help_option_names[0])
                    hint += "\n"
                if self.ctx is not None:
                    color = self.ctx.color
                    echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
                message = translate_message(self.format_message())
                echo(_(ERROR).format(message=message), file=file, color=color)

            show._amtui = True  # type: ignore[attr-defined]
            usage_error.show = show


def install() -> None:
    """Make Typer and Click speak the interface language (cheap: a look at the loaded modules)."""
    import gettext

    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("click", "typer")):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            setattr(module, "_", _)  # noqa: B010 (mypy: the module's own name)
        if getattr(module, "ngettext", None) is gettext.ngettext:
            setattr(module, "ngettext", ngettext)  # noqa: B010
    _patch_typer_click()
