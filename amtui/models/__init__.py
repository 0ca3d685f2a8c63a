"""SQLModel tables of amtui. Importing this package registers every table.

Every module of this package is imported here (a new entity's module needs no line in this file to
be created by migrations' checks, found by the importer and the exporter); the names below are the
ones the rest of the code imports from the package.
"""

from importlib import import_module
from pkgutil import iter_modules

from amtui.models import text_guard
from amtui.models.alert_state import AlertMark
from amtui.models.client import Client
from amtui.models.contact import Contact, ContactMethod
from amtui.models.contract import Contract
from amtui.models.deal import Deal
from amtui.models.interaction import Interaction, InteractionContact
from amtui.models.invoice import Invoice
from amtui.models.note import Note
from amtui.models.rate import ExchangeRate
from amtui.models.report import MeetingReport, NextStep, ReportAttendee
from amtui.models.target import SalesTarget
from amtui.models.task import Task

for _module in iter_modules(__path__):
    import_module(f"{__name__}.{_module.name}")

__all__ = [
    "AlertMark",
    "Client",
    "Contact",
    "ContactMethod",
    "Contract",
    "Deal",
    "ExchangeRate",
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

# Text columns refuse control characters whichever service writes them.
text_guard.install()
