"""The vocabulary of the domain: tiers, statuses, kinds and stages, and the defaults tied to them.

Stored as their plain string values, so raw SQL and other databases read them without
a mapping. This module sits outside ``amtui.models`` so that read paths (the cron
digest) can use it without building the SQLModel table classes.
"""

from __future__ import annotations

from enum import StrEnum


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
