"""Turn every expected failure into one clear line on stderr and exit code 1."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from amtui.commands.plain import failure as _message
from amtui.i18n import _


class AmtuiGroup(TyperGroup):
    """The root command group: expected failures become a message and exit code 1.

    Catching here (not around ``app()``) means Typer's test runner sees the same
    message and exit code as a user does.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            described = _message(exc)
            if described is None:
                raise
            message, details = described
            typer.echo(_("amtui: error: {message}").format(message=message), err=True)
            for line in details:
                typer.echo(f"  {line}", err=True)
            raise typer.Exit(1) from None
