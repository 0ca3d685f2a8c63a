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
from amtui.i18n import _, ngettext
from amtui.vocabulary import PLANNED_MINUTES, REPORTED_KINDS, InteractionKind, Priority, label, one_of

if TYPE_CHECKING:
    from amtui.services.workweek import WorkWeek

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print the result as JSON for scripts."))]
EveryOption = Annotated[
    str | None,
    typer.Option(
        help=_("Repeat: day, week, 2w, month, 3 months, year, workday; the next one is made when one is done.")
    ),
]
CountOption = Annotated[int | None, typer.Option("--count", help=_("With --every: how many times in all."))]
UntilOption = Annotated[str | None, typer.Option("--until", help=_("With --every: the last day it may fall on."))]
FollowingOption = Annotated[
    bool, typer.Option("--following", help=_("A repeating one: this and the following ones (default: this one only)."))
]
ThisOption = Annotated[bool, typer.Option("--this", help=_("A repeating one: this occurrence only (the default)."))]
ToldOption = Annotated[
    bool | None,
    typer.Option(
        "--told/--not-told",
        help=_(
            "A promise to the client (a meeting's next step, a visit) moved: was the client told? "
            "Not told (the default): a 'tell the client' task due today."
        ),
    ),
]
task_app = typer.Typer(help=_("Tasks: your own and those delegated to colleagues."), no_args_is_help=True)
planned_app = typer.Typer(
    help=_("Planned calls, visits and meetings: list, move, cancel, mark done."), no_args_is_help=True
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
        warn(
            _("{what} {when} is outside working time ({hours})").format(
                what=what, when=format_local(when, zone()), hours=week.describe()
            )
        )


def _refuse_past(when: object, *, field: str, hint: str) -> None:
    from datetime import datetime

    from amtui.services.dates import format_local, is_past

    assert isinstance(when, datetime)
    if is_past(when, now()):
        fail(
            _("{field}: {when} is in the past; {hint}").format(field=field, when=format_local(when, zone()), hint=hint)
        )


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
        help=_("Colleague it is delegated to (default: you); 'Петров' finds 'Петров (логистика)'."),
        autocompletion=_complete_assignee,
    ),
]


def log_command(
    ctx: typer.Context,
    kind: Annotated[InteractionKind, typer.Argument(help=_("What happened."))],
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    contact: Annotated[list[str] | None, typer.Option(help=_("Who took part (repeat for several)."))] = None,
    inbound: Annotated[bool, typer.Option("--inbound", help=_("The client reached out (called us first)."))] = False,
    note: Annotated[str | None, typer.Option(help=_("What was said or agreed."))] = None,
    at: Annotated[str | None, typer.Option(help=_("When (default now): 'today 10:00', '24.11 15:30', ..."))] = None,
    duration: Annotated[str | None, typer.Option(help=_("How long: 45m, 1h30m."))] = None,
    needs_reply: Annotated[bool, typer.Option("--needs-reply", help=_("An inbound message still to answer."))] = False,
    replies_to: Annotated[
        int | None,
        typer.Option(
            "--replies-to", metavar="ID", help=_("This answers the client's message ID (amtui alerts: reply:ID).")
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services.dates import parse_duration

    when = parse_when(at, field="--at", past=True) if at else now()
    minutes = parse_duration(duration, field="--duration") if duration else None
    created = workspace(ctx, quick=True).log(
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
    typer.echo(
        _("Logged {kind} {id} with {client} at {when}").format(
            kind=label(InteractionKind, created.kind), id=created.id, client=created.client_name, when=done_at
        )
    )
    if replies_to is not None:
        typer.echo(_("Message {id} is answered.").format(id=replies_to))
    if created.kind in REPORTED_KINDS:
        typer.echo(_("Write the meeting report: amtui report write {id}").format(id=created.id))


def plan_command(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(metavar="KIND", parser=choice_parser(PLANNED_MINUTES), help=f"{one_of(PLANNED_MINUTES)}."),
    ],
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    at: Annotated[str, typer.Option(help=_("When: 'tomorrow 10:00', 'пт 15:00', '27.11.2026 14:30'."))],
    duration: Annotated[
        str | None, typer.Option(help=_("How long: 45m, 1h30m (default, minutes: {lengths}).").format(lengths=_LENGTHS))
    ] = None,
    contact: Annotated[list[str] | None, typer.Option(help=_("Who (repeat for several)."))] = None,
    subject: Annotated[str | None, typer.Option(help=_("What about."))] = None,
    place: Annotated[str | None, typer.Option(help=_("Where (address, room, link)."))] = None,
    past: Annotated[bool, typer.Option("--past", help=_("Plan it even though --at is in the past."))] = False,
    every: EveryOption = None,
    count: CountOption = None,
    until: UntilOption = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services.dates import format_local, parse_duration

    when = parse_when(at, field="--at", default_time=_default_time())
    if not past:
        _refuse_past(
            when,
            field="--at",
            hint=_(
                "to record what happened use 'amtui log {kind} {client} --at ...'; to plan it anyway add --past"
            ).format(kind=kind, client=client),
        )
    _warn_if_outside_work(when, _("the {kind} on").format(kind=label(InteractionKind, kind)))
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
            _("Planned {kind} {id} with {client} on {when} ({minutes} min)").format(
                kind=label(InteractionKind, created.kind),
                id=created.id,
                client=created.client_name,
                when=format_local(created.planned_at, zone()),
                minutes=minutes,
            )
            + _repeat_suffix(created.repeat)
        )


def _repeat_suffix(rule: str | None) -> str:
    if not rule:
        return ""
    from amtui.services.recurrence import describe

    return f", {describe(rule)}"


def _this_or_following(this: bool, following: bool) -> bool:
    if this and following:
        fail(_("--this or --following, not both"))
    return following


def _told_lines(moved: object) -> None:
    """Rule 19: a promise moved; say whether the client is to be told, and the task that reminds of it."""
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


@task_app.command(
    "add",
    help=_(
        "Add a task; a delegated one gets a check-in at about a third of the time, on a working day."
        " --every month repeats it from its due day (--count N or --until DAY ends it)."
    ),
)
def task_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help=_("What is to be done."))],
    due: Annotated[str, typer.Option(help=_("Due date: 'fri', '+3d', '01.12.2026'."))],
    client: Annotated[str | None, typer.Option(help=_("Client id or part of its name."))] = None,
    assignee: AssigneeOption = None,
    check_in: Annotated[
        str | None,
        typer.Option(
            "--check-in", help=_("When to ask the delegate (default: the working day 35 percent of the way).")
        ),
    ] = None,
    priority: Annotated[str | None, typer.Option(help=f"{one_of(Priority)}.")] = None,
    every: EveryOption = None,
    count: CountOption = None,
    until: UntilOption = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services.dates import format_date, format_local, is_past

    due_on = parse_day(due, field="--due")
    if due_on < today():
        warn(_("--due {date} is in the past: the task is overdue from the start").format(date=format_date(due_on)))
    elif not _work_week().is_working_day(due_on):
        warn(
            _("--due {date} is not a working day ({hours})").format(
                date=format_date(due_on), hours=_work_week().describe()
            )
        )
    check_in_at = parse_when(check_in, field="--check-in", default_time=_default_time()) if check_in else None
    if check_in_at is not None and is_past(check_in_at, now()):
        warn(_("--check-in {when} is in the past: it is due at once").format(when=format_local(check_in_at, zone())))
    created = workspace(ctx, quick=True).add_task(
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
    line = _("Added task {id}: {title}, due {date}").format(
        id=created.id, title=created.title, date=format_date(created.due_on)
    )
    line += _repeat_suffix(created.repeat)
    if created.assignee:
        line += _(", delegated to {assignee}").format(assignee=created.assignee)
    if created.check_in_at:
        line += _(", check in {when}").format(when=format_local(created.check_in_at, zone()))
    typer.echo(line)


@task_app.command("done", help=_("Mark a task done."))
def task_done(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help=_("Task id."), metavar="ID")],
    json_output: JsonOption = False,
) -> None:
    done = workspace(ctx).complete_task(task_id)
    if json_output:
        echo_json(done)
    else:
        typer.echo(_("Done: task {id}: {title}").format(id=done.id, title=done.title))


@task_app.command(
    "cancel",
    help=_(
        "Drop a task no longer needed: it leaves the lists and the alerts (amtui task reopen ID brings it back)."
        " A repeating task goes on with its next occurrence unless --following."
    ),
)
def task_cancel(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help=_("Task id."), metavar="ID")],
    following: Annotated[
        bool, typer.Option("--following", help=_("A repeating task: this and the following ones (the series ends)."))
    ] = False,
    json_output: JsonOption = False,
) -> None:
    cancelled = workspace(ctx).cancel_task(task_id, following=following)
    if json_output:
        echo_json(cancelled)
    else:
        typer.echo(
            _("Cancelled task {id}: {title} (amtui task reopen {id} undoes it)").format(
                id=cancelled.id, title=cancelled.title
            )
        )


@task_app.command("reopen", help=_("Open a done or cancelled task again."))
def task_reopen(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help=_("Task id."), metavar="ID")],
    json_output: JsonOption = False,
) -> None:
    reopened = workspace(ctx).reopen_task(task_id)
    if json_output:
        echo_json(reopened)
    else:
        typer.echo(_("Reopened task {id}: {title}").format(id=reopened.id, title=reopened.title))


@task_app.command("check-in", help=_("Record that a delegate reported progress on a task."))
def task_check_in(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help=_("Task id."), metavar="ID")],
    note: Annotated[str | None, typer.Option(help=_("What the colleague said."))] = None,
    next_check_in: Annotated[str | None, typer.Option("--next", help=_("When to ask again."))] = None,
    json_output: JsonOption = False,
) -> None:
    following = parse_when(next_check_in, field="--next", default_time=_default_time()) if next_check_in else None
    if following is not None:
        from amtui.services.dates import format_local, is_past

        if is_past(following, now()):
            warn(_("--next {when} is in the past: it is due at once").format(when=format_local(following, zone())))
        _warn_if_outside_work(following, _("the next check-in on"))
    updated = workspace(ctx).confirm_check_in(task_id, next_check_in=following, note=note)
    if json_output:
        echo_json(updated)
    else:
        typer.echo(_("Checked in on task {id}: {title}").format(id=updated.id, title=updated.title))


@task_app.command(
    "move",
    help=_(
        "Move a task's due date (a delegated task gets a new check-in). A next step promised at a meeting"
        " moved past its date: unless --told, a 'tell the client' task due today is added."
    ),
)
def task_move(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help=_("Task id."), metavar="ID")],
    due: Annotated[str, typer.Option(help=_("New due date."))],
    this: ThisOption = False,
    following: FollowingOption = False,
    told: ToldOption = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services.dates import format_date

    due_on = parse_day(due, field="--due")
    result = workspace(ctx).move_task(task_id, due_on, following=_this_or_following(this, following), told=told)
    moved = result.item
    if json_output:
        echo_json(moved)
    else:
        typer.echo(_("Moved task {id} to {date}").format(id=moved.id, date=format_date(moved.due_on)))
        _told_lines(result)


@task_app.command("list", help=_("Open tasks, the most pressing first."))
def task_list(
    ctx: typer.Context,
    delegated: Annotated[bool, typer.Option("--delegated", help=_("Only tasks delegated to colleagues."))] = False,
    mine: Annotated[bool, typer.Option("--mine", help=_("Only your own tasks."))] = False,
    client: Annotated[str | None, typer.Option(help=_("Only this client's tasks."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.commands.render import task_line

    rows = workspace(ctx).task_list(client=client, delegated=True if delegated else (False if mine else None))
    if json_output:
        echo_json(rows)
        return
    typer.echo("\n".join(task_line(task, today(), zone=zone()) for task in rows) or _("No open tasks."))


MAX_DAYS_AHEAD = 3660


@planned_app.command("list", help=_("What is planned from today on, in time order."))
def planned_list(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help=_("How many days ahead, from today."))] = 7,
    client: Annotated[str | None, typer.Option(help=_("Only this client."))] = None,
    json_output: JsonOption = False,
) -> None:
    if not 0 <= days <= MAX_DAYS_AHEAD:
        fail(_("--days: {days} is out of range (0 to {most})").format(days=days, most=MAX_DAYS_AHEAD))
    from amtui.commands.render import interaction_line

    rows = workspace(ctx).planned(days, client=client)
    if json_output:
        echo_json(rows)
        return
    lines = [f"{item.id:>6}  {interaction_line(item, zone())}  {item.client_name}" for item in rows]
    typer.echo(
        "\n".join(lines)
        or ngettext("Nothing planned in the next {n} day.", "Nothing planned in the next {n} days.", days).format(
            n=days
        )
    )


@planned_app.command(
    "move",
    help=_(
        "Move a planned call, visit or meeting (a time in the past is refused without --past). A visit or"
        " meeting moved: unless --told, a 'tell the client' task due today is added."
    ),
)
def planned_move(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help=_("The planned call/visit/meeting (its id)."), metavar="ID")],
    at: Annotated[str, typer.Option(help=_("New time: 'tomorrow 10:00', 'пт 15:00'."))],
    past: Annotated[bool, typer.Option("--past", help=_("Move it even though --at is in the past."))] = False,
    this: ThisOption = False,
    following: FollowingOption = False,
    told: ToldOption = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services.dates import format_local

    when = parse_when(at, field="--at", default_time=_default_time())
    if not past:
        _refuse_past(
            when,
            field="--at",
            hint=_("if it happened, 'amtui planned done {id} --at ...'; else add --past").format(id=interaction_id),
        )
    _warn_if_outside_work(when, _("the new time"))
    result = workspace(ctx).move_planned(interaction_id, when, following=_this_or_following(this, following), told=told)
    moved = result.item
    if json_output:
        echo_json(moved)
    else:
        typer.echo(
            _("Moved {kind} {id} with {client} to {when}").format(
                kind=label(InteractionKind, moved.kind),
                id=moved.id,
                client=moved.client_name,
                when=format_local(moved.planned_at, zone()),
            )
        )
        _told_lines(result)


@planned_app.command(
    "cancel",
    help=_(
        "Cancel a planned call, visit or meeting (it will not show as missed). A repeating one goes on with"
        " its next occurrence unless --following."
    ),
)
def planned_cancel(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help=_("The planned call/visit/meeting (its id)."), metavar="ID")],
    following: Annotated[
        bool, typer.Option("--following", help=_("A repeating one: this and the following ones (the series ends)."))
    ] = False,
) -> None:
    cancelled = workspace(ctx).cancel(interaction_id, following=following)
    typer.echo(
        _("Cancelled {kind} {id} with {client}").format(
            kind=label(InteractionKind, cancelled.kind), id=cancelled.id, client=cancelled.client_name
        )
    )


@planned_app.command(
    "done", help=_("Mark a planned call, visit or meeting done (a touch; a visit/meeting then owes a report).")
)
def planned_done(
    ctx: typer.Context,
    interaction_id: Annotated[int, typer.Argument(help=_("The planned call/visit/meeting (its id)."), metavar="ID")],
    note: Annotated[str | None, typer.Option(help=_("The outcome."))] = None,
    at: Annotated[
        str | None, typer.Option(help=_("When it happened (default: its planned time, or now if still ahead)."))
    ] = None,
) -> None:
    when = parse_when(at, field="--at", past=True) if at else None
    done = workspace(ctx).done(interaction_id, at=when, outcome=note)
    typer.echo(
        _("Done: {kind} {id} with {client}").format(
            kind=label(InteractionKind, done.kind), id=done.id, client=done.client_name
        )
    )
    if done.kind in REPORTED_KINDS:
        typer.echo(_("Write the meeting report: amtui report write {id}").format(id=done.id))


@task_app.command(
    "colleagues",
    help=_("The colleagues tasks are delegated to, with their open tasks ('Петров' and 'Петров (логистика)' are one)."),
)
def task_colleagues(ctx: typer.Context, json_output: JsonOption = False) -> None:
    people = workspace(ctx).colleagues()
    if json_output:
        echo_json(people)
        return
    lines = []
    for person in people:
        also = _("  (also written {names})").format(names=", ".join(person.other_names)) if person.other_names else ""
        lines.append(
            ngettext(
                "{name}: {open} open of {n} task{also}", "{name}: {open} open of {n} tasks{also}", person.tasks
            ).format(name=person.name, open=person.open_tasks, n=person.tasks, also=also)
        )
    typer.echo("\n".join(lines) or _("No task is delegated yet: amtui task add ... --assignee NAME"))


@planned_app.command(
    "reopen", help=_("Undo done or cancelled: the call, visit or meeting is planned again (its touch is taken back).")
)
def planned_reopen(
    ctx: typer.Context,
    interaction_id: Annotated[
        int, typer.Argument(help=_("The done or cancelled call/visit/meeting (its id)."), metavar="ID")
    ],
) -> None:
    item = workspace(ctx).reopen(interaction_id)
    typer.echo(
        _("Reopened {kind} {id} with {client}: planned again").format(
            kind=label(InteractionKind, item.kind), id=item.id, client=item.client_name
        )
    )


def register(app: typer.Typer) -> None:
    app.command("log", help=_("Log a done call, visit, meeting, e-mail or message (restarts the contact cadence)."))(
        log_command
    )
    app.command(
        "plan",
        help=_(
            "Plan a call, visit or meeting. A weekday or a date without a year is the next one to come ('вт "
            "11:00' on a Tuesday evening is next Tuesday); a time in the past is refused without --past."
            " --every 2w repeats it (--count N or --until DAY ends it): one occurrence at a time, the next one"
            " made when one is done or its time passes."
        ),
    )(plan_command)
    app.add_typer(planned_app, name="planned")
    app.add_typer(task_app, name="task")
