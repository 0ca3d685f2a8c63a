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


def translate_message(text: str) -> str:
    """``Missing argument 'title'.`` -> ``Не указан аргумент 'title'.`` (the known starts only)."""
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
