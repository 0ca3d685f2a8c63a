"""Turn every expected failure into one clear line on stderr and exit code 1."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from amtui.i18n import _


def _message(exc: BaseException) -> tuple[str, list[str]] | None:
    from amtui.config import ConfigError
    from amtui.db import DatabaseError
    from amtui.files import OutputError

    if isinstance(exc, (ConfigError, DatabaseError, OutputError)):
        return str(exc), []
    # Services are imported lazily; only look at their errors if they were loaded.
    errors = sys.modules.get("amtui.services.errors")
    if errors is not None and isinstance(exc, errors.AmtuiError):
        candidates = getattr(exc, "candidates", None) or []
        return str(exc), list(candidates)
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError):
        reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc).splitlines()[0]
        if "locked" in reason:
            return _("the database is busy (locked by another program): {reason}; nothing was written").format(
                reason=reason
            ), []
        return _("database error: {reason}; nothing was written").format(reason=reason), []
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror}", []
    return None


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
