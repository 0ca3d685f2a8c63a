"""``amtui client ...``, ``amtui contact ...`` and ``amtui search``."""

from __future__ import annotations

from typing import Annotated

import typer

from amtui.commands.common import echo_json, fail, given, quick_reading, reading, today, unit_of_work, zone
from amtui.i18n import _, ngettext
from amtui.vocabulary import DEFAULT_CADENCE_DAYS, Channel, ClientStatus, ContactRole, Tier, one_of

client_app = typer.Typer(help=_("Client companies: add, show the card, list, edit."), no_args_is_help=True)
contact_app = typer.Typer(help=_("People at clients."), no_args_is_help=True)

_CADENCES = ", ".join(f"{tier} {days}" for tier, days in DEFAULT_CADENCE_DAYS.items())

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print the result as JSON for scripts."))]


@client_app.command("add", help=_("Add a client company."))
def client_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("Company name, e.g. 'ООО «Ромашка»'."))],
    tier: Annotated[str, typer.Option(help=_("Importance: {values}.").format(values=one_of(Tier)))] = "B",
    status: Annotated[str, typer.Option(help=f"{one_of(ClientStatus)}.")] = "active",
    city: Annotated[str | None, typer.Option(help=_("City."))] = None,
    inn: Annotated[str | None, typer.Option("--inn", help=_("Russian tax id (ИНН), 10 or 12 digits."))] = None,
    tax_id: Annotated[
        str | None, typer.Option("--tax-id", help=_("Another tax id: OGRN, EU VAT with its prefix (DE136695976), ..."))
    ] = None,
    segment: Annotated[str | None, typer.Option(help=_("Industry or segment."))] = None,
    cadence: Annotated[
        int | None,
        typer.Option(help=_("Days between touches (default by tier: {cadences}).").format(cadences=_CADENCES)),
    ] = None,
    legal_name: Annotated[str | None, typer.Option("--legal-name", help=_("Full legal name."))] = None,
    phone: Annotated[str | None, typer.Option(help=_("Company phone."))] = None,
    email: Annotated[str | None, typer.Option(help=_("Company e-mail."))] = None,
    website: Annotated[str | None, typer.Option(help=_("Website."))] = None,
    external_id: Annotated[str | None, typer.Option("--external-id", help=_("Id in another system."))] = None,
    language: Annotated[
        str | None, typer.Option("--language", help=_("Language of documents for the client: ru, it or en."))
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients
    from amtui.services.text import check_inn

    with unit_of_work(ctx) as session:
        created = clients.create_client(
            session=session,
            name=name,
            tier=tier,
            status=status,
            city=city,
            tax_id=check_inn(inn, field="--inn") if inn else tax_id,
            segment=segment,
            cadence_days=cadence,
            legal_name=legal_name,
            phone=phone,
            email=email,
            website=website,
            external_id=external_id,
            language=language,
        )
    if json_output:
        echo_json(created)
    else:
        typer.echo(
            ngettext(
                "Added client {id}: {name} (tier {tier}, every {n} day)",
                "Added client {id}: {name} (tier {tier}, every {n} days)",
                created.cadence_days,
            ).format(id=created.id, name=created.name, tier=created.tier, n=created.cadence_days)
        )


@client_app.command("edit", help=_("Change a client's facts (only the options given change)."))
def client_edit(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    name: Annotated[str | None, typer.Option(help=_("New name."))] = None,
    tier: Annotated[str | None, typer.Option(help=f"{one_of(Tier)}.")] = None,
    status: Annotated[str | None, typer.Option(help=f"{one_of(ClientStatus)}.")] = None,
    city: Annotated[str | None, typer.Option(help=_("City."))] = None,
    address: Annotated[str | None, typer.Option(help=_("Address."))] = None,
    inn: Annotated[str | None, typer.Option("--inn", help=_("Russian tax id (ИНН)."))] = None,
    segment: Annotated[str | None, typer.Option(help=_("Industry or segment."))] = None,
    cadence: Annotated[int | None, typer.Option(help=_("Days between touches; 0 restores the tier default."))] = None,
    legal_name: Annotated[str | None, typer.Option("--legal-name")] = None,
    phone: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    website: Annotated[str | None, typer.Option()] = None,
    needs: Annotated[str | None, typer.Option(help=_("What the client needs."))] = None,
    competitors: Annotated[str | None, typer.Option(help=_("Competitors active at the client."))] = None,
    payment_terms: Annotated[int | None, typer.Option("--payment-terms", help=_("Payment terms in days."))] = None,
    credit_limit: Annotated[str | None, typer.Option("--credit-limit", help=_("Credit limit, e.g. 500 000."))] = None,
    language: Annotated[
        str | None, typer.Option("--language", help=_("Language of documents for the client: ru, it or en."))
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients
    from amtui.services.text import check_inn, parse_money

    changes = given(
        name=name,
        tier=tier,
        status=status,
        city=city,
        address=address,
        segment=segment,
        legal_name=legal_name,
        phone=phone,
        email=email,
        website=website,
        needs=needs,
        competitors=competitors,
        payment_terms_days=payment_terms,
        language=language,
    )
    if inn is not None:
        changes["tax_id"] = check_inn(inn, field="--inn")
    if cadence is not None:
        changes["cadence_days"] = cadence or None
    if credit_limit is not None:
        changes["credit_limit_minor"] = parse_money(credit_limit, field="--credit-limit")
    if not changes:
        fail(_("nothing to change: give at least one option (see amtui client edit --help)"))
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        updated = clients.update_client(session=session, client_id=target.id, **changes)
    if json_output:
        echo_json(updated)
    else:
        typer.echo(_("Updated client {id}: {name}").format(id=updated.id, name=updated.name))


@client_app.command("list", help=_("The portfolio: tier, status, city, last touch, next contact due, receivables."))
def client_list(
    ctx: typer.Context,
    tier: Annotated[str | None, typer.Option(help=_("Only this tier."))] = None,
    status: Annotated[str | None, typer.Option(help=_("Only this status."))] = None,
    segment: Annotated[str | None, typer.Option(help=_("Only this segment."))] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.commands.render import client_table
    from amtui.services import clients

    with unit_of_work(ctx) as session:
        rows = clients.list_clients(
            session=session, today=today(), zone=zone(), tier=tier, status=status, segment=segment
        )
    if json_output:
        echo_json(rows)
    else:
        typer.echo(client_table(rows, today=today(), zone=zone()))


@client_app.command(
    "show", help=_("The client card: people, last touches, plans, open tasks, contracts, debts, deals.")
)
def client_show(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    json_output: JsonOption = False,
) -> None:
    from amtui.commands.render import client_card_text
    from amtui.services import cards
    from amtui.services.entries import find_client

    with quick_reading(ctx) as where:
        client_id, _name = find_client(where, client)
        card = cards.client_card(session=where, client_id=client_id, today=today(), zone=zone())
    if json_output:
        echo_json(card)
    else:
        typer.echo(client_card_text(card, today=today(), zone=zone()))


@contact_app.command("add", help=_("Add a person at a client."))
def contact_add(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    name: Annotated[str, typer.Argument(help=_("Full name, e.g. 'Иванов Иван Петрович'."))],
    title: Annotated[str | None, typer.Option(help=_("Job title."))] = None,
    phone: Annotated[list[str] | None, typer.Option(help=_("Phone (repeat for several)."))] = None,
    email: Annotated[list[str] | None, typer.Option(help=_("E-mail (repeat for several)."))] = None,
    birthday: Annotated[str | None, typer.Option(help=_("12.03, 12.03.1980 or 12 March."))] = None,
    role: Annotated[str | None, typer.Option(help=f"{one_of(ContactRole)}.")] = None,
    decision_maker: Annotated[bool, typer.Option("--decision-maker", help=_("This person decides."))] = False,
    channel: Annotated[
        str | None, typer.Option(help=_("Preferred channel: {values}.").format(values=one_of(Channel)))
    ] = None,
    notes: Annotated[str | None, typer.Option(help=_("Personal notes: family, hobbies."))] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help=_("Language to write to this person in: ru, it or en (default: the client's; '' clears it)."),
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients, contacts
    from amtui.services.dates import parse_birthday

    birthday_md, birthday_year = parse_birthday(birthday, field="--birthday") if birthday else (None, None)
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        created = contacts.create_contact(
            session=session,
            client_id=target.id,
            full_name=name,
            title=title,
            phones=phone or [],
            emails=email or [],
            birthday_md=birthday_md,
            birthday_year=birthday_year,
            role="decision_maker" if decision_maker else role,
            preferred_channel=channel,
            personal_notes=notes,
            language=language,
        )
    if json_output:
        echo_json(created)
    else:
        typer.echo(
            _("Added contact {id}: {name} at {client}").format(
                id=created.id, name=created.full_name, client=target.name
            )
        )


@contact_app.command(
    "edit", help=_("Change a person's details (only the options given change; phones and e-mails are added).")
)
def contact_edit(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    contact: Annotated[str, typer.Argument(help=_("Contact id or part of the name."))],
    name: Annotated[str | None, typer.Option(help=_("New full name."))] = None,
    title: Annotated[str | None, typer.Option(help=_("Job title."))] = None,
    phone: Annotated[list[str] | None, typer.Option(help=_("Add a phone (repeat for several)."))] = None,
    email: Annotated[list[str] | None, typer.Option(help=_("Add an e-mail (repeat for several)."))] = None,
    birthday: Annotated[str | None, typer.Option(help=_("12.03, 12.03.1980 or 12 March."))] = None,
    role: Annotated[str | None, typer.Option(help=f"{one_of(ContactRole)}.")] = None,
    decision_maker: Annotated[bool, typer.Option("--decision-maker", help=_("This person decides."))] = False,
    channel: Annotated[
        str | None, typer.Option(help=_("Preferred channel: {values}.").format(values=one_of(Channel)))
    ] = None,
    notes: Annotated[str | None, typer.Option(help=_("Personal notes: family, hobbies."))] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help=_("Language to write to this person in: ru, it or en (default: the client's; '' clears it)."),
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    from amtui.services import clients, contacts
    from amtui.services.dates import parse_birthday

    changes = given(
        full_name=name,
        title=title,
        role="decision_maker" if decision_maker else role,
        preferred_channel=channel,
        personal_notes=notes,
        language=language,
    )
    if birthday is not None:
        changes["birthday_md"], changes["birthday_year"] = parse_birthday(birthday, field="--birthday")
    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        person = contacts.resolve_contact(session=session, client_id=target.id, ref=contact)
        updated = contacts.update_contact(
            session=session, contact_id=person.id, add_phones=phone or [], add_emails=email or [], **changes
        )
    if json_output:
        echo_json(updated)
    else:
        typer.echo(
            _("Updated contact {id}: {name} at {client}").format(
                id=updated.id, name=updated.full_name, client=target.name
            )
        )


@contact_app.command(
    "delete",
    help=_("Delete a person who left or was entered by mistake (their phones, e-mails and attendance go too)."),
)
def contact_delete(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    contact: Annotated[str, typer.Argument(help=_("Contact id or part of the name."))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("Delete without asking."))] = False,
) -> None:
    from amtui.commands.common import confirm_delete
    from amtui.services import clients, contacts

    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        person = contacts.resolve_contact(session=session, client_id=target.id, ref=contact)
    confirm_delete(f"{person.full_name} at {target.name}", yes=yes)
    with unit_of_work(ctx) as session:
        gone = contacts.delete_contact(session=session, contact_id=person.id)
    typer.echo(_("Deleted {name} at {client}.").format(name=gone.full_name, client=target.name))


@contact_app.command("list", help=_("The people at a client, decision makers first."))
def contact_list(
    ctx: typer.Context,
    client: Annotated[str, typer.Argument(help=_("Client id or part of its name."))],
    json_output: JsonOption = False,
) -> None:
    from amtui.commands.render import contact_lines
    from amtui.services import clients, contacts

    with unit_of_work(ctx) as session:
        target = clients.resolve_client(session=session, ref=client)
        people = contacts.list_contacts(session=session, client_id=target.id)
    if json_output:
        echo_json(people)
    else:
        typer.echo("\n".join(contact_lines(people)) or _("No contacts yet."))


def search_command(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help=_("Part of a name, e-mail, phone or INN; any case, any script."))],
    json_output: JsonOption = False,
) -> None:
    from amtui.services.search import search

    with reading(ctx) as connection:  # Core only: no SQLModel import
        hits = search(session=connection, text=text)
    if json_output:
        echo_json(hits)
        return
    if not hits:
        typer.echo(_("Nothing matches {text}.").format(text=repr(text)))
        return
    for hit in hits:
        matched = _("  matched {field}").format(field=hit.matched) if hit.matched != "name" else ""
        kind = _("client") if hit.kind == "client" else _("contact") if hit.kind == "contact" else hit.kind
        typer.echo(f"{kind:<8}{hit.id:>6}  {hit.label}" + (f"  ({hit.detail})" if hit.detail else "") + matched)


def register(app: typer.Typer) -> None:
    app.add_typer(client_app, name="client")
    app.add_typer(contact_app, name="contact")
    app.command("search", help=_("Find clients and people (case folded in every script: иванов finds Иванов)."))(
        search_command
    )
