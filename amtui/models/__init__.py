"""SQLModel tables of amtui. Importing this package registers every table."""

from amtui.models.alert_state import AlertMark
from amtui.models.client import Client
from amtui.models.contact import Contact, ContactMethod
from amtui.models.contract import Contract
from amtui.models.deal import Deal
from amtui.models.interaction import Interaction, InteractionContact
from amtui.models.invoice import Invoice
from amtui.models.note import Note
from amtui.models.report import MeetingReport, NextStep, ReportAttendee
from amtui.models.target import SalesTarget
from amtui.models.task import Task

__all__ = [
    "AlertMark",
    "Client",
    "Contact",
    "ContactMethod",
    "Contract",
    "Deal",
    "Interaction",
    "InteractionContact",
    "Invoice",
    "MeetingReport",
    "NextStep",
    "Note",
    "ReportAttendee",
    "SalesTarget",
    "Task",
]
