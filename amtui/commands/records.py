"""``amtui note|contract|invoice|pay|deal|target``: the rest of the client card from the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from amtui.commands.common import (
    confirm_delete,
    echo_json,
    fail,
    given,
    now,
    parse_day,
    today,
    unit_of_work,
    zone,
)
from amtui.i18n import _
from amtui.services.locale_format import percent, short_date
from amtui.vocabulary import ComplaintKind, ComplaintStatus, ContractStatus, DealKind, DealStage, NoteTag, label, one_of

if TYPE_CHECKING:
    from amtui.services.schemas import ComplaintRead
    from amtui.services.workweek import WorkWeek

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print the result as JSON for scripts."))]
ClientArg = Annotated[str, typer.Argument(help=_("Client id or part of its name."))]
ClientOption = Annotated[str | None, typer.Option("--client", help=_("Only this client's (id or part of the name)."))]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help=_("Delete without asking."))]

note_app = typer.Typer(help=_("Notes on a client: competitors, needs, personal facts."), no_args_is_help=True)
contract_app = typer.Typer(help=_("Contracts: term, renewal, notice period."), no_args_is_help=True)
invoice_app = typer.Typer(help=_("Invoices and payments."), no_args_is_help=True)
complaint_app = typer.Typer(
    help=_("Complaints, claims, returns, disputes, shortages: open, resolve, follow up."), no_args_is_help=True
)
deal_app = typer.Typer(help=_("Deals: new business, upsell, cross-sell, renewals."), no_args_is_help=True)
target_app = typer.Typer(help=_("Monthly sales targets."), no_args_is_help=True)


def _warning_pct() -> int:
    from amtui.config import load_settings

    return load_settings().portfolio.credit_warning_pct


@note_app.command("add", help=_("Add a note to a client's card."))
def note_add(
    ctx: typer.Context,
    client: ClientArg,
    text: Annotated[str, typer.Argument(help=_("The note."))],
    tag: Annotated[str, typer.Option(help=f"{one_of(NoteTag)}.")] = "general",
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients, records

    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        note = records.add_note(session=session, client_id=target.id, text=text, tag=tag, now=now())
    if json_output:
        echo_json(note)
    else:
        typer.echo(_("Added note {id} [{tag}] to {client}").format(id=note.id, tag=note.tag, client=target.name))


@contract_app.command("add", help=_("Add a contract (its end and notice deadline show up in the alerts)."))
def contract_add(
    ctx: typer.Context,
    client: ClientArg,
    number: Annotated[str, typer.Argument(help=_("Contract number, e.g. Д-2026/17."))],
    end: Annotated[str, typer.Option(help=_("Last day of the contract."))],
    start: Annotated[str | None, typer.Option(help=_("First day (default today)."))] = None,
    title: Annotated[str | None, typer.Option(help=_("What it covers."))] = None,
    value: Annotated[str | None, typer.Option(help=_("Contract value, e.g. '1 200 000,00'."))] = None,
    auto_renew: Annotated[bool, typer.Option("--auto-renew", help=_("Renews itself unless notice is given."))] = False,
    notice: Annotated[int, typer.Option(help=_("Notice period in days."))] = 0,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients, records
    from amtui.services.text import parse_money

    end_on = parse_day(end, field="--end")
    start_on = parse_day(start, field="--start") if start else today()
    amount = parse_money(value, field="--value") if value else None
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        contract = records.create_contract(
            session=session, client_id=target.id, number=number, start_on=start_on, end_on=end_on, title=title,
            auto_renew=auto_renew, notice_days=notice, value_minor=amount, currency=target.currency,
        )  # fmt: skip
    if json_output:
        echo_json(contract)
    else:
        typer.echo(
            _("Added contract {id}: {number} with {client}, ends {date}").format(
                id=contract.id, number=contract.number, client=target.name, date=short_date(end_on)
            )
        )


@contract_app.command("list", help=_("Contracts by end date, with days left and the notice deadline."))
def contract_list(ctx: typer.Context, client: ClientOption = None, json_output: JsonOption = False) -> None:
    from datetime import timedelta

    from amtui.commands.render import table
    from amtui.services import clients, records
    from amtui.services.locale_format import money as format_money

    with unit_of_work(ctx) as session:
        client_id = clients.resolve_client(session=session, ref=client).id if client else None
        rows = records.list_contracts(session=session, client_id=client_id)
    if json_output:
        echo_json(rows)
        return
    if not rows:
        typer.echo(_("No contracts."))
        return
    current = today()
    body = []
    for c in rows:
        left = _("{n}d").format(n=(c.end_on - current).days) if c.end_on else _("open-ended")
        notice = ""
        if c.end_on and c.notice_days:
            notice = short_date(c.end_on - timedelta(days=c.notice_days))
        body.append(
            [
                str(c.id), c.number, c.client_name, label(ContractStatus, c.status),
                short_date(c.end_on) if c.end_on else "",
                left if c.status == "active" else "", notice, _("auto") if c.auto_renew else "",
                format_money(c.value_minor, c.currency),
            ]
        )  # fmt: skip
    headers = [
        _("id"),
        _("number"),
        _("client"),
        _("status"),
        _("ends"),
        _("left"),
        _("notice by"),
        _("renewal"),
        _("value"),
    ]
    typer.echo(table(headers, body, right={0, 5, 8}))


@contract_app.command(
    "edit", help=_("Renew (--end), close (--status expired) or correct a contract; only the options given change.")
)
def contract_edit(
    ctx: typer.Context,
    contract_id: Annotated[int, typer.Argument(help=_("Contract id (amtui contract list)."), metavar="ID")],
    end: Annotated[str | None, typer.Option(help=_("New last day: renews the contract."))] = None,
    start: Annotated[str | None, typer.Option(help=_("New first day."))] = None,
    status: Annotated[
        str | None,
        typer.Option(help=_("{values} (expired/terminated closes it).").format(values=one_of(ContractStatus))),
    ] = None,
    number: Annotated[str | None, typer.Option(help=_("Contract number."))] = None,
    title: Annotated[str | None, typer.Option(help=_("What it covers."))] = None,
    value: Annotated[str | None, typer.Option(help=_("Contract value, e.g. '1 200 000,00'."))] = None,
    auto_renew: Annotated[
        bool | None, typer.Option("--auto-renew/--no-auto-renew", help=_("Renews itself unless notice is given."))
    ] = None,
    notice: Annotated[int | None, typer.Option(help=_("Notice period in days."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import records
    from amtui.services.text import parse_money

    changes = given(status=status, number=number, title=title, auto_renew=auto_renew, notice_days=notice)
    if end is not None:
        changes["end_on"] = parse_day(end, field="--end")
    if start is not None:
        changes["start_on"] = parse_day(start, field="--start")
    if value is not None:
        changes["value_minor"] = parse_money(value, field="--value")
    if not changes:
        fail(_("nothing to change: give --end, --status, --notice, ... (amtui contract edit --help)"))
    with unit_of_work(ctx) as session:
        contract = records.update_contract(session=session, contract_id=contract_id, **changes)
    if json_output:
        echo_json(contract)
        return
    ends = _("ends {date}").format(date=short_date(contract.end_on)) if contract.end_on else _("open-ended")
    typer.echo(
        _("Contract {id}: {number} with {client}, {status}, {ends}").format(
            id=contract.id,
            number=contract.number,
            client=contract.client_name,
            status=label(ContractStatus, contract.status),
            ends=ends,
        )
    )


@contract_app.command(
    "delete", help=_("Delete a contract entered by mistake (to close one: amtui contract edit ID --status expired).")
)
def contract_delete(
    ctx: typer.Context,
    contract_id: Annotated[int, typer.Argument(help=_("Contract id."), metavar="ID")],
    yes: YesOption = False,
) -> None:
    from amtui.services import records

    with unit_of_work(ctx) as session:
        found = records.get_contract(session=session, contract_id=contract_id)
    confirm_delete(_("contract {number} with {client}").format(number=found.number, client=found.client_name), yes=yes)
    with unit_of_work(ctx) as session:
        gone = records.delete_contract(session=session, contract_id=contract_id)
    typer.echo(_("Deleted contract {number} with {client}.").format(number=gone.number, client=gone.client_name))


@invoice_app.command("add", help=_("Add an invoice (warns when it takes the client near or past its credit limit)."))
def invoice_add(
    ctx: typer.Context,
    client: ClientArg,
    number: Annotated[str, typer.Argument(help=_("Invoice number."))],
    amount: Annotated[str, typer.Argument(help=_("Amount, e.g. '412 500,50'."))],
    issued: Annotated[str | None, typer.Option(help=_("Issue date (default today)."))] = None,
    due: Annotated[
        str | None, typer.Option(help=_("Due date (default: issue date + the client's payment terms)."))
    ] = None,
    currency: Annotated[str | None, typer.Option(help=_("Currency (default: the client's)."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients, records
    from amtui.services.locale_format import money as format_money
    from amtui.services.portfolio import credit_warning, exposure_of
    from amtui.services.text import parse_money

    issued_on = parse_day(issued, field="--issued", past=True) if issued else today()
    due_on = parse_day(due, field="--due") if due else None
    amount_minor = parse_money(amount, field="amount")
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        before = exposure_of(session=session, client_id=target.id)
        invoice = records.create_invoice(
            session=session, client_id=target.id, number=number, issued_on=issued_on, due_on=due_on,
            amount_minor=amount_minor, currency=currency,
        )  # fmt: skip
        warning = credit_warning(
            before=before, after=exposure_of(session=session, client_id=target.id), warning_pct=_warning_pct()
        )
    if warning:
        typer.echo(_("amtui: warning: {message}").format(message=warning), err=True)
    if json_output:
        echo_json(invoice)
    else:
        typer.echo(
            _("Added invoice {id}: {number}, {amount}, due {date}").format(
                id=invoice.id,
                number=invoice.number,
                amount=format_money(invoice.amount_minor, invoice.currency),
                date=short_date(invoice.due_on),
            )
        )


@invoice_app.command("pay", help=_("Record a (partial) payment on an invoice."))
def invoice_pay(
    ctx: typer.Context,
    invoice_id: Annotated[int, typer.Argument(help=_("Invoice id."), metavar="ID")],
    amount: Annotated[str | None, typer.Argument(help=_("Amount paid (default: all that is owed)."))] = None,
    on: Annotated[str | None, typer.Option(help=_("Payment date (default today)."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import records
    from amtui.services.locale_format import money as format_money
    from amtui.services.text import parse_money

    paid_on = parse_day(on, field="--on", past=True) if on else today()
    with unit_of_work(ctx) as session:
        current = next((i for i in records.list_invoices(session=session) if i.id == invoice_id), None)
        if current is None:
            from amtui.services.errors import NotFoundError

            raise NotFoundError(_("no invoice with id {id}").format(id=invoice_id))
        paid_minor = parse_money(amount, field="amount") if amount else current.owed_minor
        invoice = records.record_payment(
            session=session, invoice_id=invoice_id, amount_minor=paid_minor, paid_on=paid_on
        )
    if json_output:
        echo_json(invoice)
    else:
        left = format_money(invoice.owed_minor, invoice.currency) if invoice.owed_minor else _("nothing")
        typer.echo(_("Payment recorded on {number}; {left} left to pay.").format(number=invoice.number, left=left))


@invoice_app.command("list", help=_("Invoices by due date."))
def invoice_list(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option(help=_("Only this client's invoices."))] = None,
    unpaid: Annotated[bool, typer.Option("--unpaid", help=_("Only invoices not fully paid."))] = False,
    json_output: JsonOption = False,
) -> None:
    from amtui.commands.render import table
    from amtui.services import clients, records
    from amtui.services.locale_format import money as format_money

    with unit_of_work(ctx) as session:
        client_id = clients.resolve_client(session=session, ref=client).id if client else None
        rows = records.list_invoices(session=session, client_id=client_id, unpaid_only=unpaid)
    if json_output:
        echo_json(rows)
        return
    if not rows:
        typer.echo(_("No invoices."))
        return
    current = today()
    body = [
        [
            str(i.id), i.number, i.client_name, short_date(i.due_on), format_money(i.amount_minor, i.currency),
            format_money(i.owed_minor, i.currency) if i.owed_minor else _("paid"),
            _("{n}d late").format(n=(current - i.due_on).days) if i.owed_minor and i.due_on < current else "",
        ]
        for i in rows
    ]  # fmt: skip
    typer.echo(table([_("id"), _("number"), _("client"), _("due"), _("amount"), _("owed"), ""], body, right={0, 4, 5}))


@deal_app.command("add", help=_("Add a deal or an upsell chance."))
def deal_add(
    ctx: typer.Context,
    client: ClientArg,
    title: Annotated[str, typer.Argument(help=_("What is being sold."))],
    kind: Annotated[str, typer.Option(help=f"{one_of(DealKind)}.")] = "new",
    stage: Annotated[str, typer.Option(help=f"{one_of(DealStage)}.")] = "lead",
    amount: Annotated[str | None, typer.Option(help=_("Expected amount."))] = None,
    probability: Annotated[int | None, typer.Option(help=_("Chance to win, 0-100."))] = None,
    close: Annotated[str | None, typer.Option(help=_("Expected close date."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients, records
    from amtui.services.text import parse_money

    close_on = parse_day(close, field="--close") if close else None
    amount_minor = parse_money(amount, field="--amount") if amount else None
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        deal = records.create_deal(
            session=session, client_id=target.id, title=title, kind=kind, stage=stage, amount_minor=amount_minor,
            currency=target.currency, probability=probability, expected_close=close_on,
        )  # fmt: skip
    if json_output:
        echo_json(deal)
    else:
        typer.echo(
            _("Added deal {id}: {title} ({kind}, {stage}) with {client}").format(
                id=deal.id,
                title=deal.title,
                kind=label(DealKind, deal.kind),
                stage=label(DealStage, deal.stage),
                client=target.name,
            )
        )


@deal_app.command(
    "stage",
    help=_("Move a deal to another stage (won/lost closes it today; winning warns near or past the credit limit)."),
)
def deal_stage(
    ctx: typer.Context,
    deal_id: Annotated[int, typer.Argument(help=_("Deal id."), metavar="ID")],
    stage: Annotated[str, typer.Argument(help=f"{one_of(DealStage)}.")],
    json_output: JsonOption = False,
) -> None:
    from amtui.services import records
    from amtui.services.portfolio import credit_warning, exposure_of

    with unit_of_work(ctx) as session:
        client_id = records.get_deal(session=session, deal_id=deal_id).client_id
        before = exposure_of(session=session, client_id=client_id)
        deal = records.update_deal(session=session, deal_id=deal_id, today=today(), stage=stage)
        warning = credit_warning(
            before=before, after=exposure_of(session=session, client_id=client_id), warning_pct=_warning_pct()
        )
    if warning:
        typer.echo(_("amtui: warning: {message}").format(message=warning), err=True)
    if json_output:
        echo_json(deal)
    else:
        typer.echo(_("Deal {id} is now {stage}.").format(id=deal.id, stage=label(DealStage, deal.stage)))


@deal_app.command("list", help=_("Deals by expected close date."))
def deal_list(
    ctx: typer.Context,
    client: ClientOption = None,
    open_only: Annotated[bool, typer.Option("--open", help=_("Only deals not yet won or lost."))] = False,
    json_output: JsonOption = False,
) -> None:
    from amtui.commands.render import table
    from amtui.services import clients, records
    from amtui.services.locale_format import money as format_money

    with unit_of_work(ctx) as session:
        client_id = clients.resolve_client(session=session, ref=client).id if client else None
        rows = records.list_deals(session=session, client_id=client_id, open_only=open_only)
    if json_output:
        echo_json(rows)
        return
    if not rows:
        typer.echo(_("No deals."))
        return
    current = today()
    body = [
        [
            str(d.id), d.title, d.client_name, label(DealKind, d.kind), label(DealStage, d.stage),
            format_money(d.amount_minor, d.currency),
            percent(d.probability),
            short_date(d.expected_close) if d.expected_close else "",
            _("late") if d.expected_close and d.expected_close < current and d.closed_on is None else "",
        ]
        for d in rows
    ]  # fmt: skip
    typer.echo(
        table(
            [_("id"), _("deal"), _("client"), _("kind"), _("stage"), _("amount"), _("chance"), _("close"), ""],
            body,
            right={0, 5, 6},
        )
    )


@deal_app.command(
    "edit", help=_("Move a deal's close date (--close), its stage, amount or chance; only the options given change.")
)
def deal_edit(
    ctx: typer.Context,
    deal_id: Annotated[int, typer.Argument(help=_("Deal id (amtui deal list)."), metavar="ID")],
    close: Annotated[str | None, typer.Option(help=_("New expected close date."))] = None,
    stage: Annotated[str | None, typer.Option(help=f"{one_of(DealStage)}.")] = None,
    amount: Annotated[str | None, typer.Option(help=_("Expected amount."))] = None,
    probability: Annotated[int | None, typer.Option(help=_("Chance to win, 0-100."))] = None,
    title: Annotated[str | None, typer.Option(help=_("What is being sold."))] = None,
    kind: Annotated[str | None, typer.Option(help=f"{one_of(DealKind)}.")] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import records
    from amtui.services.text import parse_money

    changes = given(stage=stage, probability=probability, title=title, kind=kind)
    if close is not None:
        changes["expected_close"] = parse_day(close, field="--close")
    if amount is not None:
        changes["amount_minor"] = parse_money(amount, field="--amount")
    if not changes:
        fail(_("nothing to change: give --close, --stage, --amount, ... (amtui deal edit --help)"))
    with unit_of_work(ctx) as session:
        deal = records.update_deal(session=session, deal_id=deal_id, today=today(), **changes)
    if json_output:
        echo_json(deal)
        return
    close_text = _(", expected {date}").format(date=short_date(deal.expected_close)) if deal.expected_close else ""
    typer.echo(
        _("Deal {id}: {title} with {client}, {stage}{close}").format(
            id=deal.id, title=deal.title, client=deal.client_name, stage=label(DealStage, deal.stage), close=close_text
        )
    )


@deal_app.command(
    "delete", help=_("Delete a deal entered by mistake (one that fell through: amtui deal stage ID lost).")
)
def deal_delete(
    ctx: typer.Context,
    deal_id: Annotated[int, typer.Argument(help=_("Deal id."), metavar="ID")],
    yes: YesOption = False,
) -> None:
    from amtui.services import records

    with unit_of_work(ctx) as session:
        found = records.get_deal(session=session, deal_id=deal_id)
    confirm_delete(_("deal {title} with {client}").format(title=repr(found.title), client=found.client_name), yes=yes)
    with unit_of_work(ctx) as session:
        gone = records.delete_deal(session=session, deal_id=deal_id)
    typer.echo(_("Deleted deal {title} with {client}.").format(title=repr(gone.title), client=gone.client_name))


@target_app.command(
    "set", help=_("Set the sales target of a month in a currency (a quarter or a year sums its months).")
)
def target_set(
    ctx: typer.Context,
    month: Annotated[str, typer.Argument(help=_("The month: 2026-11, or any day of it (01.12.2026, today)."))],
    amount: Annotated[str, typer.Argument(help=_("Sales target, e.g. '5 000 000'."))],
    currency: Annotated[
        str | None, typer.Option("--currency", help=_("Its currency (default: the home currency); one target each."))
    ] = None,
    json_output: JsonOption = False,
) -> None:
    import re

    from amtui.services import records
    from amtui.services.locale_format import money as format_money
    from amtui.services.text import parse_money

    if re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", month):
        from amtui.services.portfolio import parse_month

        period = parse_month(month, field="month")
    else:
        period = parse_day(month, field="month")
    if currency is None:
        from amtui.config import load_settings

        currency = load_settings().currency
    with unit_of_work(ctx) as session:
        target = records.set_target(session=session, period=period, amount_minor=parse_money(amount), currency=currency)
    if json_output:
        echo_json(target)
    else:
        typer.echo(
            _("Target for {month}: {amount}").format(
                month=f"{target.period:%m.%Y}", amount=format_money(target.amount_minor, target.currency)
            )
        )


@complaint_app.command("add", help=_("Record a complaint, claim, return, dispute or shortage report of a client."))
def complaint_add(
    ctx: typer.Context,
    client: ClientArg,
    title: Annotated[str, typer.Argument(help=_("What the complaint is about."))],
    kind: Annotated[str, typer.Option(help=f"{one_of(ComplaintKind)}.")] = "complaint",
    amount: Annotated[str | None, typer.Option(help=_("Amount in dispute, e.g. '1 250,50'."))] = None,
    currency: Annotated[str | None, typer.Option(help=_("Currency of the amount (default: the client's)."))] = None,
    contact: Annotated[str | None, typer.Option(help=_("Who complained: one of the client's contacts."))] = None,
    contract: Annotated[str | None, typer.Option(help=_("The contract concerned (number or id)."))] = None,
    invoice: Annotated[str | None, typer.Option(help=_("The invoice concerned (number or id)."))] = None,
    due: Annotated[str | None, typer.Option(help=_("Resolution promised by: +3d, пт, 05.12.2026..."))] = None,
    owner: Annotated[str | None, typer.Option(help=_("Colleague who handles it (default: you)."))] = None,
    opened: Annotated[str | None, typer.Option(help=_("The day it came (default today)."))] = None,
    description: Annotated[str | None, typer.Option("--description", "-d", help=_("What happened."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients, complaints
    from amtui.services.text import parse_money

    amount_minor = parse_money(amount, field="--amount") if amount else None
    opened_on = parse_day(opened, field="--opened", past=True) if opened else today()
    due_on = parse_day(due, field="--due") if due else None
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        created = complaints.create_complaint(
            session=session, client_id=target.id, title=title, now=now(), zone=zone(), kind=kind,
            description=description, amount_minor=amount_minor, currency=currency, opened_on=opened_on,
            due_on=due_on, owner=owner, contact=contact, contract=contract, invoice=invoice, week=_week(),
        )  # fmt: skip
    if json_output:
        echo_json(created)
    else:
        typer.echo(_("Added complaint {id} from {client}: {title}").format(
            id=created.id, client=created.client_name, title=created.title
        ) + _complaint_tail(created))  # fmt: skip


def _week() -> WorkWeek:
    from amtui.config import work_week

    return work_week()


def _complaint_tail(complaint: ComplaintRead) -> str:
    parts = []
    if complaint.due_on:
        parts.append(_("due {date}").format(date=f"{complaint.due_on:%d.%m.%Y}"))
    if complaint.owner:
        parts.append(_("handled by {owner}").format(owner=complaint.owner))
    return f" ({', '.join(parts)})" if parts else ""


@complaint_app.command("list", help=_("Complaints: open ones first by promised day, then the settled ones."))
def complaint_list(
    ctx: typer.Context,
    client: ClientOption = None,
    open_only: Annotated[bool, typer.Option("--open", help=_("Only open and in-progress complaints."))] = False,
    json_output: JsonOption = False,
) -> None:
    from amtui.commands.render import table
    from amtui.services import clients, complaints
    from amtui.services.locale_format import money as format_money

    with unit_of_work(ctx) as session:
        client_id = clients.resolve_client(session=session, ref=client).id if client else None
        rows = complaints.list_complaints(session=session, client_id=client_id, open_only=open_only)
    if json_output:
        echo_json(rows)
        return
    if not rows:
        typer.echo(_("No complaints."))
        return
    current = today()
    body = [
        [
            str(c.id), label(ComplaintKind, c.kind), c.client_name, c.title, label(ComplaintStatus, c.status),
            f"{c.due_on:%d.%m.%Y}" if c.due_on else "",
            _("{n}d late").format(n=(current - c.due_on).days) if c.is_open and c.due_on and c.due_on < current else "",
            format_money(c.amount_minor, c.currency) if c.amount_minor else "", c.owner or "",
        ]
        for c in rows
    ]  # fmt: skip
    headers = [_("id"), _("kind"), _("client"), _("title"), _("status"), _("due"), "", _("amount"), _("owner")]
    typer.echo(table(headers, body, right={0, 7}))


@complaint_app.command("show", help=_("Everything about one complaint."))
def complaint_show(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help=_("Complaint id (amtui complaint list)."), metavar="ID")],
    json_output: JsonOption = False,
) -> None:
    from amtui.services import complaints
    from amtui.services.locale_format import money as format_money

    with unit_of_work(ctx) as session:
        found = complaints.get_complaint(session=session, complaint_id=complaint_id)
    if json_output:
        echo_json(found)
        return
    day = "%d.%m.%Y"
    facts = [
        (_("Complaint"), f"{found.id}: {found.title}"),
        (_("Client"), found.client_name),
        (_("Kind"), label(ComplaintKind, found.kind)),
        (_("Status"), label(ComplaintStatus, found.status)),
        (_("Opened"), f"{found.opened_on:{day}}"),
        (_("Due"), f"{found.due_on:{day}}" if found.due_on else None),
        (_("Owner"), found.owner or _("you")),
        (_("Amount"), format_money(found.amount_minor, found.currency) if found.amount_minor else None),
        (_("Contact"), found.contact_name),
        (_("Contract"), found.contract_number),
        (_("Invoice"), found.invoice_number),
        (_("What happened"), found.description),
        (_("Resolution"), found.resolution),
        (_("Settled on"), f"{found.resolved_on:{day}}" if found.resolved_on else None),
    ]
    for name, value in facts:
        if value:
            typer.echo(f"{name + ':':<15}{value}")


@complaint_app.command(
    "edit", help=_("Change a complaint; every edit counts as a touch (only the options given change).")
)
def complaint_edit(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help=_("Complaint id."), metavar="ID")],
    title: Annotated[str | None, typer.Option(help=_("What it is about."))] = None,
    kind: Annotated[str | None, typer.Option(help=f"{one_of(ComplaintKind)}.")] = None,
    status: Annotated[str | None, typer.Option(help=_("open or in_progress (resolve/reject close it)."))] = None,
    amount: Annotated[str | None, typer.Option(help=_("Amount in dispute ('' clears it)."))] = None,
    currency: Annotated[str | None, typer.Option(help=_("Currency of the amount."))] = None,
    contact: Annotated[str | None, typer.Option(help=_("Who complained ('' clears it)."))] = None,
    contract: Annotated[str | None, typer.Option(help=_("The contract concerned ('' clears it)."))] = None,
    invoice: Annotated[str | None, typer.Option(help=_("The invoice concerned ('' clears it)."))] = None,
    due: Annotated[str | None, typer.Option(help=_("New promised day ('' clears it)."))] = None,
    owner: Annotated[str | None, typer.Option(help=_("Colleague who handles it (me: you)."))] = None,
    opened: Annotated[str | None, typer.Option(help=_("The day it came."))] = None,
    description: Annotated[str | None, typer.Option("--description", "-d", help=_("What happened."))] = None,
    touched: Annotated[bool, typer.Option("--touched", help=_("Only record that it was worked on today."))] = False,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import complaints
    from amtui.services.text import parse_money

    changes = given(
        title=title, kind=kind, status=status, currency=currency, contact=contact, contract=contract,
        invoice=invoice, owner=owner, description=description,
    )  # fmt: skip
    if amount is not None:
        changes["amount_minor"] = parse_money(amount, field="--amount") if amount.strip() else None
    if due is not None:
        changes["due_on"] = parse_day(due, field="--due") if due.strip() else None
    if opened is not None:
        changes["opened_on"] = parse_day(opened, field="--opened", past=True)
    if not changes and not touched:
        fail(_("nothing to change: give --due, --status, --owner, --touched, ... (amtui complaint edit --help)"))
    with unit_of_work(ctx) as session:
        saved = complaints.update_complaint(
            session=session, complaint_id=complaint_id, now=now(), zone=zone(), week=_week(), **changes
        )
    if json_output:
        echo_json(saved)
    else:
        typer.echo(_("Complaint {id} from {client}: {status}").format(
            id=saved.id, client=saved.client_name, status=saved.status
        ) + _complaint_tail(saved))  # fmt: skip


NoteOption = Annotated[str, typer.Option("--note", help=_("How it was settled (required)."))]
OnOption = Annotated[str | None, typer.Option("--on", help=_("The day it was settled (default today)."))]


def _settle(ctx: typer.Context, complaint_id: int, note: str, on: str | None, json_output: bool, resolve: bool) -> None:
    from amtui.services import complaints

    day = parse_day(on, field="--on", past=True) if on else today()
    settle = complaints.resolve_complaint if resolve else complaints.reject_complaint
    with unit_of_work(ctx) as session:
        saved = settle(session=session, complaint_id=complaint_id, note=note, on=day, now=now())
    if json_output:
        echo_json(saved)
    elif resolve:
        typer.echo(
            _("Complaint {id} from {client} resolved; call within a week to check they are satisfied.").format(
                id=saved.id, client=saved.client_name
            )
        )
    else:
        typer.echo(_("Complaint {id} from {client} rejected.").format(id=saved.id, client=saved.client_name))


@complaint_app.command(
    "resolve", help=_("Close a complaint as resolved (a follow-up call is then asked for within a week).")
)
def complaint_resolve(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help=_("Complaint id."), metavar="ID")],
    note: NoteOption,
    on: OnOption = None,
    json_output: JsonOption = False,
) -> None:
    _settle(ctx, complaint_id, note, on, json_output, resolve=True)


@complaint_app.command("reject", help=_("Close a complaint as rejected (the note says why)."))
def complaint_reject(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help=_("Complaint id."), metavar="ID")],
    note: NoteOption,
    on: OnOption = None,
    json_output: JsonOption = False,
) -> None:
    _settle(ctx, complaint_id, note, on, json_output, resolve=False)


@complaint_app.command("reopen", help=_("Open a settled complaint again (the client is not satisfied)."))
def complaint_reopen(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help=_("Complaint id."), metavar="ID")],
    json_output: JsonOption = False,
) -> None:
    from amtui.services import complaints

    with unit_of_work(ctx) as session:
        saved = complaints.reopen_complaint(
            session=session, complaint_id=complaint_id, now=now(), zone=zone(), week=_week()
        )
    if json_output:
        echo_json(saved)
    else:
        typer.echo(_("Complaint {id} from {client} is open again.").format(id=saved.id, client=saved.client_name))


def register(app: typer.Typer) -> None:
    app.add_typer(complaint_app, name="complaint")
    app.add_typer(note_app, name="note")
    app.add_typer(contract_app, name="contract")
    app.add_typer(invoice_app, name="invoice")
    app.add_typer(deal_app, name="deal")
    app.add_typer(target_app, name="target")
