"""Documents for the client in the client's language: the language field, the report, the editable templates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from amtui import i18n
from amtui.services import clients, contacts, interactions, reports
from amtui.services.errors import ValidationError
from amtui.services.reports import NextStepInput
from amtui.services.templates import render_template, template_path, user_templates_dir


def _visit_report(session, now, zone, language: str | None):  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="Ferramenta Rossi S.r.l.", language=language)
    person = contacts.create_contact(session=session, client_id=client.id, full_name="Giulia Bianchi")
    visit = interactions.plan_interaction(session=session, client_id=client.id, kind="visit", at=now)
    saved = reports.save_report(
        session=session,
        interaction_id=visit.id,
        now=now,
        zone=zone,
        attendee_ids=[person.id],
        agenda="Forniture 2027",
        agreements="Sconto 5 % con pagamento anticipato",
        next_steps=[NextStepInput("Inviare l'offerta", owner="Marco", due_on=date(2026, 12, 10))],
    )
    return client, saved


def test_an_italian_client_gets_an_italian_report_from_a_russian_interface(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("ru")
    client, report = _visit_report(session, now, zone, "IT")
    assert client.language == "it" and report.client_language == "it"
    markdown = reports.render_report(report, zone=zone, markdown=True)
    assert markdown == (
        "# Resoconto della visita: Ferramenta Rossi S.r.l., 25/11/2026 09:00\n\n"
        "**Partecipanti:** Giulia Bianchi\n\n"
        "## Ordine del giorno\n\nForniture 2027\n\n"
        "## Accordi\n\nSconto 5 % con pagamento anticipato\n\n"
        "## Prossimi passi\n\n- Inviare l'offerta (Marco, 10/12/2026)\n"
    )
    plain = reports.render_report(report, zone=zone)
    assert plain.startswith("Resoconto della visita: Ferramenta Rossi S.r.l., 25/11/2026 09:00\n=====")
    assert "Partecipanti: Giulia Bianchi\n\nOrdine del giorno:\nForniture 2027" in plain
    assert "Prossimi passi:\n  1. Inviare l'offerta (Marco, 10/12/2026)" in plain
    # The interface stays Russian.
    assert i18n._("Next steps") == "Следующие шаги"


def test_a_russian_client_gets_a_russian_report_and_a_client_without_language_the_interface_one(
    session, now, zone
) -> None:  # type: ignore[no-untyped-def]
    _, report = _visit_report(session, now, zone, "ru")
    markdown = reports.render_report(report, zone=zone, markdown=True)
    assert markdown.startswith("# Отчёт о визите: Ferramenta Rossi S.r.l., 25.11.2026 09:00\n\n**Участники:**")
    for heading in ("## Повестка", "## Договорённости", "## Следующие шаги", "- Inviare l'offerta (Marco, 10.12.2026)"):
        assert heading in markdown
    interface = clients.update_client(session=session, client_id=report.client_id, language=None)
    assert interface.language is None
    i18n.set_language("en")
    english = reports.render_report(reports.get_report(session=session, report_id=report.id), zone=zone)
    assert english.startswith("Visit report: Ferramenta Rossi S.r.l., 25.11.2026 09:00")
    with pytest.raises(ValidationError, match="unknown language 'fr'"):
        clients.update_client(session=session, client_id=report.client_id, language="fr")


def test_the_user_edits_a_template_in_the_config_dir(session, now, zone) -> None:  # type: ignore[no-untyped-def]
    _, report = _visit_report(session, now, zone, "it")
    own = user_templates_dir() / "it" / "report.md"
    own.parent.mkdir(parents=True)
    own.write_text("Buongiorno,\n\necco il resoconto della nostra $kind del $date.\n\n$heading\n\n$next_steps\n\n"
                   "Cordiali saluti\n", encoding="utf-8")  # fmt: skip
    assert template_path("report.md", "it") == own
    text = reports.render_report(report, zone=zone, markdown=True)
    assert text.startswith("Buongiorno,\n\necco il resoconto della nostra Resoconto della visita del 25/11/2026 09:00.")
    assert text.endswith("- Inviare l'offerta (Marco, 10/12/2026)\n\nCordiali saluti\n")
    assert "Accordi" not in text  # the user left the agreements out of their template
    # Other languages keep the shipped default.
    assert reports.render_report(report, zone=zone, markdown=True, language="ru").startswith("# Отчёт о визите")


def test_a_bad_template_is_a_clear_error_naming_the_file() -> None:
    own = user_templates_dir() / "ru" / "birthday.txt"
    own.parent.mkdir(parents=True)
    own.write_text("С днём рождения, $имя_отчество! __import__('os') ${name.upper()}", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"birthday\.txt: .*(unknown field|Invalid placeholder)"):
        render_template("birthday.txt", "ru", name="Анна")
    own.write_text("С днём рождения, $nickname!", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"birthday\.txt: unknown field \$nickname \(this template knows \$name"):
        render_template("birthday.txt", "ru", name="Анна")


def test_shipped_greetings_and_notes_in_three_languages() -> None:
    assert render_template("birthday.txt", "it", name="Giulia", sender="Anna").startswith(
        "Gentile Giulia,\n\ntanti auguri di buon compleanno!"
    )
    assert render_template("birthday.txt", "ru", name="Ирина Сергеевна", sender="Анна").startswith(
        "Ирина Сергеевна, добрый день!\n\nПоздравляю вас с днём рождения!"
    )
    note = render_template("tell_client.txt", "en", name="John", message="The delivery ships on Monday.", sender="A")
    assert note == "Dear John,\n\nThe delivery ships on Monday.\n\nBest regards,\nA\n"
    # Nothing is executed: a field's value is inserted as it is.
    assert "${sender}" in render_template("tell_client.txt", "it", name="x", message="${sender}", sender="y")


def test_client_language_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    added = cli("client", "add", "Ferramenta Rossi", "--language", "it", "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["language"] == "it"
    cli("contact", "add", "rossi", "Giulia Bianchi")
    cli("log", "visit", "rossi")
    written = cli("report", "write", "1", "--agreements", "Prova a gennaio", "--attendee", "giulia")
    assert written.exit_code == 0, written.output
    shown = cli("report", "show", "1", "--markdown")
    assert shown.output.startswith("# Resoconto della visita: Ferramenta Rossi, 25/11/2026 09:00")
    assert "## Accordi\n\nProva a gennaio" in shown.output
    edited = cli("client", "edit", "1", "--language", "ru")
    assert edited.exit_code == 0, edited.output
    assert cli("report", "show", "1").output.startswith("Отчёт о визите: Ferramenta Rossi, 25.11.2026 09:00")
    bad = cli("client", "edit", "1", "--language", "klingon")
    assert bad.exit_code == 1 and "unknown language 'klingon'" in bad.output and "Traceback" not in bad.output


def test_migration_adds_the_language_columns_and_keeps_data(db_path: Path) -> None:
    from amtui.db import current_revision, make_engine, open_engine, upgrade
    from amtui.migrations import SCHEMA_HEAD

    url = f"sqlite:///{db_path}"
    old = make_engine(url)
    upgrade(old, "0004")
    with old.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO client (id, name, name_folded, tier, status, currency, created_at, updated_at)"
                " VALUES (1, 'Ромашка', 'ромашка', 'A', 'active', 'RUB',"
                " '2025-01-01 00:00:00.000000', '2025-01-01 00:00:00.000000')"
            )
        )
    old.dispose()
    engine = open_engine(url)
    assert current_revision(engine) == SCHEMA_HEAD
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name, language FROM client")).one() == ("Ромашка", None)
        assert connection.execute(text("SELECT count(language) FROM contact")).scalar() == 0
    engine.dispose()


def test_greetings_go_out_in_the_contact_or_client_language(session) -> None:  # type: ignore[no-untyped-def]
    from amtui.services.templates import birthday_greeting, contact_language, tell_client_note

    italian = clients.create_client(session=session, name="Bianchi Alimentari S.p.A.", language="it")
    giulia = contacts.create_contact(session=session, client_id=italian.id, full_name="Giulia Bianchi")
    russian = clients.create_client(session=session, name="Ромашка")
    irina = contacts.create_contact(
        session=session, client_id=russian.id, full_name="Лебедева Ирина Викторовна", given_name="Ирина",
        middle_name="Викторовна", family_name="Лебедева",
    )  # fmt: skip
    i18n.set_language("ru")
    assert contact_language(session=session, contact_id=giulia.id) == "it"
    assert contact_language(session=session, contact_id=irina.id) is None  # the interface's
    assert birthday_greeting(session=session, contact_id=giulia.id, sender="Anna").startswith(
        "Gentile Giulia Bianchi,\n\ntanti auguri"
    )
    greeting = birthday_greeting(session=session, contact_id=irina.id, sender="Анна")
    assert greeting.startswith("Ирина Викторовна, добрый день!") and greeting.endswith("С уважением,\nАнна\n")
    # A contact's own language wins over the client's.
    contacts.update_contact(session=session, contact_id=giulia.id, language="en")
    assert tell_client_note(session=session, contact_id=giulia.id, message="Shipped today.", sender="A") == (
        "Dear Giulia Bianchi,\n\nShipped today.\n\nBest regards,\nA\n"
    )


def test_the_client_card_names_the_language_of_documents(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ferramenta Rossi", "--language", "it")
    assert "Documents in:  Italiano" in cli("client", "show", "1").output
    cli("client", "add", "Ромашка")
    assert "Documents in" not in cli("client", "show", "2").output
