"""Tasks, own and delegated, with the check-in at about a third of the time."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlmodel import Session

from amtui.i18n import _
from amtui.models import Client, Task
from amtui.models.base import TaskStatus
from amtui.services import reads
from amtui.services.entries import create_task as create_task
from amtui.services.entries import default_check_in as default_check_in
from amtui.services.entries import task_assignee as _assignee
from amtui.services.entries import task_priority as _priority
from amtui.services.errors import NotFoundError, ValidationError
from amtui.services.limits import check_lengths
from amtui.services.schemas import TaskRead, read_of
from amtui.services.store import store_of
from amtui.services.workweek import WorkWeek


def to_read(task: Task, client_name: str | None) -> TaskRead:
    return read_of(TaskRead, task, client_name=client_name)


def _get(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError(_("no task with id {task_id}").format(task_id=task_id))
    return task


def _read(session: Session, task: Task) -> TaskRead:
    client = session.get(Client, task.client_id) if task.client_id else None
    return to_read(task, client.name if client else None)


def _saved(session: Session, task: Task, now: datetime) -> TaskRead:
    task.updated_at = now
    check_lengths(task)
    session.add(task)
    session.flush()
    return _read(session, task)


def get_task(*, session: Session, task_id: int) -> TaskRead:
    return _read(session, _get(session, task_id))


def complete_task(*, session: Session, task_id: int, now: datetime) -> TaskRead:
    task = _get(session, task_id)
    if task.status == TaskStatus.DONE:
        raise ValidationError(_("task {task_id} is already done").format(task_id=task_id), field="status")
    task.status = TaskStatus.DONE
    task.completed_at = now
    return _saved(session, task, now)


def reopen_task(*, session: Session, task_id: int, now: datetime) -> TaskRead:
    """Open a done or cancelled task again."""
    task = _get(session, task_id)
    if task.status == TaskStatus.OPEN:
        raise ValidationError(_("task {task_id} is open already").format(task_id=task_id), field="status")
    task.status = TaskStatus.OPEN
    task.completed_at = None
    return _saved(session, task, now)


def cancel_task(*, session: Session, task_id: int, now: datetime) -> TaskRead:
    """Drop an open task no longer needed: it leaves the lists and the alerts (``reopen_task`` brings it back)."""
    task = _get(session, task_id)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(
            _("task {task_id} is {status}, not open").format(task_id=task_id, status=task.status), field="status"
        )
    task.status = TaskStatus.CANCELLED
    return _saved(session, task, now)


def reschedule_task(
    *,
    session: Session,
    task_id: int,
    due_on: date,
    now: datetime,
    zone: tzinfo,
    check_in_at: datetime | None = None,
    week: WorkWeek | None = None,
) -> TaskRead:
    """A new due date; a delegated task gets a new check-in unless one is given."""
    task = _get(session, task_id)
    task.due_on = due_on
    if check_in_at is not None:
        task.check_in_at = check_in_at
    elif task.assignee is not None:
        task.check_in_at = default_check_in(now, due_on, zone, week)
        task.checked_in_at = None
    return _saved(session, task, now)


def confirm_check_in(
    *,
    session: Session,
    task_id: int,
    now: datetime,
    next_check_in: datetime | None = None,
    note: str | None = None,
) -> TaskRead:
    """The delegate reported progress: the check-in is answered (optionally set the next one).
    Progress heard before the scheduled check-in counts for it: the check-in is then recorded
    as held now, so it no longer comes up when its old time passes."""
    task = _get(session, task_id)
    if task.assignee is None:
        raise ValidationError(_("check-ins are for delegated tasks"), field="assignee")
    if task.check_in_at is not None and _aware(task.check_in_at) > now:
        task.check_in_at = now
    task.checked_in_at = now
    if next_check_in is not None:
        task.check_in_at = next_check_in
        task.checked_in_at = None
    if note:
        stamp = now.strftime("%Y-%m-%d")
        task.notes = f"{task.notes}\n{stamp}: {note}" if task.notes else f"{stamp}: {note}"
    return _saved(session, task, now)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def update_task(*, session: Session, task_id: int, **changes: Any) -> TaskRead:
    task = _get(session, task_id)
    for key, value in changes.items():
        if key == "title":
            if not value or not str(value).strip():
                raise ValidationError(_("a task needs a title"), field="title")
            task.title = str(value).strip()
        elif key == "assignee":
            task.assignee = _assignee(value)
        elif key == "priority":
            task.priority = _priority(value)
        elif key in {"notes", "client_id", "check_in_at"}:
            setattr(task, key, value)
        else:
            raise ValidationError(_("{key} cannot be changed here").format(key=repr(key)), field=key)
    task.updated_at = datetime.now(UTC)
    check_lengths(task)
    session.add(task)
    session.flush()
    return _read(session, task)


def list_tasks(
    *,
    session: Session,
    status: str | None = TaskStatus.OPEN,
    client_id: int | None = None,
    delegated: bool | None = None,
    limit: int | None = None,
) -> list[TaskRead]:
    """Tasks with the most pressing first: by due date (none last), high priority first."""
    return reads.list_tasks(store_of(session), status=status, client_id=client_id, delegated=delegated, limit=limit)
