"""The vocabulary of the domain: tiers, statuses, kinds and stages, alert kinds, and the defaults tied to them.

Every list of allowed values (CLI help, import choices, screen titles, digest groups)
is derived from the enums here; nothing else spells them out.

Stored as their plain string values, so raw SQL and other databases read them without
a mapping. This module sits outside ``amtui.models`` so that read paths (the cron
digest) can use it without building the SQLModel table classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from amtui.i18n import N_, Nn_, _


class Tier(StrEnum):
    A = "A"
    B = "B"
    C = "C"


# Days between touches a client of each tier expects unless overridden per client.
DEFAULT_CADENCE_DAYS: dict[str, int] = {Tier.A: 14, Tier.B: 30, Tier.C: 90}


class ClientStatus(StrEnum):
    PROSPECT = "prospect"
    ACTIVE = "active"
    DORMANT = "dormant"
    LOST = "lost"


class ContactRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    USER = "user"
    GATEKEEPER = "gatekeeper"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    MESSENGER = "messenger"
    VISIT = "visit"


class MethodKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class InteractionKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    MEETING = "meeting"
    EMAIL = "email"
    MESSAGE = "message"


# Kinds one plans at a time (``amtui plan``, the planner, calendars), with the length assumed when none is given.
PLANNED_MINUTES: dict[str, int] = {InteractionKind.CALL: 30, InteractionKind.VISIT: 60, InteractionKind.MEETING: 60}

# Kinds after which a meeting report is owed.
REPORTED_KINDS = (InteractionKind.VISIT, InteractionKind.MEETING)


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class InteractionStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class DealKind(StrEnum):
    NEW = "new"
    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"
    RENEWAL = "renewal"


class DealStage(StrEnum):
    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


OPEN_DEAL_STAGES = (DealStage.LEAD, DealStage.QUALIFIED, DealStage.PROPOSAL, DealStage.NEGOTIATION)


class NoteTag(StrEnum):
    GENERAL = "general"
    COMPETITOR = "competitor"
    NEED = "need"
    PERSONAL = "personal"


class AlertState(StrEnum):
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"


# The kinds of records a file holds (``amtui import KIND``, ``amtui export KIND``); formats/mapping.py
# declares each one's fields. The export also writes the planner: planned calls, visits and meetings.
RECORD_KINDS = ("clients", "contacts", "interactions", "tasks", "contracts", "invoices", "deals")
PLANNER = "planner"


# --- alerts -----------------------------------------------------------------------------------------------------


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most urgent: sort ascending."""
        return SEVERITY_RANK[self]


SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.NORMAL: 2, Severity.INFO: 3}


class AlertKind(StrEnum):
    """What an alert is about. The order here is the tie-break order in lists and the digest."""

    MISSED = "missed"  # planned in the past, neither done nor cancelled
    UNANSWERED = "unanswered"  # inbound, needs a reply, the day it came has ended
    OVERDUE_TASK = "overdue_task"
    CHECK_IN = "check_in"  # a delegated task's check-in time has passed unconfirmed
    NO_REPORT = "no_report"  # visit/meeting done > 24 h ago without a meeting report
    RECEIVABLE = "receivable"  # overdue invoice
    CREDIT = "credit"  # a client's exposure past its credit limit, or within the warning band
    NOTICE = "notice"  # a contract's notice deadline approaching or passed
    CONTRACT = "contract"  # a contract ending within 90 days
    SILENCE = "silence"  # no touch for longer than the client's cadence
    CALLED_FIRST = "called_first"  # the client had to call us
    DEAL = "deal"  # open deal past its expected close date
    STALLED = "stalled"  # open deal in the same stage for longer than the stage allows
    ABC = "abc"  # the tier computed from revenue differs from the stored one
    AGENDA = "agenda"  # planned for today
    TASK_TODAY = "task_today"
    BIRTHDAY = "birthday"


# Where an alert of a kind goes in the today view: "agenda" (today's list), "late" (the late list),
# "backlog" (one summary line per kind) or "coming" (ahead: birthdays after today).
TodaySection = Literal["agenda", "late", "backlog", "coming"]


@dataclass(frozen=True, slots=True)
class AlertKindInfo:
    id_prefix: str  # the id names the record ("invoice:42"), so it stays stable while the facts change
    title: str  # the digest group's title
    one: str  # the noun of a count line: "1 overdue invoice"
    many: str  # "3 overdue invoices"
    label: str  # short, for a table column
    today: TodaySection


ALERT_KINDS: dict[AlertKind, AlertKindInfo] = {
    AlertKind.MISSED: AlertKindInfo(
        "missed", N_("Missed calls and visits"), *Nn_("missed contact", "missed contacts"), "Missed", "late"
    ),
    AlertKind.UNANSWERED: AlertKindInfo(
        "reply", N_("Unanswered messages"), *Nn_("unanswered message", "unanswered messages"), "Unanswered", "late"
    ),
    AlertKind.OVERDUE_TASK: AlertKindInfo(
        "task", N_("Overdue tasks"), *Nn_("overdue task", "overdue tasks"), "Overdue tasks", "late"
    ),
    AlertKind.CHECK_IN: AlertKindInfo(
        "checkin",
        N_("Check-ins due on delegated tasks"),
        *Nn_("check-in due", "check-ins due"),
        "Check-ins due",
        "late",
    ),
    AlertKind.NO_REPORT: AlertKindInfo(
        "report",
        N_("Meetings without a report"),
        *Nn_("meeting without a report", "meetings without a report"),
        "Reports missing",
        "late",
    ),
    AlertKind.RECEIVABLE: AlertKindInfo(
        "invoice", N_("Overdue invoices"), *Nn_("overdue invoice", "overdue invoices"), "Receivables", "backlog"
    ),
    AlertKind.CREDIT: AlertKindInfo(
        "credit",
        N_("Credit limits"),
        *Nn_("client near or over its limit", "clients near or over their limits"),
        "Credit limit",
        "backlog",
    ),
    AlertKind.NOTICE: AlertKindInfo(
        "notice",
        N_("Contract notice deadlines"),
        *Nn_("notice deadline", "notice deadlines"),
        "Contract notice",
        "late",
    ),
    AlertKind.CONTRACT: AlertKindInfo(
        "contract", N_("Contracts ending"), *Nn_("contract ending", "contracts ending"), "Contracts ending", "backlog"
    ),
    AlertKind.SILENCE: AlertKindInfo(
        "silence",
        N_("Clients waiting for a touch"),
        *Nn_("client waiting", "clients waiting"),
        "Silent clients",
        "backlog",
    ),
    AlertKind.CALLED_FIRST: AlertKindInfo(
        "called",
        N_("Clients who had to call first"),
        *Nn_("client called first", "clients called first"),
        "Client called first",
        "backlog",
    ),
    AlertKind.DEAL: AlertKindInfo(
        "deal", N_("Deals past their close date"), *Nn_("late deal", "late deals"), "Deals past close", "late"
    ),
    AlertKind.STALLED: AlertKindInfo(
        "stalled", N_("Stalled deals"), *Nn_("stalled deal", "stalled deals"), "Stalled deals", "backlog"
    ),
    AlertKind.ABC: AlertKindInfo(
        "abc", N_("ABC tier suggestions"), *Nn_("tier suggestion", "tier suggestions"), "ABC tier", "backlog"
    ),
    AlertKind.AGENDA: AlertKindInfo(
        "agenda", N_("Today's agenda"), *Nn_("planned today", "planned today"), "Today", "agenda"
    ),
    AlertKind.TASK_TODAY: AlertKindInfo(
        "task", N_("Tasks due today"), *Nn_("task due today", "tasks due today"), "Tasks due today", "agenda"
    ),
    AlertKind.BIRTHDAY: AlertKindInfo(
        "birthday", N_("Birthdays"), *Nn_("birthday", "birthdays"), "Birthdays", "agenda"
    ),
}

# The today view: kinds listed as late (a notice only within NOTICE_LATE_DAYS of its deadline), and kinds
# summarised in one line each. Birthdays are on the agenda on the day itself and "coming" before it.
LATE_KINDS = tuple(kind for kind, info in ALERT_KINDS.items() if info.today == "late")
BACKLOG_KINDS = tuple(kind for kind, info in ALERT_KINDS.items() if info.today == "backlog")
AGENDA_KINDS = tuple(kind for kind, info in ALERT_KINDS.items() if info.today == "agenda")
NOTICE_LATE_DAYS = 7


# --- reading user input ---


def member(enum: type[StrEnum], value: str, aliases: Mapping[str, str] | None = None) -> str | None:
    """The value of ``enum`` that ``value`` names (any case, ``-`` for ``_``, or an alias); None if none."""
    key = value.strip().lower().replace("-", "_")
    key = aliases.get(key, key) if aliases else key
    for item in enum:
        if item.value.lower() == key:
            return item.value
    return None


# --- help text --------------------------------------------------------------------------------------------------


def one_of(values: Iterable[str], last: str | None = None) -> str:
    """``"a, b or c"``: the allowed values of an enum (or any strings) for help and error text."""
    items = [str(value) for value in values]
    if len(items) < 2:
        return "".join(items)
    word = last or _("or")
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
