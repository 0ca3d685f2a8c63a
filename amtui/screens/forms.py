"""The modal forms, one per ``form_<name>.py`` module; re-exported here so ``screens.forms`` imports keep working."""

from __future__ import annotations

from amtui.screens.form_base import FormScreen
from amtui.screens.form_client import ClientForm
from amtui.screens.form_contact import ContactForm
from amtui.screens.form_contract import ContractForm
from amtui.screens.form_date import DateForm
from amtui.screens.form_deal import DealForm
from amtui.screens.form_details import InteractionDetails
from amtui.screens.form_interaction import KINDS, ClientField, InteractionForm
from amtui.screens.form_invoice import InvoiceForm
from amtui.screens.form_note import NoteForm
from amtui.screens.form_payment import PaymentForm
from amtui.screens.form_task import TaskForm

__all__ = [
    "KINDS",
    "ClientField",
    "ClientForm",
    "ContactForm",
    "ContractForm",
    "DateForm",
    "DealForm",
    "FormScreen",
    "InteractionDetails",
    "InteractionForm",
    "InvoiceForm",
    "NoteForm",
    "PaymentForm",
    "TaskForm",
]
