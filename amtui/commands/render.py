"""Plain-text views for the CLI (readable in a pipe, a mail, a terminal)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, tzinfo

from amtui.i18n import LANGUAGE_NAMES, _, days, ngettext
from amtui.services.dates import format_birthday, format_date, format_local
from amtui.services.locale_format import discount
from amtui.services.locale_format import money as format_money
from amtui.services.schemas import ClientCard, ClientSummary, ContactRead, InteractionRead, TaskRead
from amtui.vocabulary import (
    REPORTED_KINDS,
    ClientStatus,
    ComplaintKind,
    ComplaintStatus,
    ContactRole,
    ContractStatus,
    DealKind,
    DealStage,
    InteractionKind,
    InteractionStatus,
    NoteTag,
    complaint_cadence,
    label,
)


def _cut(text: str | None, width: int) -> str:
    value = text or ""
    return value if len(value) <= width else value[: width - 1] + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, right: set[int] | None = None) -> str:
    materialised = [list(headers)] + [list(row) for row in rows]
    widths = [max(len(row[i]) for row in materialised) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(materialised):
        cells = [
            cell.rjust(w) if right and i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def client_table(rows: Sequence[ClientSummary], *, today: date, zone: tzinfo) -> str:
    if not rows:
        return _("No clients yet. Add one: amtui client add 'ООО «Ромашка»' --tier A")
    body = []
    for row in rows:
        due = row.next_contact_due
        due_text = (
            "" if due is None else (_("today") if due == today else _("{n}d").format(n=f"{(due - today).days:+d}"))
        )
        body.append(
            [
                str(row.id),
                _cut(row.name, 36),
                row.tier,
                label(ClientStatus, row.status),
                _cut(row.city, 16),
                format_local(row.last_touch_at, zone)[:10] if row.last_touch_at else _("never"),
                due_text,
                format_money(row.receivables_minor, row.currency) if row.receivables_minor else "",
                str(row.open_deals or ""),
            ]
        )
    return table(
        [
            _("id"),
            _("client"),
            _("tier"),
            _("status"),
            _("city"),
            _("last touch"),
            _("next"),
            _("receivables"),
            _("deals"),
        ],
        body,
        right={0, 6, 7, 8},
    )


def contact_lines(people: Sequence[ContactRead]) -> list[str]:
    lines = []
    for person in people:
        parts = [person.full_name]
        if person.title:
            parts.append(person.title)
        if person.role:
            parts.append(label(ContactRole, person.role))
        head = f"{'*' if person.is_decision_maker else ' '} {person.id:>5}  " + ", ".join(parts)
        lines.append(head)
        reach = [p.value for p in person.phones] + [e.value for e in person.emails]
        if reach:
            lines.append("         " + " · ".join(reach))
        if person.birthday_md:
            lines.append(
                "         "
                + _("birthday {date}").format(date=format_birthday(person.birthday_md, person.birthday_year))
            )
        if person.personal_notes:
            lines.append(f"         {person.personal_notes}")
    return lines


def interaction_line(item: InteractionRead, zone: tzinfo) -> str:
    when = format_local(item.when, zone)
    arrow = "←" if item.direction == "inbound" else "→"
    who = _(" with {people}").format(people=", ".join(item.contact_names)) if item.contact_names else ""
    text = item.subject or item.outcome or ""
    status = "" if item.status in ("done", "planned") else f" [{label(InteractionStatus, item.status)}]"
    missing = item.kind in REPORTED_KINDS and item.status == "done" and not item.has_report
    report = _(" (no report)") if missing else ""
    return f"{when}  {arrow} {label(InteractionKind, item.kind)}{who}{status}{report}" + (f": {text}" if text else "")


def task_line(task: TaskRead, today: date, *, zone: tzinfo | None = None) -> str:
    due = ""
    if task.due_on:
        late = (today - task.due_on).days
        due = _(" due {date}").format(date=format_date(task.due_on)) + (
            _(" ({n}d late)").format(n=late) if late > 0 else ""
        )
    who = f" → {task.assignee}" if task.assignee else ""
    return f"#{task.id} {task.title}{who}{due}{_check_in_part(task, zone)}"


def _check_in_part(task: TaskRead, zone: tzinfo | None) -> str:
    """``, check-in 04.12.2026 10:00`` (``done`` once answered) for a delegated task."""
    if zone is None or task.assignee is None or task.check_in_at is None:
        return ""
    answered = task.checked_in_at is not None and task.checked_in_at >= task.check_in_at
    when = format_local(task.checked_in_at if answered else task.check_in_at, zone)
    return _(", checked in {when}").format(when=when) if answered else _(", check-in {when}").format(when=when)


def _credit_line(card: ClientCard) -> str | None:
    """``5 000 000 RUB; exposure 6 500 000 RUB, headroom -1 500 000 RUB (over)``."""
    client = card.client
    limit = client.credit_limit_minor
    if limit is None:
        return None
    text = format_money(limit, client.currency)
    if card.exposure_minor is not None:
        headroom = limit - card.exposure_minor
        text += _("; exposure {exposure}, headroom {headroom}").format(
            exposure=format_money(card.exposure_minor, client.currency),
            headroom=format_money(headroom, client.currency),
        ) + (_(" (over the limit)") if headroom < 0 else "")
    return text


def client_card_text(card: ClientCard, *, today: date, zone: tzinfo) -> str:
    client = card.client
    out: list[str] = []
    title = _("{name}  [tier {tier}, {status}]").format(
        name=client.name, tier=client.tier, status=label(ClientStatus, client.status)
    )
    out += [title, "=" * len(title)]
    facts = [
        (_("Legal name"), client.legal_name),
        (_("INN / tax id"), client.tax_id),
        (_("Segment"), client.segment),
        (_("City"), client.city),
        (_("Address"), client.address),
        (_("Phone"), client.phone),
        (_("E-mail"), client.email),
        (_("Website"), client.website),
        (_("Payment terms"), days(client.payment_terms_days) if client.payment_terms_days else None),
        (
            _("Discount"),
            discount(client.discount_bp) or None,
        ),
        (_("Credit limit"), _credit_line(card)),
        (_("Needs"), client.needs),
        (_("Competitors"), client.competitors),
        (_("Documents in"), LANGUAGE_NAMES.get(client.language or "", client.language)),
    ]
    cadence_label = _("Cadence")
    shown = [(label, value) for label, value in facts if value]
    width = max(15, *(len(label) + 2 for label, _value in [*shown, (cadence_label, "")]))
    out += [f"{label + ':':<{width}}{value}" for label, value in shown]
    last = format_local(card.last_touch_at, zone) if card.last_touch_at else _("never")
    due = card.next_contact_due
    due_text = format_date(due) + (_(" (overdue)") if due and due < today else "") if due else ""
    if any(complaint.is_open for complaint in card.complaints):
        halved = complaint_cadence(client.cadence_days)
        cadence = ngettext(
            "every {n} day while a complaint is open; last touch {last}; next due {due}",
            "every {n} days while a complaint is open; last touch {last}; next due {due}",
            halved,
        ).format(n=halved, last=last, due=due_text)
    else:
        cadence = ngettext(
            "every {n} day; last touch {last}; next due {due}", "every {n} days; last touch {last}; next due {due}",
            client.cadence_days,
        ).format(n=client.cadence_days, last=last, due=due_text)  # fmt: skip
    out.append(f"{cadence_label + ':':<{width}}{cadence}")
    for warning in card.warnings:
        out.append(f"! {warning}")
    out += ["", _("People")]
    out += contact_lines(card.contacts) or ["  " + _("none yet")]
    if card.planned:
        out += ["", _("Planned")]
        out += ["  " + interaction_line(item, zone) for item in card.planned]
    out += ["", _("Last touches")]
    out += ["  " + interaction_line(item, zone) for item in card.interactions[:10]] or ["  " + _("none yet")]
    if card.open_tasks:
        out += ["", _("Open tasks")]
        out += ["  " + task_line(task, today, zone=zone) for task in card.open_tasks]
    if card.contracts:
        out += ["", _("Contracts")]
        for contract in card.contracts:
            left = (
                ngettext(", {n} day left", ", {n} days left", (contract.end_on - today).days).format(
                    n=(contract.end_on - today).days
                )
                if contract.end_on and contract.end_on >= today
                else ""
            )
            renew = _(", auto-renews") if contract.auto_renew else ""
            out.append(
                f"  {contract.number} {contract.title or ''} [{label(ContractStatus, contract.status)}] "
                f"{format_date(contract.start_on)}–{format_date(contract.end_on)}{left}{renew}"
            )
    unpaid = [invoice for invoice in card.invoices if invoice.owed_minor > 0]
    if unpaid:
        out += [
            "",
            _("Receivables: {amount} (overdue {overdue})").format(
                amount=format_money(card.receivables_minor, client.currency),
                overdue=format_money(card.overdue_minor, client.currency),
            ),
        ]
        for invoice in unpaid:
            late = (today - invoice.due_on).days
            state = (
                ngettext("{n} day overdue", "{n} days overdue", late).format(n=late)
                if late > 0
                else _("due {date}").format(date=format_date(invoice.due_on))
            )
            out.append(
                _("  {number}: {amount} owed, {state}").format(
                    number=invoice.number, amount=format_money(invoice.owed_minor, invoice.currency), state=state
                )
            )
    if card.deals:
        out += ["", _("Deals")]
        for deal in card.deals:
            amount = format_money(deal.amount_minor, deal.currency) if deal.amount_minor else ""
            close = _(", close {date}").format(date=format_date(deal.expected_close)) if deal.expected_close else ""
            out.append(f"  {deal.title} [{label(DealKind, deal.kind)}, {label(DealStage, deal.stage)}] {amount}{close}")
    if card.complaints:
        out += ["", _("Complaints")]
        for complaint in card.complaints:
            amount = f" {format_money(complaint.amount_minor, complaint.currency)}" if complaint.amount_minor else ""
            if complaint.is_open:
                state = (
                    _("due {date}").format(date=format_date(complaint.due_on))
                    if complaint.due_on
                    else _("no date promised")
                )
                if complaint.owner:
                    state += _(", handled by {owner}").format(owner=complaint.owner)
            else:
                state = f"{format_date(complaint.resolved_on)}: {complaint.resolution or ''}"
            what = f"[{label(ComplaintKind, complaint.kind)}, {label(ComplaintStatus, complaint.status)}]"
            out.append(f"  {complaint.id}: {complaint.title} {what}{amount}, {state}")
    if card.notes:
        out += ["", _("Notes")]
        out += [f"  [{label(NoteTag, note.tag)}] {note.text}" for note in card.notes]
    return "\n".join(out)
