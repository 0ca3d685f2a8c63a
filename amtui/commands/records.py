"""``amtui note|contract|invoice|pay|deal|target``: the rest of the client card from the CLI."""

from __future__ import annotations

from typing import Annotated

import typer

from amtui.commands.common import echo_json, now, parse_day, today, unit_of_work

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON for scripts.")]
ClientArg = Annotated[str, typer.Argument(help="Client id or part of its name.")]

note_app = typer.Typer(help="Notes on a client: competitors, needs, personal facts.", no_args_is_help=True)
contract_app = typer.Typer(help="Contracts: term, renewal, notice period.", no_args_is_help=True)
invoice_app = typer.Typer(help="Invoices and payments.", no_args_is_help=True)
deal_app = typer.Typer(help="Deals: new business, upsell, cross-sell, renewals.", no_args_is_help=True)
target_app = typer.Typer(help="Monthly sales targets.", no_args_is_help=True)


@note_app.command("add")
def note_add(
    ctx: typer.Context,
    client: ClientArg,
    text: Annotated[str, typer.Argument(help="The note.")],
    tag: Annotated[str, typer.Option(help="general, competitor, need or personal.")] = "general",
    json_output: JsonOption = False,
) -> None:
    """Add a note to a client's card."""
    from amtui.services import clients, records

    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        note = records.add_note(session=session, client_id=target.id, text=text, tag=tag, now=now())
    if json_output:
        echo_json(note)
    else:
        typer.echo(f"Added note {note.id} [{note.tag}] to {target.name}")


@contract_app.command("add")
def contract_add(
    ctx: typer.Context,
    client: ClientArg,
    number: Annotated[str, typer.Argument(help="Contract number, e.g. Д-2026/17.")],
    end: Annotated[str, typer.Option(help="Last day of the contract.")],
    start: Annotated[str | None, typer.Option(help="First day (default today).")] = None,
    title: Annotated[str | None, typer.Option(help="What it covers.")] = None,
    value: Annotated[str | None, typer.Option(help="Contract value, e.g. '1 200 000,00'.")] = None,
    auto_renew: Annotated[bool, typer.Option("--auto-renew", help="Renews itself unless notice is given.")] = False,
    notice: Annotated[int, typer.Option(help="Notice period in days.")] = 0,
    json_output: JsonOption = False,
) -> None:
    """Add a contract (its end and notice deadline show up in the alerts)."""
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
        typer.echo(f"Added contract {contract.id}: {contract.number} with {target.name}, ends {end_on:%d.%m.%Y}")


@invoice_app.command("add")
def invoice_add(
    ctx: typer.Context,
    client: ClientArg,
    number: Annotated[str, typer.Argument(help="Invoice number.")],
    amount: Annotated[str, typer.Argument(help="Amount, e.g. '412 500,50'.")],
    issued: Annotated[str | None, typer.Option(help="Issue date (default today).")] = None,
    due: Annotated[
        str | None, typer.Option(help="Due date (default: issue date + the client's payment terms).")
    ] = None,
    currency: Annotated[str | None, typer.Option(help="Currency (default: the client's).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Add an invoice."""
    from amtui.services import clients, records
    from amtui.services.text import format_money, parse_money

    issued_on = parse_day(issued, field="--issued") if issued else today()
    due_on = parse_day(due, field="--due") if due else None
    amount_minor = parse_money(amount, field="amount")
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        invoice = records.create_invoice(
            session=session, client_id=target.id, number=number, issued_on=issued_on, due_on=due_on,
            amount_minor=amount_minor, currency=currency,
        )  # fmt: skip
    if json_output:
        echo_json(invoice)
    else:
        typer.echo(
            f"Added invoice {invoice.id}: {invoice.number}, {format_money(invoice.amount_minor, invoice.currency)},"
            f" due {invoice.due_on:%d.%m.%Y}"
        )


@invoice_app.command("pay")
def invoice_pay(
    ctx: typer.Context,
    invoice_id: Annotated[int, typer.Argument(help="Invoice id.", metavar="ID")],
    amount: Annotated[str | None, typer.Argument(help="Amount paid (default: all that is owed).")] = None,
    on: Annotated[str | None, typer.Option(help="Payment date (default today).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record a (partial) payment on an invoice."""
    from amtui.services import records
    from amtui.services.text import format_money, parse_money

    paid_on = parse_day(on, field="--on") if on else today()
    with unit_of_work(ctx) as session:
        current = next((i for i in records.list_invoices(session=session) if i.id == invoice_id), None)
        if current is None:
            from amtui.services.errors import NotFoundError

            raise NotFoundError(f"no invoice with id {invoice_id}")
        paid_minor = parse_money(amount, field="amount") if amount else current.owed_minor
        invoice = records.record_payment(
            session=session, invoice_id=invoice_id, amount_minor=paid_minor, paid_on=paid_on
        )
    if json_output:
        echo_json(invoice)
    else:
        left = format_money(invoice.owed_minor, invoice.currency) if invoice.owed_minor else "nothing"
        typer.echo(f"Payment recorded on {invoice.number}; {left} left to pay.")


@invoice_app.command("list")
def invoice_list(
    ctx: typer.Context,
    client: Annotated[str | None, typer.Option(help="Only this client's invoices.")] = None,
    unpaid: Annotated[bool, typer.Option("--unpaid", help="Only invoices not fully paid.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Invoices by due date."""
    from amtui.commands.render import table
    from amtui.services import clients, records
    from amtui.services.text import format_money

    with unit_of_work(ctx) as session:
        client_id = clients.resolve_client(session=session, ref=client).id if client else None
        rows = records.list_invoices(session=session, client_id=client_id, unpaid_only=unpaid)
    if json_output:
        echo_json(rows)
        return
    if not rows:
        typer.echo("No invoices.")
        return
    current = today()
    body = [
        [
            str(i.id), i.number, i.client_name, f"{i.due_on:%d.%m.%Y}", format_money(i.amount_minor, i.currency),
            format_money(i.owed_minor, i.currency) if i.owed_minor else "paid",
            f"{(current - i.due_on).days}d late" if i.owed_minor and i.due_on < current else "",
        ]
        for i in rows
    ]  # fmt: skip
    typer.echo(table(["id", "number", "client", "due", "amount", "owed", ""], body, right={0, 4, 5}))


@deal_app.command("add")
def deal_add(
    ctx: typer.Context,
    client: ClientArg,
    title: Annotated[str, typer.Argument(help="What is being sold.")],
    kind: Annotated[str, typer.Option(help="new, upsell, cross_sell or renewal.")] = "new",
    stage: Annotated[str, typer.Option(help="lead, qualified, proposal, negotiation, won or lost.")] = "lead",
    amount: Annotated[str | None, typer.Option(help="Expected amount.")] = None,
    probability: Annotated[int | None, typer.Option(help="Chance to win, 0-100.")] = None,
    close: Annotated[str | None, typer.Option(help="Expected close date.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Add a deal or an upsell chance."""
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
        typer.echo(f"Added deal {deal.id}: {deal.title} ({deal.kind}, {deal.stage}) with {target.name}")


@deal_app.command("stage")
def deal_stage(
    ctx: typer.Context,
    deal_id: Annotated[int, typer.Argument(help="Deal id.", metavar="ID")],
    stage: Annotated[str, typer.Argument(help="lead, qualified, proposal, negotiation, won or lost.")],
    json_output: JsonOption = False,
) -> None:
    """Move a deal to another stage (won/lost closes it today)."""
    from amtui.services import records

    with unit_of_work(ctx) as session:
        deal = records.update_deal(session=session, deal_id=deal_id, today=today(), stage=stage)
    if json_output:
        echo_json(deal)
    else:
        typer.echo(f"Deal {deal.id} is now {deal.stage}.")


@target_app.command("set")
def target_set(
    ctx: typer.Context,
    month: Annotated[str, typer.Argument(help="Any day of the month, e.g. 01.12.2026 or today.")],
    amount: Annotated[str, typer.Argument(help="Sales target, e.g. '5 000 000'.")],
    json_output: JsonOption = False,
) -> None:
    """Set the sales target of a month."""
    from amtui.services import records
    from amtui.services.text import format_money, parse_money

    period = parse_day(month, field="month")
    with unit_of_work(ctx) as session:
        target = records.set_target(session=session, period=period, amount_minor=parse_money(amount))
    if json_output:
        echo_json(target)
    else:
        typer.echo(f"Target for {target.period:%m.%Y}: {format_money(target.amount_minor, target.currency)}")


def register(app: typer.Typer) -> None:
    app.add_typer(note_app, name="note")
    app.add_typer(contract_app, name="contract")
    app.add_typer(invoice_app, name="invoice")
    app.add_typer(deal_app, name="deal")
    app.add_typer(target_app, name="target")
