"""``amtui import KIND FILE`` and ``amtui export KIND``: files in and out (see docs/import-export.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from amtui.commands.common import (
    EXIT_ERROR,
    choice_parser,
    echo_json,
    fail,
    now,
    output_target,
    parse_day,
    unit_of_work,
    zone,
)
from amtui.i18n import _, ngettext
from amtui.vocabulary import PLANNER, RECORD_KINDS, one_of

MAX_PRINTED_ERRORS = 50
PROGRESS_MIN_BYTES = 1024 * 1024


class DateOrder(str, Enum):
    dmy = "dmy"
    mdy = "mdy"


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    vcf = "vcf"
    ics = "ics"
    json = "json"


@contextmanager
def _progress(path: Path) -> Iterator[tuple[Callable[[float], None] | None, Callable[[], None]]]:
    """A progress bar on a terminal for files big enough to take a moment; nothing when piped.
    The second callable says that the import waits for another writer (on a terminal)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0

    def waiting() -> None:
        if sys.stderr.isatty():
            typer.echo(_("Waiting for another writer to finish..."), err=True)

    if not sys.stderr.isatty() or size < PROGRESS_MIN_BYTES:
        yield None, waiting
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from amtui.commands.output import raw_stream
    from amtui.services.sanitize import safe_display

    shown = escape(safe_display(path.name, multiline=False))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=Console(file=raw_stream(sys.stderr)),
        transient=True,
    ) as bar:
        task = bar.add_task(f"Reading {shown}", total=1.0)

        def waiting_bar() -> None:
            bar.update(task, description=f"{shown}: waiting for another writer")

        def advance(fraction: float) -> None:
            bar.update(task, completed=fraction, description=f"Reading {shown}")

        yield advance, waiting_bar


def import_command(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            parser=choice_parser(RECORD_KINDS),
            help=_("What the file holds: {values}.").format(values=one_of(RECORD_KINDS)),
        ),
    ],
    file: Annotated[
        Path, typer.Argument(help=_("CSV, XLSX, JSON, vCard (.vcf, contacts) or iCalendar (.ics, interactions)."))
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Show what would change; write nothing."))] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help=_("Write the good rows; put bad ones in a rejects CSV."))
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help=_("Where --skip-bad puts bad rows (default FILE.rejects.csv)."))
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help=_("Column mapping override: 'Header=field' ('Header=-' skips)."))
    ] = None,
    mapping_file: Annotated[
        Path | None, typer.Option("--mapping", help=_("File of 'Header = field' lines (or a JSON object)."))
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help=_("XLSX sheet (default: the first with data)."))] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help=_("CSV encoding if detection guesses wrong (e.g. cp1251)."))
    ] = None,
    date_order: Annotated[
        DateOrder, typer.Option("--date-order", help=_("How to read 01/02/2026: dmy (1 Feb) or mdy (2 Jan)."))
    ] = DateOrder.dmy,
    start: Annotated[
        str | None, typer.Option("--from", help=_("Calendar files: first day of events to take (default today)."))
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help=_("Calendar files: last day (default 8 weeks on)."))] = None,
    client: Annotated[
        str | None, typer.Option("--client", help=_("Client of rows/events that name none (calendar files)."))
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help=_("Print the summary as JSON."))] = False,
) -> None:
    from amtui.db import begin_write
    from amtui.formats.importer import ImportOptions, import_file
    from amtui.formats.mapping import load_mapping_file, parse_map_option

    if not file.exists():
        fail(_("{path}: no such file").format(path=file))
    overrides: dict[str, str] = {}
    if mapping_file is not None:
        overrides.update(load_mapping_file(mapping_file))
    overrides.update(parse_map_option(mapping or []))
    window_from: date | None = parse_day(start, field="--from") if start else None
    window_to: date | None = parse_day(end, field="--to") if end else None
    with _progress(file) as (progress, waiting), unit_of_work(ctx) as session:
        if not dry_run:
            # The write lock first: ids and keys read from here on stay true until the commit.
            begin_write(session, on_wait=waiting)
        options = ImportOptions(
            now=now(),
            zone=zone(),
            date_order=date_order.value,
            dry_run=dry_run,
            skip_bad=skip_bad,
            rejects_path=rejects,
            overrides=overrides,
            sheet=sheet,
            encoding=encoding,
            window_from=window_from,
            window_to=window_to,
            client=client,
            progress=progress,
        )
        summary = import_file(session=session, kind=kind, path=file, options=options)
    if json_output:
        echo_json(summary.as_dict())
    else:
        _print_summary(summary)
    if summary.rejected and not skip_bad:
        raise typer.Exit(EXIT_ERROR)


def _print_summary(summary: Any) -> None:
    for warning in summary.warnings[:MAX_PRINTED_ERRORS]:
        typer.echo(_("warning: {message}").format(message=warning.format(summary.path)), err=True)
    for error in summary.errors[:MAX_PRINTED_ERRORS]:
        typer.echo(error.format(summary.path), err=True)
    hidden = len(summary.errors) - MAX_PRINTED_ERRORS
    if hidden > 0:
        typer.echo(ngettext("... and {n} more problem", "... and {n} more problems", hidden).format(n=hidden), err=True)
    counts = _("{created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected").format(
        created=summary.created, updated=summary.updated, unchanged=summary.unchanged, rejected=summary.rejected
    )
    if summary.clients_created:
        counts += ngettext(" (and {n} new client)", " (and {n} new clients)", summary.clients_created).format(
            n=summary.clients_created
        )
    source = f"{summary.path} ({summary.format}{', ' + '; '.join(summary.notes) if summary.notes else ''})"
    if summary.dry_run:
        typer.echo(
            _("Dry run, nothing written. {kind} from {source}: would be {counts}").format(
                kind=summary.kind, source=source, counts=counts
            )
        )
    elif summary.written:
        typer.echo(_("Imported {kind} from {source}: {counts}").format(kind=summary.kind, source=source, counts=counts))
    else:
        notes = f" ({'; '.join(summary.notes)})" if summary.notes else ""
        typer.echo(
            _("Nothing written: fix the rows above or use --skip-bad. {kind} would be: {counts}{notes}").format(
                kind=summary.kind, counts=counts, notes=notes
            ),
            err=True,
        )
    if summary.rejects_path:
        typer.echo(_("Bad rows written to {path}").format(path=summary.rejects_path))


def export_command(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            parser=choice_parser((*RECORD_KINDS, PLANNER)),
            help=_("What to export: {values} (planned calls/visits/meetings).").format(
                values=one_of((*RECORD_KINDS, PLANNER))
            ),
        ),
    ],
    file_format: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help=_("csv, xlsx, vcf (contacts), ics (planner), json. Default: from -o.")),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_("File to write (default: stdout)."))] = None,
    excel: Annotated[bool, typer.Option("--excel", help=_("CSV for Russian Excel: ';' and decimal commas."))] = False,
    vcard_version: Annotated[int, typer.Option("--vcard-version", help=_("vCard 4 (default) or 3."))] = 4,
    alarm: Annotated[int, typer.Option("--alarm", help=_("Calendar reminder, minutes before (0: none)."))] = 15,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the output file if it exists."))] = False,
) -> None:
    from amtui.formats import exporters

    if output is not None:
        output = output_target(output, force=force)

    chosen = file_format.value if file_format else _format_from_name(output)
    if kind == PLANNER and file_format is None and output is None:
        chosen = "ics"
    if vcard_version not in (3, 4):
        fail(_("--vcard-version is 3 or 4"))
    with unit_of_work(ctx) as session:
        written = exporters.export(
            session=session,
            kind=kind,
            file_format=chosen,
            output=output,
            excel=excel,
            vcard_version=vcard_version,
            alarm_minutes=alarm,
            now=now(),
            zone=zone(),
        )
    if output is not None:
        typer.echo(_("Exported {n} {kind} to {path}").format(n=written, kind=kind, path=output), err=True)


def _format_from_name(output: Path | None) -> str:
    if output is None:
        return "csv"
    suffix = output.suffix.lower().lstrip(".")
    return {"vcard": "vcf", "ical": "ics", "ics": "ics", "xlsx": "xlsx", "json": "json", "vcf": "vcf"}.get(
        suffix, "csv"
    )


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help=_(
            "Import records of a KIND from a file.\n\nRecords are matched (external id, then INN/e-mail, then "
            "name) and updated, so importing the same file twice changes nothing. Any bad row: nothing is "
            "written (unless --skip-bad)."
        ),
    )(import_command)
    app.command(
        "export",
        help=_("Export records as CSV (UTF-8 with BOM), XLSX, vCard, iCalendar or JSON (files are private: 0600)."),
    )(export_command)
