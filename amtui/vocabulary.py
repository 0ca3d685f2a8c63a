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

from amtui.i18n import N_, NP_, Nn_, _, translator


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
# What the report of each is called (its heading, the report screen's title); calls have no report.
REPORT_TITLES = {InteractionKind.VISIT: N_("Visit report"), InteractionKind.MEETING: N_("Meeting report")}


def report_title(kind: str | None, language: str | None = None) -> str:
    """``Отчёт о визите`` for a visit, ``Отчёт о встрече`` for a meeting (``Resoconto della visita``,
    ``Resoconto della riunione``); a report of any other kind (an older database) is just a report."""
    marked = REPORT_TITLES.get(kind or "", N_("Report"))  # type: ignore[call-overload]
    return translator(language).gettext(marked)


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


class ComplaintKind(StrEnum):
    COMPLAINT = "complaint"
    CLAIM = "claim"
    RETURN = "return"
    DISPUTE = "dispute"
    SHORTAGE = "shortage"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"


# Other words for them, in files and on the command line.
COMPLAINT_KIND_ALIASES = {
    "жалоба": "complaint", "претензия": "claim", "рекламация": "claim", "возврат": "return", "спор": "dispute",
    "недостача": "shortage", "недовоз": "shortage", "недовложение": "shortage", "reclamo": "complaint",
    "reso": "return", "contestazione": "dispute", "ammanco": "shortage",
}  # fmt: skip
COMPLAINT_STATUS_ALIASES = {
    "открыта": "open", "вработе": "in_progress", "в работе": "in_progress", "progress": "in_progress",
    "решена": "resolved", "отклонена": "rejected", "aperto": "open", "risolto": "resolved", "respinto": "rejected",
}  # fmt: skip
# A complaint still to be dealt with: it keeps its alerts and halves the client's contact cadence.
OPEN_COMPLAINT_STATUSES = (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS)
# Days an open complaint may go without a touch before it is stale (``[complaints] stale_days``).
COMPLAINT_STALE_DAYS = 7


def complaint_cadence(cadence_days: int) -> int:
    """The contact cadence of a client while a complaint of theirs is open: half of it (rounded up)."""
    return max(1, (cadence_days + 1) // 2)


class AlertState(StrEnum):
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"


# The kinds of records a file holds (``amtui import KIND``, ``amtui export KIND``); formats/mapping.py
# declares each one's fields. The export also writes the planner: planned calls, visits and meetings.
RECORD_KINDS = ("clients", "contacts", "interactions", "tasks", "contracts", "invoices", "deals", "complaints")
PLANNER = "planner"
# ``amtui export calendar``: everything dated (planned, tasks, check-ins, contracts, invoices, birthdays) as iCalendar.
CALENDAR = "calendar"


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
    PROMISE = "promise"  # a next step promised at a meeting, due today or tomorrow and not done (rule 19)
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
    COMPLAINT = "complaint"  # an open complaint overdue, due within 2 days, or untouched too long
    COMPLAINT_CHECK_IN = "complaint_check_in"  # a complaint delegated to a colleague: time to ask how it goes
    COMPLAINT_FOLLOW_UP = "complaint_follow_up"  # resolved: call to check the client is satisfied
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
        "missed", N_("Missed calls and visits"), *Nn_("missed contact", "missed contacts"), N_("Missed"), "late"
    ),
    AlertKind.UNANSWERED: AlertKindInfo(
        "reply", N_("Unanswered messages"), *Nn_("unanswered message", "unanswered messages"), N_("Unanswered"), "late"
    ),
    AlertKind.OVERDUE_TASK: AlertKindInfo(
        "task", N_("Overdue tasks"), *Nn_("overdue task", "overdue tasks"), N_("Overdue tasks"), "late"
    ),
    AlertKind.CHECK_IN: AlertKindInfo(
        "checkin",
        N_("Check-ins due on delegated tasks"),
        *Nn_("check-in due", "check-ins due"),
        N_("Check-ins due"),
        "late",
    ),
    AlertKind.PROMISE: AlertKindInfo(
        "promise",
        N_("Promises about to be missed"),
        *Nn_("promise about to be missed", "promises about to be missed"),
        N_("Promises due"),
        "late",
    ),
    AlertKind.NO_REPORT: AlertKindInfo(
        "report",
        N_("Meetings without a report"),
        *Nn_("meeting without a report", "meetings without a report"),
        N_("Reports missing"),
        "late",
    ),
    AlertKind.RECEIVABLE: AlertKindInfo(
        "invoice", N_("Overdue invoices"), *Nn_("overdue invoice", "overdue invoices"), N_("Receivables"), "backlog"
    ),
    AlertKind.CREDIT: AlertKindInfo(
        "credit",
        N_("Credit limits"),
        *Nn_("client near or over its limit", "clients near or over their limits"),
        N_("Credit limit"),
        "backlog",
    ),
    AlertKind.NOTICE: AlertKindInfo(
        "notice",
        N_("Contract notice deadlines"),
        *Nn_("notice deadline", "notice deadlines"),
        N_("Contract notice"),
        "late",
    ),
    AlertKind.CONTRACT: AlertKindInfo(
        "contract",
        N_("Contracts ending"),
        *Nn_("contract ending", "contracts ending"),
        N_("Contracts ending"),
        "backlog",
    ),
    AlertKind.SILENCE: AlertKindInfo(
        "silence",
        N_("Clients waiting for a touch"),
        *Nn_("client waiting", "clients waiting"),
        N_("Silent clients"),
        "backlog",
    ),
    AlertKind.CALLED_FIRST: AlertKindInfo(
        "called",
        N_("Clients who had to call first"),
        *Nn_("client called first", "clients called first"),
        N_("Client called first"),
        "backlog",
    ),
    AlertKind.DEAL: AlertKindInfo(
        "deal", N_("Deals past their close date"), *Nn_("late deal", "late deals"), N_("Deals past close"), "late"
    ),
    AlertKind.STALLED: AlertKindInfo(
        "stalled", N_("Stalled deals"), *Nn_("stalled deal", "stalled deals"), N_("Stalled deals"), "backlog"
    ),
    AlertKind.ABC: AlertKindInfo(
        "abc", N_("ABC tier suggestions"), *Nn_("tier suggestion", "tier suggestions"), N_("ABC tier"), "backlog"
    ),
    AlertKind.COMPLAINT: AlertKindInfo(
        "complaint",
        N_("Complaints to resolve"),
        *Nn_("complaint due or late", "complaints due or late"),
        N_("Complaints"),
        "late",
    ),
    AlertKind.COMPLAINT_CHECK_IN: AlertKindInfo(
        "complaint_checkin",
        N_("Check-ins due on delegated complaints"),
        *Nn_("complaint check-in due", "complaint check-ins due"),
        N_("Complaint check-ins"),
        "late",
    ),
    AlertKind.COMPLAINT_FOLLOW_UP: AlertKindInfo(
        "complaint_followup",
        N_("Resolved complaints: call to check the client is satisfied"),
        *Nn_("follow-up call after a complaint", "follow-up calls after complaints"),
        N_("Complaint follow-ups"),
        "late",
    ),
    AlertKind.AGENDA: AlertKindInfo(
        "agenda", N_("Today's agenda"), *Nn_("planned today", "planned today"), N_("Today"), "agenda"
    ),
    AlertKind.TASK_TODAY: AlertKindInfo(
        "task", N_("Tasks due today"), *Nn_("task due today", "tasks due today"), N_("Tasks due today"), "agenda"
    ),
    AlertKind.BIRTHDAY: AlertKindInfo(
        "birthday", N_("Birthdays"), *Nn_("birthday", "birthdays"), N_("Birthdays"), "agenda"
    ),
}

# The today view: kinds listed as late (a notice only within NOTICE_LATE_DAYS of its deadline), and kinds
# summarised in one line each. Birthdays are on the agenda on the day itself and "coming" before it.
LATE_KINDS = tuple(kind for kind, info in ALERT_KINDS.items() if info.today == "late")
BACKLOG_KINDS = tuple(kind for kind, info in ALERT_KINDS.items() if info.today == "backlog")
AGENDA_KINDS = tuple(kind for kind, info in ALERT_KINDS.items() if info.today == "agenda")
NOTICE_LATE_DAYS = 7


# --- labels: each stored value as the interface (CLI and TUI alike) shows it -----------------------------------

# Marked once, here, for translation. ``None`` as the context: a plain msgid. A word two enums share in
# English (``lost``, ``open``, ``done``, ``active``, ``high``) has its own context where the languages
# need a different word or gender (a client ушедший, a deal проиграна; a task открыта).
LABELS: dict[type[StrEnum], dict[str, tuple[str | None, str]]] = {
    ClientStatus: {
        ClientStatus.PROSPECT: NP_("vocabulary", "prospect"),
        ClientStatus.ACTIVE: NP_("vocabulary", "active"),
        ClientStatus.DORMANT: NP_("vocabulary", "dormant"),
        ClientStatus.LOST: NP_("client status", "lost"),
    },
    ContactRole: {
        ContactRole.DECISION_MAKER: (None, N_("decides")),
        ContactRole.INFLUENCER: (None, N_("influences")),
        ContactRole.USER: (None, N_("user")),
        ContactRole.GATEKEEPER: (None, N_("gatekeeper")),
    },
    Channel: {
        Channel.PHONE: NP_("vocabulary", "phone"),
        Channel.EMAIL: NP_("vocabulary", "email"),
        Channel.MESSENGER: NP_("vocabulary", "messenger"),
        Channel.VISIT: NP_("vocabulary", "visit"),
    },
    MethodKind: {
        MethodKind.PHONE: NP_("vocabulary", "phone"),
        MethodKind.EMAIL: NP_("vocabulary", "email"),
    },
    InteractionKind: {
        InteractionKind.CALL: NP_("vocabulary", "call"),
        InteractionKind.VISIT: NP_("vocabulary", "visit"),
        InteractionKind.MEETING: NP_("vocabulary", "meeting"),
        InteractionKind.EMAIL: (None, N_("email")),  # a letter (письмо); the channel is e-mail
        InteractionKind.MESSAGE: NP_("vocabulary", "message"),
    },
    Direction: {
        Direction.OUTBOUND: NP_("vocabulary", "outbound"),
        Direction.INBOUND: NP_("vocabulary", "inbound"),
    },
    InteractionStatus: {
        InteractionStatus.PLANNED: NP_("vocabulary", "planned"),
        InteractionStatus.DONE: NP_("vocabulary", "done"),
        InteractionStatus.CANCELLED: NP_("vocabulary", "cancelled"),
        InteractionStatus.MISSED: NP_("vocabulary", "missed"),
    },
    TaskStatus: {
        TaskStatus.OPEN: NP_("task status", "open"),
        TaskStatus.DONE: NP_("task status", "done"),
        TaskStatus.CANCELLED: NP_("task status", "cancelled"),
    },
    Priority: {
        Priority.HIGH: NP_("vocabulary", "high"),
        Priority.NORMAL: NP_("vocabulary", "normal"),
        Priority.LOW: NP_("vocabulary", "low"),
    },
    ContractStatus: {
        ContractStatus.DRAFT: NP_("vocabulary", "draft"),
        ContractStatus.ACTIVE: NP_("contract status", "active"),
        ContractStatus.EXPIRED: NP_("vocabulary", "expired"),
        ContractStatus.TERMINATED: NP_("vocabulary", "terminated"),
    },
    DealKind: {
        DealKind.NEW: NP_("vocabulary", "new"),
        DealKind.UPSELL: NP_("vocabulary", "upsell"),
        DealKind.CROSS_SELL: NP_("vocabulary", "cross-sell"),
        DealKind.RENEWAL: NP_("vocabulary", "renewal"),
    },
    DealStage: {  # a deal (сделка, trattativa) is feminine in both languages
        DealStage.LEAD: (None, N_("lead")),
        DealStage.QUALIFIED: (None, N_("qualified")),
        DealStage.PROPOSAL: (None, N_("proposal")),
        DealStage.NEGOTIATION: (None, N_("negotiation")),
        DealStage.WON: (None, N_("won")),
        DealStage.LOST: (None, N_("lost")),
    },
    NoteTag: {
        NoteTag.GENERAL: NP_("vocabulary", "general"),
        NoteTag.COMPETITOR: NP_("vocabulary", "competitor"),
        NoteTag.NEED: NP_("vocabulary", "need"),
        NoteTag.PERSONAL: NP_("vocabulary", "personal"),
    },
    ComplaintKind: {
        ComplaintKind.COMPLAINT: (None, N_("complaint")),
        ComplaintKind.CLAIM: (None, N_("claim")),
        ComplaintKind.RETURN: (None, N_("return")),
        ComplaintKind.DISPUTE: (None, N_("dispute")),
        ComplaintKind.SHORTAGE: (None, N_("shortage")),
    },
    ComplaintStatus: {
        ComplaintStatus.OPEN: (None, N_("open")),
        ComplaintStatus.IN_PROGRESS: (None, N_("in progress")),
        ComplaintStatus.RESOLVED: (None, N_("resolved")),
        ComplaintStatus.REJECTED: (None, N_("rejected")),
    },
    AlertState: {
        AlertState.SNOOZED: NP_("vocabulary", "snoozed"),
        AlertState.DISMISSED: NP_("vocabulary", "dismissed"),
    },
    Severity: {
        Severity.CRITICAL: (None, N_("critical")),
        Severity.HIGH: (None, N_("high")),
        Severity.NORMAL: (None, N_("normal")),
        Severity.INFO: (None, N_("info")),
    },
    AlertKind: {kind: (None, info.label) for kind, info in ALERT_KINDS.items()},
}
# Shown as they are stored, in every language.
VERBATIM: tuple[type[StrEnum], ...] = (Tier,)


def label(enum: type[StrEnum], value: str | None, language: str | None = None) -> str:
    """A stored value of ``enum`` (``DealStage``, ``"negotiation"``) as the interface shows it, in the
    interface language (or ``language``): ``переговоры``, ``trattativa``, ``negotiation``. A value the
    enum does not know (an older or foreign database) is shown as it is."""
    if not value:
        return ""
    marked = LABELS.get(enum, {}).get(str(value))
    if marked is None:
        return str(value)
    context, message = marked
    words = translator(language)
    return words.pgettext(context, message) if context else words.gettext(message)


def title_label(enum: type[StrEnum], value: str | None, language: str | None = None) -> str:
    """:func:`label` with a capital first letter, for a choice in a form or the start of a line."""
    text = label(enum, value, language)
    return text[:1].upper() + text[1:]


def choices(enum: type[StrEnum], values: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """``(Label, value)`` of each value of ``enum`` (or of ``values``, in that order) for a form's choice
    list: the same words as the tables and the CLI, with a capital."""
    return [(title_label(enum, value), str(value)) for value in (values if values is not None else enum)]


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
