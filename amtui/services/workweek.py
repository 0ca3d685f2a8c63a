"""The working week: which days and hours a call to a colleague or a client belongs in.

Working days are the configured weekdays (Monday to Friday by default) minus the public
holidays of the configured country (Russia by default, from the ``holidays`` library: the
New Year holidays 1-8 January, 23 February, 8 March, ...). Nothing here touches a database.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path

from amtui.i18n import _
from amtui.services.errors import ValidationError

# Check on a delegated task at this share of the time between setting it and its due date:
# late enough for progress to show, early enough to reassign or move the deadline.
CHECK_IN_FRACTION = 0.35
CHECK_IN_TIME = time(10, 0)
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    """The country's public holidays in ``year``. The ``holidays`` library takes 0.2-0.4 s
    to import and build a year, so each (country, year) is kept in the user's cache dir."""
    cache = _cache_file(country, year)
    try:
        return frozenset(date.fromisoformat(line) for line in cache.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        pass
    import holidays

    try:
        days = frozenset(holidays.country_holidays(country, years=year).keys())
    except NotImplementedError:
        raise ValidationError(
            _(
                "no public holidays known for {country} (set [work] holidays to a country code such as RU, IT, DE, "
                'or to "" for none)'
            ).format(country=repr(country)),
            field="holidays",
        ) from None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".partial")
        partial.write_text("\n".join(sorted(day.isoformat() for day in days)) + "\n", encoding="ascii")
        partial.replace(cache)
    except OSError:
        pass  # no cache: the next run asks the library again
    return days


def _cache_file(country: str, year: int) -> Path:
    from platformdirs import user_cache_dir

    from amtui.config import APP_NAME

    # Keyed by the installed library (its file's mtime: cheaper to read than its metadata),
    # so an upgrade with newly decreed days off is asked again.
    spec = importlib.util.find_spec("holidays")
    stamp = os.stat(spec.origin).st_mtime_ns if spec is not None and spec.origin else 0
    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "holidays" / f"{country}-{year}-{stamp}.txt"


@dataclass(frozen=True)
class WorkWeek:
    days: frozenset[int] = frozenset(range(5))  # 0 = Monday
    start: time = time(9, 0)
    end: time = time(18, 0)
    country: str | None = "RU"  # public holidays of this country are days off; None: none

    def is_holiday(self, day: date) -> bool:
        return bool(self.country) and day in _holidays(str(self.country), day.year)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and not self.is_holiday(day)

    def working_day_from(self, day: date, *, step: int = 1) -> date:
        """``day`` if it is a working day, else the next (``step=-1``: the previous) one."""
        for _attempt in range(400):
            if self.is_working_day(day):
                return day
            day += timedelta(days=step)
        return day  # no working day at all is configured: give the day back

    def in_hours(self, moment: time) -> bool:
        return self.start <= moment < self.end

    def is_working_time(self, moment: datetime, zone: tzinfo) -> bool:
        local = moment.astimezone(zone)
        return self.is_working_day(local.date()) and self.in_hours(local.time())

    def clamp_time(self, moment: time) -> time:
        """``moment`` moved into the working hours (before them: the start; after: the last hour)."""
        if moment < self.start:
            return self.start
        if moment >= self.end:
            last = datetime.combine(date(2000, 1, 1), self.end) - timedelta(hours=1)
            return max(self.start, last.time())
        return moment

    def next_working_moment(self, moment: datetime, zone: tzinfo) -> datetime:
        """``moment`` if it falls in working time, else the start of the next working time (UTC)."""
        local = moment.astimezone(zone)
        day, at = local.date(), local.time().replace(tzinfo=None)
        if at >= self.end:
            day, at = day + timedelta(days=1), self.start
        elif at < self.start:
            at = self.start
        working = self.working_day_from(day)
        if working != day:
            at = self.start
        return datetime.combine(working, at, tzinfo=zone).astimezone(UTC)

    def describe(self) -> str:
        names = ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.days))
        holidays = f", holidays of {self.country}" if self.country else ""
        return f"{names} {self.start:%H:%M}-{self.end:%H:%M}{holidays}"


DEFAULT_WEEK = WorkWeek()


def check_in_moment(created_at: datetime, due_on: date, zone: tzinfo, week: WorkWeek = DEFAULT_WEEK) -> datetime:
    """When to ask a delegate how a task goes: the working day 35 % of the way from
    ``created_at`` to the due day (the next working day from there, or the last one
    before the due day if that comes first), at 10:00 local moved into working hours.
    With no working time left before the due day, the due day at that hour."""
    at = week.clamp_time(CHECK_IN_TIME)
    due_start = datetime.combine(due_on, at, tzinfo=zone).astimezone(UTC)
    if due_start <= created_at:
        return due_start
    point = created_at + (due_start - created_at) * CHECK_IN_FRACTION
    created_day = created_at.astimezone(zone).date()
    day = week.working_day_from(point.astimezone(zone).date())
    if day >= due_on:
        day = week.working_day_from(due_on - timedelta(days=1), step=-1)
        if day < created_day:
            return due_start  # no working day in between: on the due day itself
    moment = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
    if moment <= created_at:  # set today after 10:00 for tomorrow: the next working time after now
        moment = week.next_working_moment(created_at + timedelta(hours=1), zone)
        if moment >= due_start:
            return due_start
    return moment


def parse_hours(text: str) -> tuple[time, time]:
    """``09:00-18:00`` (or ``9-18``) -> (start, end); ValueError if it is not that."""
    parts = text.replace("–", "-").split("-")
    if len(parts) != 2:
        raise ValueError(f"{text!r}: working hours look like 09:00-18:00")
    start, end = (_hour(part) for part in parts)
    if start >= end:
        raise ValueError(f"{text!r}: the working day must end after it starts")
    return start, end


def _hour(text: str) -> time:
    cleaned = text.strip()
    try:
        if ":" in cleaned:
            hours, minutes = cleaned.split(":")
            return time(int(hours), int(minutes))
        return time(int(cleaned))
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day") from None


def parse_days(value: str | list[str]) -> frozenset[int]:
    """``mon-fri``, ``mon,tue,wed`` or a list of day names -> weekday numbers; ValueError if bad."""
    items = value if isinstance(value, list) else str(value).replace(" ", "").split(",")
    days: set[int] = set()
    for item in items:
        key = str(item).strip().casefold()[:3]
        if "-" in str(item):
            first, last = (_day_number(part) for part in str(item).split("-", 1))
            days.update((first + offset) % 7 for offset in range((last - first) % 7 + 1))
        elif key:
            days.add(_day_number(key))
    if not days:
        raise ValueError("no working days given")
    return frozenset(days)


def _day_number(text: str) -> int:
    key = text.strip().casefold()[:3]
    if key not in WEEKDAY_NAMES:
        raise ValueError(f"{text!r} is not a day of the week (mon, tue, ... sun)")
    return WEEKDAY_NAMES.index(key)
