"""Sending the digest by SMTP: plain text with an HTML alternative (smtplib + email.message).

Settings come from ``amtui.config.load_settings().mail`` (config file ``[mail]``
or ``AMTUI_SMTP_*``/``AMTUI_MAIL_FROM``; the password from the environment only).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from amtui.config import MailSettings
from amtui.i18n import _
from amtui.services.errors import AmtuiError, ValidationError
from amtui.services.text import check_email


class MailError(AmtuiError):
    """The message could not be handed to the SMTP server."""


def build_message(
    *, sender: str, recipients: Sequence[str], subject: str, text: str, html: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def parse_recipients(values: Sequence[str]) -> list[str]:
    """Addresses from ``--mail-to`` (repeatable, or comma-separated), checked."""
    recipients = [part.strip() for value in values for part in value.split(",") if part.strip()]
    if not recipients:
        raise ValidationError(_("give at least one address"), field="--mail-to")
    return [check_email(address, field="--mail-to") for address in recipients]


def send_message(message: EmailMessage, settings: MailSettings) -> None:
    """Deliver through the configured server; any failure becomes one MailError sentence."""
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                if not settings.password:
                    raise MailError(
                        _("mail.user is {user} but AMTUI_SMTP_PASSWORD is not set").format(user=repr(settings.user))
                    )
                client.login(settings.user, settings.password)
            refused = client.send_message(message)
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            _("cannot send mail via {where}: login refused ({exc})").format(where=where, exc=_reply(exc))
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(
            _("cannot send mail via {where}: recipients refused: {recipients}").format(
                where=where, recipients=", ".join(exc.recipients)
            )
        ) from None
    except smtplib.SMTPException as exc:
        raise MailError(_("cannot send mail via {where}: {exc}").format(where=where, exc=_reply(exc))) from None
    except ssl.SSLError as exc:
        raise MailError(
            _("cannot send mail via {where}: TLS failed ({reason_or_exc})").format(
                where=where, reason_or_exc=exc.reason or exc
            )
        ) from None
    except OSError as exc:
        raise MailError(
            _("cannot send mail via {where}: {strerror_or_exc}").format(
                where=where, strerror_or_exc=exc.strerror or exc
            )
        ) from None
    if refused:
        raise MailError(
            _("mail sent via {where}, but these recipients were refused: {refused}").format(
                where=where, refused=", ".join(refused)
            )
        )


def _reply(exc: smtplib.SMTPException) -> str:
    code = getattr(exc, "smtp_code", None)
    error = getattr(exc, "smtp_error", None)
    if code and error:
        text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        return f"{code} {text}"
    return str(exc) or type(exc).__name__


def send_digest_mail(
    *, settings: MailSettings, recipients: Sequence[str], subject: str, text: str, html: str
) -> EmailMessage:
    message = build_message(sender=settings.sender, recipients=recipients, subject=subject, text=text, html=html)
    send_message(message, settings)
    return message
