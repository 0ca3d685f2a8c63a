"""The digest by mail, delivered to a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from amtui.services import clients, records

TODAY = date(2026, 11, 25)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("AMTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AMTUI_SMTP_PORT", str(port))
    monkeypatch.setenv("AMTUI_MAIL_FROM", "amtui@example.org")
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def owed(session) -> int:  # type: ignore[no-untyped-def]
    client = clients.create_client(session=session, name="ООО «Ромашка»")
    invoice = records.create_invoice(
        session=session, client_id=client.id, number="СЧ-7", issued_on=TODAY - timedelta(days=30),
        due_on=TODAY - timedelta(days=12), amount_minor=412_500_00,
    )  # fmt: skip
    session.commit()
    return invoice.id


def test_digest_arrives_with_subject_recipients_and_both_parts(cli, smtp: Inbox, owed: int) -> None:  # type: ignore[no-untyped-def]
    result = cli("digest", "--mail-to", "kam@example.com", "--mail-to", "boss@example.com")
    assert result.exit_code == 0, result.output
    assert result.output == ""  # cron mails nothing extra
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["kam@example.com", "boss@example.com"]
    assert message["Subject"] == "amtui digest 25.11.2026: 2 alerts"
    assert message["From"] == "amtui@example.org"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    page = message.get_body(preferencelist=("html",))
    assert text is not None and page is not None
    assert "1 overdue invoice, 412 500 RUB" in text.get_content()
    assert "\x1b" not in text.get_content()
    assert "<h2" in page.get_content() and "ООО «Ромашка»" in page.get_content()


def test_mail_failure_exits_3_and_still_writes_the_output(cli, owed: int, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AMTUI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("AMTUI_SMTP_PORT", str(_free_port()))  # nobody listens there
    target = tmp_path / "digest.md"
    result = cli("digest", "--format", "markdown", "--output", str(target), "--mail-to", "kam@example.com")
    assert result.exit_code == 3
    assert "amtui: error: cannot send mail via 127.0.0.1:" in result.output
    assert "Traceback" not in result.output
    assert "412 500 RUB" in target.read_text(encoding="utf-8")


def test_bad_recipient_is_refused_before_any_work(cli, smtp: Inbox) -> None:  # type: ignore[no-untyped-def]
    result = cli("digest", "--mail-to", "not-an-address")
    assert result.exit_code == 1
    assert "--mail-to" in result.output and "not an e-mail address" in result.output
    assert smtp.messages == []


def test_login_needs_the_password_from_the_environment(cli, smtp: Inbox, owed: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AMTUI_SMTP_USER", "kam")
    monkeypatch.delenv("AMTUI_SMTP_PASSWORD", raising=False)
    result = cli("digest", "--mail-to", "kam@example.com")
    assert result.exit_code == 3
    assert "AMTUI_SMTP_PASSWORD is not set" in result.output
    assert smtp.messages == []
