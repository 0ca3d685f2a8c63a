"""``amtui db ...``, ``amtui backup`` and ``amtui demo``."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from amtui.commands.common import echo_json, fail, now, state, unit_of_work
from amtui.i18n import _

db_app = typer.Typer(help=_("The database: schema status and upgrades."), no_args_is_help=True)


@db_app.command("status", help=_("Where the database is and which schema revision it has."))
def db_status(ctx: typer.Context, json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    from amtui.db import checked_revision, make_engine, sqlite_path
    from amtui.migrations import SCHEMA_HEAD

    url = state(ctx).db_url()
    path = sqlite_path(url)
    exists = path is None or path.exists()
    revision = checked_revision(make_engine(url, create=False)) if exists else None
    info = {
        "url": url,
        "path": str(path) if path else None,
        "exists": exists,
        "revision": revision,
        "head": SCHEMA_HEAD,
        "up_to_date": revision == SCHEMA_HEAD,
    }
    if json_output:
        echo_json(info)
        return
    typer.echo(_("Database: {path}").format(path=path or url))
    if not exists:
        typer.echo(_("Not created yet: amtui init {path}").format(path=path))
        return
    typer.echo(_("Schema:   {revision} (current: {head})").format(revision=revision or _("none"), head=SCHEMA_HEAD))
    typer.echo(_("Up to date.") if revision == SCHEMA_HEAD else _("Needs an upgrade: amtui db upgrade"))


@db_app.command("upgrade", help=_("Upgrade the schema in place, keeping the data (a backup is made first)."))
def db_upgrade(ctx: typer.Context) -> None:
    from amtui.config import resolve_db
    from amtui.db import checked_revision, current_revision, ensure_schema, make_engine
    from amtui.migrations import SCHEMA_HEAD

    url, is_default = resolve_db(state(ctx).db)
    engine = make_engine(url, create=is_default)
    before = checked_revision(engine)
    if before == SCHEMA_HEAD:
        typer.echo(_("Already at the current schema ({head}).").format(head=SCHEMA_HEAD))
        return
    copy = ensure_schema(engine)
    if copy is not None:
        typer.echo(_("Backup: {path}").format(path=copy))
    typer.echo(_("Upgraded {before} → {after}.").format(before=before or _("empty"), after=current_revision(engine)))


@db_app.command("clean-text")
def db_clean_text(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would change; write nothing.")] = False,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Fix old text holding control characters, bidi overrides or line breaks (a backup is made first).

    Every text column of every table: line breaks become a space (a line feed in notes), other
    control characters are removed, in one transaction. New text can no longer hold them."""
    from amtui.db import backup, begin_write, sqlite_path
    from amtui.i18n import _, ngettext
    from amtui.services.cleanup import clean_stored_text
    from amtui.services.sanitize import safe_display

    url = state(ctx).db_url()
    path = sqlite_path(url)
    written: list[Path] = []

    def make_backup() -> None:
        if path is not None:
            stamp = now().strftime("%Y%m%d-%H%M%S")
            written.append(backup(url, path.with_name(f"{path.name}.before-clean-text-{stamp}.bak")))

    with unit_of_work(ctx) as session:
        begin_write(session)  # nobody writes between the listing, the backup and the fix
        result = clean_stored_text(session=session, dry_run=dry_run, before_change=make_backup)
    if json_output:
        echo_json(
            {
                "fixes": [
                    {
                        "table": fix.table,
                        "column": fix.column,
                        "id": fix.row_id,
                        "before": fix.before,
                        "after": fix.after,
                        "removed": list(fix.removed),
                    }
                    for fix in result.fixes
                ],
                "written": result.written,
                "backup": str(written[0]) if written else None,
            }
        )
        return
    if not result.fixes:
        typer.echo(_("No stored text holds control characters, bidi overrides or line breaks."))
        return
    for fix in result.fixes:
        typer.echo(
            _("{table} {id} {column}: {removed}: {before} → {after}").format(
                table=fix.table,
                id=fix.row_id,
                column=fix.column,
                removed=", ".join(fix.removed),
                before=safe_display(fix.before, multiline=False),
                after=fix.after,
            )
        )
    count = len(result.fixes)
    if not result.written:
        message = ngettext(
            "{n} value would be fixed; nothing was written (run without --dry-run).",
            "{n} values would be fixed; nothing was written (run without --dry-run).",
            count,
        )
        typer.echo(message.format(n=count))
        return
    typer.echo(ngettext("{n} value fixed.", "{n} values fixed.", count).format(n=count))
    if written:
        typer.echo(_("Backup: {path}").format(path=written[0]))


def backup_command(
    ctx: typer.Context,
    target: Annotated[
        Path | None, typer.Argument(help=_("Where to write the copy (default: beside the database, dated)."))
    ] = None,
) -> None:
    from amtui.db import backup, sqlite_path
    from amtui.services.locale_format import count

    url = state(ctx).db_url()
    source = sqlite_path(url)
    if source is None:
        fail(_("backup works on SQLite databases; use your database server's tools"))
    if target is None:
        stamp = now().strftime("%Y%m%d-%H%M%S")
        target = source.with_name(f"{source.stem}-{stamp}.db")
    written = backup(url, target)
    typer.echo(_("Backup written: {path} ({size} bytes)").format(path=written, size=count(written.stat().st_size)))


class DemoSize(str, Enum):
    small = "small"
    large = "large"


def demo_command(
    ctx: typer.Context,
    size: Annotated[
        DemoSize,
        typer.Option(
            help=_("small: ~40 clients to try amtui; large: 2,000 clients and 200,000 interactions, for benchmarks.")
        ),
    ] = DemoSize.small,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace the data in a database that already has some."))
    ] = False,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    from decimal import Decimal

    from amtui.services.demo import build_demo
    from amtui.services.locale_format import count, decimal

    summary = build_demo(state(ctx).engine(create=True), size=size.value, now=now(), force=force)
    if json_output:
        echo_json({"counts": summary.counts, "seconds": round(summary.seconds, 3)})
        return
    total = sum(summary.counts.values())
    typer.echo(
        _("Demo ({size}) written to {url}: {rows} rows in {seconds} s").format(
            size=size.value,
            url=state(ctx).db_url(),
            rows=count(total),
            seconds=decimal(Decimal(f"{summary.seconds:.1f}")),
        )
    )
    for table_name, rows in summary.counts.items():
        if rows:
            typer.echo(f"  {table_name:<20}{count(rows):>9}")


def init_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help=_("The database file to create (default: --db, settings, the default)."))
    ] = None,
) -> None:
    from amtui.db import current_revision, sqlite_path
    from amtui.migrations import SCHEMA_HEAD

    cli_state = state(ctx)
    if path is not None:
        if str(path) == "" or path.is_dir():
            fail(_("{path}: give a file name for the new database").format(path=path))
        cli_state.db = str(path)
    url = cli_state.db_url()
    target = sqlite_path(url)
    existed = target is None or target.exists()
    engine = cli_state.engine(create=True)
    where = target or url
    if existed:
        typer.echo(
            _("Database {where} is ready (schema {schema}).").format(where=where, schema=current_revision(engine))
        )
    else:
        typer.echo(_("Created {where} (schema {schema}).").format(where=where, schema=SCHEMA_HEAD))


def register(app: typer.Typer) -> None:
    app.command(
        "init",
        help=_(
            "Create a database (or bring an existing one to the current schema). Other commands never create a "
            "file they were pointed at: a mistyped --db is an error, not a new empty database."
        ),
    )(init_command)
    app.add_typer(db_app, name="db")
    app.command("backup", help=_("An online, consistent copy of the database (safe while the TUI is open)."))(
        backup_command
    )
    app.command(
        "demo",
        help=_("Fill a database with realistic demo data relative to today (never touches data without --force)."),
    )(demo_command)
