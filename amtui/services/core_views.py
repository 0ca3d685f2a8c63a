"""The columns of amtui.models that some services read through SQLAlchemy Core without the ORM (the
portfolio numbers in :mod:`amtui.services.portfolio`, the summary in :mod:`amtui.services.summary`, the alert
marks' writes), declared once here with the models' names and types (the tests check them against the SQLModel
metadata). The alert engine itself reads in plain SQL (:mod:`amtui.services.alerts`) and never imports this.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, column, table

_UTC_DATETIME = DateTime(timezone=True)  # stored as UTC; SQLite hands it back without an offset

_client = table(
    "client",
    column("id", Integer),
    column("name", String),
    column("tier", String),
    column("status", String),
    column("cadence_days", Integer),
    column("currency", String),
    column("credit_limit_minor", Integer),
    column("payment_terms_days", Integer),
    column("discount_bp", Integer),
    column("updated_at", _UTC_DATETIME),
)
_interaction = table(
    "interaction",
    column("id", Integer),
    column("client_id", Integer),
    column("kind", String),
    column("direction", String),
    column("status", String),
    column("planned_at", _UTC_DATETIME),
    column("done_at", _UTC_DATETIME),
    column("place", String),
    column("subject", String),
    column("needs_reply", Boolean),
    column("replied_at", _UTC_DATETIME),
)
_interaction_contact = table("interaction_contact", column("interaction_id", Integer), column("contact_id", Integer))
_contact = table(
    "contact",
    column("id", Integer),
    column("client_id", Integer),
    column("full_name", String),
    column("birthday_md", String),
    column("birthday_year", Integer),
)
_task = table(
    "task",
    column("id", Integer),
    column("client_id", Integer),
    column("title", String),
    column("assignee", String),
    column("priority", String),
    column("status", String),
    column("due_on", Date),
    column("check_in_at", _UTC_DATETIME),
    column("checked_in_at", _UTC_DATETIME),
    column("completed_at", _UTC_DATETIME),
    column("report_id", Integer),
)
_contract = table(
    "contract",
    column("id", Integer),
    column("client_id", Integer),
    column("number", String),
    column("title", String),
    column("status", String),
    column("start_on", Date),
    column("end_on", Date),
    column("auto_renew", Boolean),
    column("notice_days", Integer),
    column("value_minor", Integer),
    column("currency", String),
)
_invoice = table(
    "invoice",
    column("id", Integer),
    column("client_id", Integer),
    column("number", String),
    column("issued_on", Date),
    column("due_on", Date),
    column("amount_minor", Integer),
    column("paid_minor", Integer),
    column("currency", String),
    column("paid_on", Date),
)
_meeting_report = table(
    "meeting_report", column("id", Integer), column("interaction_id", Integer), column("created_at", _UTC_DATETIME)
)
_deal = table(
    "deal",
    column("id", Integer),
    column("client_id", Integer),
    column("title", String),
    column("kind", String),
    column("stage", String),
    column("amount_minor", Integer),
    column("currency", String),
    column("probability", Integer),
    column("expected_close", Date),
    column("closed_on", Date),
    column("stage_changed_at", _UTC_DATETIME),
    column("created_at", _UTC_DATETIME),
)
_complaint = table(
    "complaint",
    column("id", Integer),
    column("client_id", Integer),
    column("kind", String),
    column("title", String),
    column("status", String),
    column("opened_on", Date),
    column("due_on", Date),
    column("owner", String),
    column("check_in_at", _UTC_DATETIME),
    column("resolved_on", Date),
    column("touched_at", _UTC_DATETIME),
    column("created_at", _UTC_DATETIME),
)
_alert_mark = table(
    "alert_mark",
    column("alert_id", String),
    column("state", String),
    column("snoozed_until", Date),
    column("fingerprint", String),
    column("updated_at", _UTC_DATETIME),
)
_sales_target = table(
    "sales_target",
    column("id", Integer),
    column("period", Date),
    column("amount_minor", BigInteger),
    column("currency", String),
)
_exchange_rate = table(
    "exchange_rate",
    column("id", Integer),
    column("currency", String),
    column("rate_e6", BigInteger),
    column("valid_from", Date),
)
COLUMNS_READ = (
    _client,
    _interaction,
    _interaction_contact,
    _contact,
    _task,
    _contract,
    _invoice,
    _meeting_report,
    _deal,
    _complaint,
    _alert_mark,
    _sales_target,
    _exchange_rate,
)

# The columns services/recurrence.py writes when a series moves on (Core: no ORM classes built).
_interaction_written = table(
    "interaction",
    column("id", Integer),
    column("client_id", Integer),
    column("kind", String),
    column("direction", String),
    column("status", String),
    column("planned_at", _UTC_DATETIME),
    column("duration_min", Integer),
    column("place", String),
    column("city", String),
    column("subject", String),
    column("needs_reply", Boolean),
    column("created_at", _UTC_DATETIME),
    column("updated_at", _UTC_DATETIME),
    column("series_id", Integer),
    column("occurrence", Integer),
    column("repeat", String),
    column("repeat_from", _UTC_DATETIME),
)
_task_written = table(
    "task",
    column("id", Integer),
    column("title", String),
    column("client_id", Integer),
    column("assignee", String),
    column("status", String),
    column("priority", String),
    column("due_on", Date),
    column("check_in_at", _UTC_DATETIME),
    column("created_at", _UTC_DATETIME),
    column("updated_at", _UTC_DATETIME),
    column("series_id", Integer),
    column("occurrence", Integer),
    column("repeat", String),
    column("repeat_from", Date),
)
COLUMNS_WRITTEN = (_interaction_written, _interaction_contact, _task_written)
