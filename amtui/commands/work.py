"""``amtui log``, ``amtui plan`` and ``amtui task ...``: the day's quick entries."""

from __future__ import annotations

import contextlib
from datetime import time
from typing import TYPE_CHECKING, Annotated

import typer

from amtui.commands.common import (
    choice_parser,
    echo_json,
    fail,
    now,
    parse_day,
    parse_when,
    today,
    warn,
    workspace,
    zone,
)
from amtui.vocabulary import PLANNED_MINUTES, REPORTED_KINDS, InteractionKind, Priority, one_of

if TYPE_CHECKING:
    from amtui.services.workweek import WorkWeek

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON for scripts.")]
EveryOption = Annotated[
    str | None,
    typer.Option(help="Repeat: day, week, 2w, month, 3 months, year, workday; the next one is made when one is done."),
]
CountOption = Annotated[int | None, typer.Option("--count", help="With --every: how many times in all.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="With --every: the last day it may fall on.")]
FollowingOption = Annotated[
    bool, typer.Option("--following", help="A repeating one: this and the following ones (default: this one only).")
]
ThisOption = Annotated[bool, typer.Option("--this", help="A repeating one: this occurrence only (the default).")]
ToldOption = Annotated[
    bool | None,
    typer.Option(
        "--told/--not-told",
        help="A promise to the client (a meeting's next step, a visit) moved: was the client told? "
        "Not told (the default): a 'tell the client' task due today.",
    ),
]
task_app = typer.Typer(help="Tasks: your own and those delegated to colleagues.", no_args_is_help=True)
planned_app = typer.Typer(
    help="Planned calls, visits and meetings: list, move, cancel, mark done.", no_args_is_help=True
)

_LENGTHS = ", ".join(f"{kind} {minutes}" for kind, minutes in PLANNED_MINUTES.items())


def _work_week() -> WorkWeek:
    from amtui.config import work_week

    return work_week()


def _default_time() -> time:
    """A day given without a time: 10:00, moved into the configured working hours."""
    return _work_week().clamp_time(time(10, 0))


def _warn_if_outside_work(when: object, what: str) -> None:
    """A planned call or a check-in on a weekend, a public holiday or at night: say so, do it anyway."""
    from datetime import datetime

    from amtui.services.dates import format_local

    assert isinstance(when, datetime)
    week = _work_week()
    if not week.is_working_time(when, zone()):
        warn(f"{what} {format_local(when, zone())} is outside working time ({week.describe()})")


def _refuse_past(when: object, *, field: str, hint: str) -> None:
    from datetime import datetime

    from amtui.services.dates import format_local, is_past

    assert isinstance(when, datetime)
    if is_past(when, now()):
        fail(f"{field}: {format_local(when, zone())} is in the past; {hint}")


def _complete_assignee(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --assignee: the colleagues tasks were delegated to."""
    import sqlite3

    from amtui.commands.common import state
    from amtui.services.colleagues import colleague_key, complete_colleague

    root = ctx.find_root()
    url = state(ctx).db_url() if not root.params.get("db") else str(root.params["db"])
    path = url.removeprefix("sqlite:///") if "://" in url else url
    if "://" in path:
        return []  # completion reads SQLite files only
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            rows = connection.execute(
                "SELECT assignee, count(*) FROM task WHERE assignee IS NOT NULL GROUP BY assignee ORDER BY 2 DESC"
            ).fetchall()
    except sqlite3.Error:
        return []
    names: dict[str, str] = {}
    for name, _count in rows:
        names.setdefault(colleague_key(name), name)
    return complete_colleague(list(names.values()), incomplete)


AssigneeOption = Annotated[
    str | None,
    typer.Option(
        help="Colleague it is delegated to (default: you); 'Петров' finds 'Петров (логистика)'.",
        autocompletion=_complete_assignee,
    ),
]


def log_command(
    ctx: typer.Context,
    kind: Annotated[InteractionKind, typer.Argument(help="What happened.")],
    client: Annotated[str, typer.Argument(help="Client id or part of its name.")],
    contact: Annotated[list[str] | None, typer.Option(help="Who took part (repeat for several).")] = None,
    inbound: Annotated[bool, typer.Option("--inbound", help="The client reached out (called us first).")] = False,
    note: Annotated[str | None, typer.Option(help="What was said or agreed.")] = None,
    at: Annotated[str | None, typer.Option(help="When (default now): 'today 10:00', '24.11 15:30', ...")] = None,
    duration: Annotated[str | None, typer.Option(help="How long: 45m, 1h30m.")] = None,
    needs_reply: Annotated[bool, typer.Option("--needs-reply", help="An inbound message still to answer.")] = False,
    replies_to: Annotated[
        int | None,
        typer.Option(
            "--replies-to", metavar="ID", help="This answers the client's message ID (amtui alerts: reply:ID)."
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Log a done call, visit, meeting, e-mail or message (restarts the contact cadence)."""
    from amtui.services.dates import parse_duration

    when = parse_when(at, field="--at", past=True) if at else now()
    minutes = parse_duration(duration, field="--duration") if duration else None
    created = workspace(ctx).log(
        client,
        contacts=contact or (),
        replies_to=replies_to,
        kind=kind.value,
        at=when,
        direction="inbound" if inbound else "outbound",
        subject=note,
        duration_min=minutes,
        needs_reply=needs_reply,
    )
    if json_output:
        echo_json(created)
        return
    from amtui.services.dates import format_local

    done_at = format_local(created.done_at, zone())
    typer.echo(f"Logged {created.kind} {created.id} with {created.client_name} at {done_at}")
    if replies_to is not None:
        typer.echo(f"Message {replies_to} is answered.")
    if created.kind in REPORTED_KINDS:
        typer.echo(f"Write the meeting report: amtui report write {created.id}")


def plan_command(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(metavar="KIND", parser=choice_parser(PLANNED_MINUTES), help=f"{one_of(PLANNED_MINUTES)}."),
    ],
    client: Annotated[str, typer.Argument(help="Client id or part of its name.")],
    at: Annotated[str, typer.Option(help="When: 'tomorrow 10:00', 'пт 15:00', '27.11.2026 14:30'.")],
    duration: Annotated[str | None, typer.Option(help=f"How long: 45m, 1h30m (default, minutes: {_LENGTHS}).")] = None,
    contact: Annotated[list[str] | None, typer.Option(help="Who (repeat for several).")] = None,
    subject: Annotated[str | None, typer.Option(help="What about.")] = None,
    place: Annotated[str | None, typer.Option(help="Where (address, room, link).")] = None,
    past: Annotated[bool, typer.Option("--past", help="Plan it even though --at is in the past.")] = False,
    every: EveryOption = None,
    count: CountOption = None,
    until: UntilOption = None,
    json_output: JsonOption = False,
) -> None:
    """Plan a call, visit or meeting. A weekday or a date without a year is the next one to come
    ('вт 11:00' on a Tuesday evening is next Tuesday); a time in the past is refused without --past.
    --every 2w repeats it (--count N or --until DAY ends it): one occurrence at a time, the next one
    made when one is done or its time passes."""
    from amtui.services.dates import format_local, parse_duration

    when = parse_when(at, field="--at", default_time=_default_time())
    if not past:
        _refuse_past(
            when,
            field="--at",
            hint=f"to record what happened use 'amtui log {kind} {client} --at ...'; to plan it anyway add --past",
        )
    _warn_if_outside_work(when, f"the {kind} on")
    minutes = parse_duration(duration, field="--duration") if duration else PLANNED_MINUTES[kind]
    created = workspace(ctx).plan(
        client,
        contacts=contact or (),
        kind=kind,
        at=when,
        duration_min=minutes,
        subject=subject,
        place=place,
        every=every,
        count=count,
        until=parse_day(until, field="--until") if until else None,
    )
    if json_output:
        echo_json(created)
    else:
        typer.echo(
            f"Planned {created.kind} {created.id} with {created.client_name} on "
            f"{format_local(created.planned_at, zone())}"
            f" ({minutes} min)" + _repeat_suffix(created.repeat)
        )


def _repeat_suffix(rule: str | None) -> str:
    if not rule:
        return ""
    from amtui.services.recurrence import describe

    return f", {describe(rule)}"


def _this_or_following(this: bool, following: bool) -> bool:
    if this and following:
        fail("--this or --following, not both")
    return following


def _told_lines(moved: object) -> None:
    """Rule 19: a promise moved; say whether the client is to be told, and the task that reminds of it."""
    from amtui.i18n import _
    from amtui.services.moves import Moved

    assert isinstance(moved, Moved)
    if moved.promise is None:
        return
    typer.echo(_("Notice: the client was promised this: {promise}").format(promise=moved.promise))
    if moved.tell_task is not None:
        if moved.told is None:
            typer.echo(_("Was the client told? Assumed not (--told if they were)."))
        typer.echo(_("Added task {id}: {title}, due today").format(id=moved.tell_task.id, title=moved.tell_task.title))
    else:
        typer.echo(_("The client was told: no reminder added."))


@task_app.command("add")
def task_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What is to be done.")],
    due: Annotated[str, typer.Option(help="Due date: 'fri', '+3d', '01.12.2026'.")],
    client: Annotated[str | None, typer.Option(help="Client id or part of its name.")] = None,
    assignee: AssigneeOption = None,
    check_in: Annotated[
        str | None,
        typer.Option("--check-in", help="When to ask the delegate (default: the working day 35% of the way)."),
    ] = None,
    priority: Annotated[str | None, typer.Option(help=f"{one_of(Priority)}.")] = None,
    every: EveryOption = None,
    count: CountOption = None,
    until: UntilOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a task; a delegated one gets a check-in at about a third of the time, on a working day.
    --every month repeats it from its due day (--count N or --until DAY ends it)."""
    from amtui.services.dates import format_date, format_local, is_past

    due_on = parse_day(due, field="--due")
    if due_on < today():
        warn(f"--due {format_date(due_on)} is in the past: the task is overdue from the start")
    elif not _work_week().is_working_day(due_on):
        warn(f"--due {format_date(due_on)} is not a working day ({_work_week().describe()})")
    check_in_at = parse_when(check_in, field="--check-in", default_time=_default_time()) if check_in else None
    if check_in_at is not None and is_past(check_in_at, now()):
        warn(f"--check-in {format_local(check_in_at, zone())} is in the past: it is due at once")
    created = workspace(ctx).add_task(
        client=client,
        title=title,
        due_on=due_on,
        assignee=assignee,
        check_in_at=check_in_at,
        priority=priority,
        every=every,
        count=count,
        until=parse_day(until, field="--until") if until else None,
    )
    if json_output:
        echo_json(created)
        return
    line = f"Added task {created.id}: {created.title}, due {format_date(created.due_on)}"
    line += _repeat_suffix(created.repeat)
    if created.assignee:
        line += f", delegated to {created.assignee}"
    if created.check_in_at:
        line += f", check in {format_local(created.check_in_at, zone())}"
    typer.echo(line)


@task_app.command("done")
def task_done(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.", metavar="ID")],
    json_output: JsonOption = False,
) -> None:
    """Mark a task done."""
    done = workspace(ctx).complete_task(task_id)
    if json_output:
        echo_json(done)
    else:
        typer.echo(f"Done: task {done.id}: {done.title}")


@task_app.command("cancel")
def task_cancel(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.", metavar="ID")],
    following: Annotated[
        bool, typer.Option("--following", help="A repeating task: this and the following ones (the series ends).")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Drop a task no longer needed: it leaves the lists and the alerts (amtui task reopen ID brings it back).
    A repeating task goes on with its next occurrence unless --following."""
    cancelled = workspace(ctx).cancel_task(task_id, following=following)
    if json_output:
        echo_json(cancelled)
    else:
        typer.echo(f"Cancelled task {cancelled.id}: {cancelled.title} (amtui task reopen {cancelled.id} undoes it)")


@task_app.command("reopen")
def task_reopen(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.", metavar="ID")],
    json_output: JsonOption = False,
) -> None:
    """Open a done or cancelled task again."""
    reopened = workspace(ctx).reopen_task(task_id)
    if json_output:
        echo_json(reopened)
    else:
        typer.echo(f"Reopened task {reopened.id}: {reopened.title}")


@task_app.command("check-in")
def task_check_in(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.", metavar="ID")],
    note: Annotated[str | None, typer.Option(help="What the colleague said.")] = None,
    next_check_in: Annotated[str | None, typer.Option("--next", help="When to ask again.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record that a delegate reported progress on a task."""
    following = parse_when(next_check_in, field="--next", default_time=_default_time()) if next_check_in else None
    if following is not None:
        from amtui.services.dates import format_local, is_past

        if is_past(following, now()):
            warn(f"--next {format_local(following, zone())} is in the past: it is due at once")
        _warn_if_outside_work(following, "the next check-in on")
    updated = workspace(ctx).confirm_check_in(task_id, next_check_in=following, note=note)
    if json_output:
        echo_json(updated)
    else:
        typer.echo(f"Checked in on task {updated.id}: {updated.title}")


@task_app.command("move")
def task_move(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.", metavar="ID")],
    due: Annotated[str, typer.Option(help="New due date.")],
    this: ThisOption = False,
    following: FollowingOption = False,
    told: ToldOption = None,
    json_output: JsonOption = False,
) -> None:
    """Move a task's due date (a delegated task gets a new check-in). A next step promised at a meeting
    moved past its date: unless --told, a 'tell the client' task due today is added."""
    from amtui.services.dates import format_date

    due_on = parse_day(due, field="--due")
    result = workspace(ctx).move_task(task_id, due_on, following=_this_or_following(this, following), told=told)
    moved = result.item
    if json_output:
        echo_json(moved)
    else:
        typer.echo(f"Moved task {moved.id} to {format_date(moved.due_on)}")
        _told_lines(result)


@task_app.command("list")
def task_list(
    ctx: typer.Context,
    delegated: Annotated[bool, typer.Option("--delegated", help="Only tasks delegated to colleagues.")] = False,
    mine: Annotated[bool, typer.Option("--mine", help="Only your own tasks.")] = False,
    client: Annotated[str | None, typer.Option(help="Only this client's tasks.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Open tasks, the most pressing first."""
    from amtui.commands.render import task_line

    rows = workspace(ctx).task_list(client=client, delegated=True if delegated else (False if mine else None))
    if json_output:
        echo_json(rows)
        return
    typer.echo("\n".join(task_line(task, today(), zone=zone()) for task in rows) or "No open tasks.")


MAX_DAYS_AHEAD = 3660


@planned_app.command("list")
def planned_list(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days ahead, from today.")] = 7,
    client: Annotated[str | None, typer.Option(help="Only this client.")] = None,
    json_output: JsonOption = False,
) -> None:
    """What is planned from today on, in time order."""
    if not 0 <= days <= MAX_DAYS_AHEAD:
        fail(f"--days: {days} is out of range (0 to {MAX_DAYS_AHEAD})")
    from amtui.commands.render import interaction_line

    rows = workspace(ctx).planned(days, client=client)
    if json_output:
        echo_json(rows)
        return
    lines = [f"{item.id:>6}  {interaction_line(item, zone())}  {item.client_name}" for item in rows]
    typer.echo("\n".join(lines) or f"Nothing planned in the next {days} days.")


@planned_app.command("move")
def planned_move(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help="The planned call/visit/meeting (its id).", metavar="ID")],
    at: Annotated[str, typer.Option(help="New time: 'tomorrow 10:00', 'пт 15:00'.")],
    past: Annotated[bool, typer.Option("--past", help="Move it even though --at is in the past.")] = False,
    this: ThisOption = False,
    following: FollowingOption = False,
    told: ToldOption = None,
    json_output: JsonOption = False,
) -> None:
    """Move a planned call, visit or meeting (a time in the past is refused without --past). A visit or
    meeting moved: unless --told, a 'tell the client' task due today is added."""
    from amtui.services.dates import format_local

    when = parse_when(at, field="--at", default_time=_default_time())
    if not past:
        _refuse_past(
            when, field="--at", hint=f"if it happened, 'amtui planned done {interaction_id} --at ...'; else add --past"
        )
    _warn_if_outside_work(when, "the new time")
    result = workspace(ctx).move_planned(interaction_id, when, following=_this_or_following(this, following), told=told)
    moved = result.item
    if json_output:
        echo_json(moved)
    else:
        typer.echo(
            f"Moved {moved.kind} {moved.id} with {moved.client_name} to {format_local(moved.planned_at, zone())}"
        )
        _told_lines(result)


@planned_app.command("cancel")
def planned_cancel(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help="The planned call/visit/meeting (its id).", metavar="ID")],
    following: Annotated[
        bool, typer.Option("--following", help="A repeating one: this and the following ones (the series ends).")
    ] = False,
) -> None:
    """Cancel a planned call, visit or meeting (it will not show as missed). A repeating one goes on with
    its next occurrence unless --following."""
    cancelled = workspace(ctx).cancel(interaction_id, following=following)
    typer.echo(f"Cancelled {cancelled.kind} {cancelled.id} with {cancelled.client_name}")


@planned_app.command("done")
def planned_done(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help="The planned call/visit/meeting (its id).", metavar="ID")],
    note: Annotated[str | None, typer.Option(help="The outcome.")] = None,
    at: Annotated[
        str | None, typer.Option(help="When it happened (default: its planned time, or now if still ahead).")
    ] = None,
) -> None:
    """Mark a planned call, visit or meeting done (a touch; a visit/meeting then owes a report)."""
    when = parse_when(at, field="--at", past=True) if at else None
    done = workspace(ctx).done(interaction_id, at=when, outcome=note)
    typer.echo(f"Done: {done.kind} {done.id} with {done.client_name}")
    if done.kind in REPORTED_KINDS:
        typer.echo(f"Write the meeting report: amtui report write {done.id}")


@task_app.command("colleagues")
def task_colleagues(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """The colleagues tasks are delegated to, with their open tasks ('Петров' and 'Петров (логистика)' are one)."""
    people = workspace(ctx).colleagues()
    if json_output:
        echo_json(people)
        return
    lines = []
    for person in people:
        also = f"  (also written {', '.join(person.other_names)})" if person.other_names else ""
        lines.append(f"{person.name}: {person.open_tasks} open of {person.tasks} tasks{also}")
    typer.echo("\n".join(lines) or "No task is delegated yet: amtui task add ... --assignee NAME")


@planned_app.command("reopen")
def planned_reopen(
    ctx: typer.Context,
    interaction_id: Annotated[
        int, typer.Argument(help="The done or cancelled call/visit/meeting (its id).", metavar="ID")
    ],
) -> None:
    """Undo done or cancelled: the call, visit or meeting is planned again (its touch is taken back)."""
    item = workspace(ctx).reopen(interaction_id)
    typer.echo(f"Reopened {item.kind} {item.id} with {item.client_name}: planned again")


def register(app: typer.Typer) -> None:
    app.command("log")(log_command)
    app.command("plan")(plan_command)
    app.add_typer(planned_app, name="planned")
    app.add_typer(task_app, name="task")
