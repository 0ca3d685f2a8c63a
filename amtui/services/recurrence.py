"""Repeating calls, visits, meetings and tasks (issue 13).

A series is rows of ``interaction`` (or ``task``), one per occurrence, sharing ``series_id`` (the
first row's id); ``occurrence`` is a row's place in the series (1-based), ``repeat`` the rule (an
RRULE value such as ``FREQ=WEEKLY;INTERVAL=2;COUNT=5``, read by python-dateutil in local wall time
from ``repeat_from``, the series' start), so the 10:00 call stays at 10:00 across a clock change and
a calendar program expands the exported RRULE the same way.

Occurrences are made one at a time, never ahead: the next one is made when the latest is done or
cancelled ("cancel this one": the series goes on; ``--following`` ends it), or when its time
passes (a call's planned moment, a task's due day), lazily, by :func:`advance` whenever alerts,
the agenda, the planner or the task list are read. The next one is the first occurrence of the
rule after the latest one that is still ahead (a week away from the app does not leave a trail of
missed calls: the passed occurrences are skipped, the one passed unattended stays "missed").
A unique index on (series_id, occurrence) keeps two programs from making the same one twice.

Editing: "this one" changes one row (a call moved to Tuesday this week; the series keeps its
days); "this and following" ends the old series before this occurrence (``COUNT`` cut to what came
before) and starts a new one from this row with the rule re-anchored on its new time.

Monthly rules on the 29th-31st use ``BYMONTHDAY=29,30,31;BYSETPOS=-1``-style rules (the last of
those days the month has, so a "31st of the month" task is due on 30 April and 28 February, not
skipped); a yearly rule on 29 February falls on 28 February in other years, as birthdays do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from amtui.i18n import N_
from amtui.services.errors import ValidationError
from amtui.vocabulary import InteractionStatus, TaskStatus

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from amtui.services.store import Store
    from amtui.services.workweek import WorkWeek

# How far a rule is walked to find the next occurrence (a daily rule 270 years on).
MAX_STEPS = 100_000
MAX_COUNT = 1000
EVERY_HELP = (
    "day, week, 2w, month, 3 months, year, workday (and 'неделя', '2 недели', 'mese'...); "
    "with --count N or --until DAY to end it"
)

_UNITS: dict[str, str] = {}
for _freq, _words in (
    ("DAILY", ("d", "day", "days", "daily", "день", "дня", "дней", "дн", "д", "g", "giorno", "giorni")),
    (
        "WEEKLY",
        ("w", "wk", "week", "weeks", "weekly", "н", "нед", "неделя", "недели", "недель", "неделю", "sett",
         "settimana", "settimane"),
    ),
    ("MONTHLY", ("m", "mo", "month", "months", "monthly", "мес", "месяц", "месяца", "месяцев", "mese", "mesi")),
    ("YEARLY", ("y", "yr", "year", "years", "yearly", "annually", "г", "год", "года", "лет", "anno", "anni")),
    ("WORKDAY", ("workday", "workdays", "weekday", "weekdays", "будни", "рабочий", "feriale", "feriali")),
):  # fmt: skip
    for _word in _words:
        _UNITS[_word] = _freq
_EVERY = re.compile(r"^\s*(?:every\s+|каждые\s+|каждый\s+|каждую\s+|ogni\s+)?(\d+)?\s*([^\d\s]+)\s*$", re.IGNORECASE)
_WORKDAYS = "MO,TU,WE,TH,FR"


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        name, _, value = piece.partition("=")
        if name:
            parts[name.strip().upper()] = value.strip()
    return parts


def _join(parts: dict[str, str]) -> str:
    return ";".join(f"{name}={value}" for name, value in parts.items())


def _anchored(freq: str, interval: int, start: date) -> dict[str, str]:
    """The rule's FREQ/INTERVAL/BY* parts for a series starting on ``start``."""
    parts = {"FREQ": "DAILY" if freq == "WORKDAY" else freq}
    if interval > 1:
        parts["INTERVAL"] = str(interval)
    if freq == "WORKDAY":
        parts["BYDAY"] = _WORKDAYS
    elif freq == "MONTHLY" and start.day > 28:
        parts["BYMONTHDAY"] = ",".join(str(day) for day in range(28, start.day + 1))
        parts["BYSETPOS"] = "-1"
    elif freq == "YEARLY" and (start.month, start.day) == (2, 29):
        parts["BYMONTH"] = "2"
        parts["BYMONTHDAY"] = "28,29"
        parts["BYSETPOS"] = "-1"
    return parts


def make_rule(
    every: str,
    start: date | datetime,
    *,
    count: int | None = None,
    until: date | None = None,
    field: str = "every",
) -> str:
    """The RRULE value for ``--every`` text from ``start`` (local), ended by ``count`` occurrences or on ``until``."""
    match = _EVERY.match(every.casefold())
    freq = _UNITS.get(match.group(2).rstrip(".")) if match else None
    if match is None or freq is None:
        raise ValidationError(f"{every!r}: not a repeat; write {EVERY_HELP}", field=field)
    interval = int(match.group(1) or 1)
    if not 1 <= interval <= 999:
        raise ValidationError(f"{every!r}: the interval is 1 to 999", field=field)
    parts = _anchored(freq, interval, start if not isinstance(start, datetime) else start.date())
    if count is not None and until is not None:
        raise ValidationError("give --count or --until, not both", field="count")
    if count is not None:
        if not 1 <= count <= MAX_COUNT:
            raise ValidationError(f"{count}: the count is 1 to {MAX_COUNT}", field="count")
        parts["COUNT"] = str(count)
    if until is not None:
        first = start.date() if isinstance(start, datetime) else start
        if until < first:
            raise ValidationError(f"{until:%d.%m.%Y} is before the first one ({first:%d.%m.%Y})", field="until")
        parts["UNTIL"] = _until_value(until, timed=isinstance(start, datetime))
    return _join(parts)


_REPEAT_COUNT = re.compile(r"\s+(?:x|×|х)\s*(\d+)\s*$|\s+(\d+)\s*(?:times|раз|раза|volte)\s*$", re.IGNORECASE)
_REPEAT_UNTIL = re.compile(r"\s+(?:until|до|fino\s+al|fino\s+a)\s+(.+)$", re.IGNORECASE)
# The Repeat field's placeholder (marked here, translated where shown; every language's words are read).
REPEAT_FORMS = N_("2w, month, workday; '2w x5' (five times) or 'month until 31.12.2027'")


def parse_repeat(text: str, *, today: date, field: str = "repeat") -> tuple[str, int | None, date | None]:
    """A form's repeat field: ``(every, count, until)`` from ``2w``, ``2w x5``, ``month until 31.12.2027``."""
    from amtui.services.dates import parse_date

    every, count, until = text.strip(), None, None
    if match := _REPEAT_UNTIL.search(every):
        until = parse_date(match.group(1).strip(), today=today, field=field)
        every = every[: match.start()]
    elif match := _REPEAT_COUNT.search(every):
        count = int(match.group(1) or match.group(2))
        every = every[: match.start()]
    make_rule(every, today, count=count, until=max(until, today) if until else None, field=field)  # checks it
    return every.strip(), count, until


def _until_value(day: date, *, timed: bool) -> str:
    return f"{day:%Y%m%d}T235959" if timed else f"{day:%Y%m%d}"


def freq_of(rule: str) -> tuple[str, int]:
    """``("WEEKLY", 2)``; a workday rule is ``("WORKDAY", 1)``."""
    parts = _parts(rule)
    freq = parts.get("FREQ", "DAILY")
    if freq == "DAILY" and parts.get("BYDAY") == _WORKDAYS:
        freq = "WORKDAY"
    return freq, int(parts.get("INTERVAL", "1"))


def describe(rule: str | None) -> str:
    """``every 2 weeks, 5 times`` for lists and forms ("" for no rule)."""
    if not rule:
        return ""
    from amtui.i18n import _, ngettext

    freq, interval = freq_of(rule)
    if freq == "WORKDAY":
        text = _("every working day")
    elif interval == 1:
        text = {"DAILY": _("every day"), "WEEKLY": _("every week"), "MONTHLY": _("every month")}.get(
            freq, _("every year")
        )
    else:
        text = {
            "DAILY": ngettext("every {n} day", "every {n} days", interval),
            "WEEKLY": ngettext("every {n} week", "every {n} weeks", interval),
            "MONTHLY": ngettext("every {n} month", "every {n} months", interval),
        }.get(freq, ngettext("every {n} year", "every {n} years", interval)).format(n=interval)
    parts = _parts(rule)
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        text += ", " + ngettext("{n} time", "{n} times", count).format(n=count)
    elif "UNTIL" in parts:
        until = parts["UNTIL"][:8]
        text += ", " + _("until {day}").format(day=f"{until[6:8]}.{until[4:6]}.{until[:4]}")
    return text


def rebuild(rule: str, start: date | datetime, *, done_before: int = 0) -> str:
    """``rule`` re-anchored on a new ``start`` (this and following): the same frequency and end, a
    ``COUNT`` less the ``done_before`` occurrences already had."""
    freq, interval = freq_of(rule)
    old = _parts(rule)
    parts = _anchored(freq, interval, start.date() if isinstance(start, datetime) else start)
    if "COUNT" in old:
        parts["COUNT"] = str(max(int(old["COUNT"]) - done_before, 1))
    elif "UNTIL" in old:
        parts["UNTIL"] = old["UNTIL"]
    return _join(parts)


def cut(rule: str, occurrences: int) -> str:
    """``rule`` ended after its first ``occurrences`` (the series before a split or an end)."""
    parts = _parts(rule)
    parts.pop("UNTIL", None)
    parts["COUNT"] = str(max(occurrences, 1))
    return _join(parts)


def _walk(rule: str, start: datetime) -> Iterator[datetime]:
    from dateutil.rrule import rrulestr

    try:
        recurrence: Any = rrulestr(f"RRULE:{rule}", dtstart=start, cache=False)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"{rule!r}: not a repeat rule ({exc})", field="repeat") from None
    return iter(recurrence)


def next_slot(rule: str, start: datetime, *, after: int, not_before: datetime) -> tuple[int, datetime] | None:
    """The first occurrence (place, local naive moment) after place ``after`` at or after ``not_before``;
    None when the rule has ended (or does not reach that far within ``MAX_STEPS``)."""
    for place, moment in enumerate(_walk(rule, start), start=1):
        if place > MAX_STEPS:
            return None
        if place > after and moment >= not_before:
            return place, moment
    return None


def slot(rule: str, start: datetime, place: int) -> datetime | None:
    """The local naive moment of occurrence ``place`` of the rule (None past its end)."""
    for number, moment in enumerate(_walk(rule, start), start=1):
        if number == place:
            return moment
        if number > min(place, MAX_STEPS):
            break
    return None


def local_naive(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def from_local(moment: datetime, zone: tzinfo) -> datetime:
    return moment.replace(tzinfo=zone).astimezone(UTC)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# The two queries of :func:`advance`, in plain SQL: the workspace asks them first on a plain sqlite3 connection
# (``amtui digest`` and ``amtui alerts`` then import no SQLAlchemy) and opens the engine only to make what is due.
# In index order: ORDER BY id made SQLite scan the whole table (0.45 s at 2M interactions, with ANALYZE's
# figures for a column that is mostly NULL); advance() sorts the few rows by id.
_DUE_INTERACTION_COLUMNS = (
    "id", "client_id", "kind", "duration_min", "place", "city", "subject", "series_id", "occurrence", "repeat",
    "repeat_from",
)  # fmt: skip
_DUE_INTERACTIONS = (
    f"SELECT {', '.join('interaction.' + name for name in _DUE_INTERACTION_COLUMNS)} FROM interaction"
    " WHERE interaction.series_id IS NOT NULL AND interaction.repeat IS NOT NULL"
    " AND (interaction.status != :planned OR interaction.planned_at <= :now)"
    " AND NOT (EXISTS (SELECT * FROM interaction AS later"
    " WHERE later.series_id = interaction.series_id AND later.occurrence > interaction.occurrence))"
    " ORDER BY interaction.series_id, interaction.occurrence"
)
_DUE_TASK_COLUMNS = (
    "id", "title", "client_id", "assignee", "priority", "series_id", "occurrence", "repeat", "repeat_from",
)  # fmt: skip
_DUE_TASKS = (
    f"SELECT {', '.join('task.' + name for name in _DUE_TASK_COLUMNS)} FROM task"
    " WHERE task.series_id IS NOT NULL AND task.repeat IS NOT NULL"
    " AND (task.status != :open OR task.due_on IS NOT NULL AND task.due_on < :today)"
    " AND NOT (EXISTS (SELECT * FROM task AS later"
    " WHERE later.series_id = task.series_id AND later.occurrence > task.occurrence))"
    " ORDER BY task.series_id, task.occurrence"
)


def due_series(where: Any, *, now: datetime, zone: tzinfo) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The latest occurrences whose series must move on (done, cancelled or past), interactions and tasks,
    each by id; ``where`` is anything :func:`amtui.services.store.store_of` takes."""
    from amtui.services.store import store_of

    store: Store = store_of(where)
    today = now.astimezone(zone).date()
    interactions = [
        dict(zip(_DUE_INTERACTION_COLUMNS, row, strict=True))
        for row in store.rows(_DUE_INTERACTIONS, {"planned": InteractionStatus.PLANNED.value, "now": now})
    ]
    for row in interactions:
        row["repeat_from"] = _moment(row["repeat_from"])
    tasks = [
        dict(zip(_DUE_TASK_COLUMNS, row, strict=True))
        for row in store.rows(_DUE_TASKS, {"open": TaskStatus.OPEN.value, "today": today})
    ]
    for row in tasks:
        row["repeat_from"] = _date(row["repeat_from"])
    return sorted(interactions, key=_row_id), sorted(tasks, key=_row_id)


def _moment(value: Any) -> datetime:
    """A stored moment (SQLite: UTC text; PostgreSQL: an aware datetime) as an aware datetime."""
    return _aware(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _row_id(row: dict[str, Any]) -> int:
    return int(row["id"])


def advance(connection: Connection, *, now: datetime, zone: tzinfo, week: WorkWeek | None = None) -> int:
    """Make the next occurrence of every series whose latest one is done, cancelled or past; returns how
    many were made. Cheap when there is nothing to do (one indexed query per table, about 1 ms)."""
    today = now.astimezone(zone).date()
    made = 0
    interactions, tasks = due_series(connection, now=now, zone=zone)
    for row in interactions:
        made += _next_interaction(connection, row, now=now, zone=zone)
    for row in tasks:
        made += _next_task(connection, row, now=now, zone=zone, today=today, week=week)
    return made


def advance_quietly(connection: Connection, *, now: datetime, zone: tzinfo, week: WorkWeek | None = None) -> int:
    """:func:`advance` in its own transaction; another program making the same occurrence first is no error."""
    from sqlalchemy.exc import IntegrityError

    try:
        with connection.begin():
            return advance(connection, now=now, zone=zone, week=week)
    except IntegrityError:  # made meanwhile by another writer (the unique series index)
        return 0


def _ended(connection: Connection, tab: Any, row_id: int) -> int:
    from sqlalchemy import update

    # The rule is kept on the earlier rows (the calendar export reads it there); the last one drops it,
    # so that it is not looked at again.
    connection.execute(update(tab).where(tab.c.id == row_id).values(repeat=None))
    return 0


def _next_interaction(connection: Connection, row: Any, *, now: datetime, zone: tzinfo) -> int:
    from sqlalchemy import select

    from amtui.services.core_views import _interaction_contact
    from amtui.services.core_views import _interaction_written as _interaction

    start = local_naive(_aware(row["repeat_from"]), zone)
    found = next_slot(row["repeat"], start, after=row["occurrence"], not_before=local_naive(now, zone))
    if found is None:
        return _ended(connection, _interaction, row["id"])
    place, moment = found
    values = {
        name: row[name]
        for name in ("client_id", "kind", "duration_min", "place", "city", "subject", "series_id", "repeat")
    }
    values |= {
        "direction": "outbound",
        "status": InteractionStatus.PLANNED.value,
        "planned_at": from_local(moment, zone),
        "needs_reply": False,
        "occurrence": place,
        "repeat_from": _aware(row["repeat_from"]),
        "created_at": now,
        "updated_at": now,
    }
    new_id = connection.execute(_interaction.insert().values(**values).returning(_interaction.c.id)).scalar_one()
    people = connection.execute(
        select(_interaction_contact.c.contact_id).where(_interaction_contact.c.interaction_id == row["id"])
    ).scalars()
    for contact_id in people:
        connection.execute(_interaction_contact.insert().values(interaction_id=new_id, contact_id=contact_id))
    return 1


def _next_task(
    connection: Connection, row: Any, *, now: datetime, zone: tzinfo, today: date, week: WorkWeek | None
) -> int:
    from amtui.services.core_views import _task_written as _task

    start = _day_start(row["repeat_from"])
    found = next_slot(row["repeat"], start, after=row["occurrence"], not_before=_day_start(today))
    if found is None:
        return _ended(connection, _task, row["id"])
    place, moment = found
    due = moment.date()
    check_in = None
    if row["assignee"] is not None:
        from amtui.services.workweek import DEFAULT_WEEK, check_in_moment

        check_in = check_in_moment(now, due, zone, week or DEFAULT_WEEK)
    values = {name: row[name] for name in ("title", "client_id", "assignee", "priority", "series_id", "repeat")}
    values |= {
        "status": TaskStatus.OPEN.value,
        "due_on": due,
        "check_in_at": check_in,
        "occurrence": place,
        "repeat_from": row["repeat_from"],
        "created_at": now,
        "updated_at": now,
    }
    connection.execute(_task.insert().values(**values))
    return 1


# --- editing a series (ORM rows: the services' units of work) --------------------------------------------------


def start_series(record: Any, rule: str, start: date | datetime) -> None:
    """Make ``record`` (flushed: it has its id) the first occurrence of a new series."""
    record.series_id = record.id
    record.occurrence = 1
    record.repeat = rule
    record.repeat_from = start


def split_series(session: Any, model: Any, record: Any, new_start: date | datetime) -> None:
    """This and following: the rows before ``record`` end the old series just before it; ``record``
    starts a new one at ``new_start`` with the same rule (re-anchored); later planned/open rows of the
    old series go (they are made again from the new rule)."""
    from sqlalchemy import select

    if record.series_id is None or not record.repeat:
        return
    place = record.occurrence or 1
    earlier = session.execute(
        select(model).where(model.series_id == record.series_id, model.occurrence < place)
    ).scalars()
    for row in earlier:
        row.repeat = cut(record.repeat, place - 1) if row.repeat else None
        session.add(row)
    _drop_later(session, model, record)
    record.repeat = rebuild(record.repeat, new_start, done_before=place - 1)
    record.series_id = record.id
    record.occurrence = 1
    record.repeat_from = new_start


def end_series(session: Any, model: Any, record: Any) -> None:
    """Cancel this and following: the series ends before ``record``, which stays on its own (cancelled)."""
    from sqlalchemy import select

    if record.series_id is None:
        return
    place = record.occurrence or 1
    earlier = session.execute(
        select(model).where(model.series_id == record.series_id, model.occurrence < place)
    ).scalars()
    for row in earlier:
        row.repeat = cut(row.repeat, place - 1) if row.repeat else None
        session.add(row)
    _drop_later(session, model, record)
    record.repeat = None


def _drop_later(session: Any, model: Any, record: Any) -> None:
    from sqlalchemy import select

    open_status = TaskStatus.OPEN if model.__tablename__ == "task" else InteractionStatus.PLANNED
    later = session.execute(
        select(model).where(
            model.series_id == record.series_id,
            model.occurrence > (record.occurrence or 1),
            model.status == open_status,
        )
    ).scalars()
    for row in later:
        session.delete(row)
    session.flush()


def task_slot(rule: str, start: date, place: int) -> date | None:
    moment = slot(rule, _day_start(start), place)
    return moment.date() if moment else None
