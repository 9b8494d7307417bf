"""Outgoing mail: a small sender interface, a logging sender and an SMTP sender.

``MAIL_BACKEND=log`` (the default) is for development: it writes each mail,
links and tokens included, to the log, where a developer can follow a password
reset link. In production it logs only that a mail was not sent, never its
body, since a reset link in the logs would let anyone who reads them take the
account over. ``MAIL_BACKEND=smtp`` sends mail through ``SMTP_HOST`` with
aiosmtplib.
"""

from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import structlog

from app.core.config import Settings

logger = structlog.get_logger(__name__)


class MailSender(Protocol):
    """Something that delivers an email message."""

    async def send(self, message: EmailMessage) -> None:
        """Deliver ``message``."""


class LoggingMailSender:
    """Writes mails to the log instead of sending them; for development.

    Args:
        production: Leave the body out, which may hold a secret link.
    """

    def __init__(self, *, production: bool) -> None:
        self.production = production

    async def send(self, message: EmailMessage) -> None:
        """Log ``message``: in full outside production, its subject only in it."""
        if self.production:
            logger.warning(
                "mail_not_sent",
                subject=message["Subject"],
                reason="MAIL_BACKEND=log; set MAIL_BACKEND=smtp to deliver mail",
            )
            return
        logger.info(
            "mail_logged",
            to=message["To"],
            subject=message["Subject"],
            body=message.get_content(),
        )


class SmtpMailSender:
    """Sends mails through the SMTP server the settings name.

    Args:
        settings: Settings holding the server, credentials and TLS mode.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        """Send ``message``.

        Raises:
            aiosmtplib.SMTPException: The server refused the message.
        """
        settings = self.settings
        password = settings.smtp_password
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=password.get_secret_value() if password else None,
            use_tls=settings.smtp_tls,
            start_tls=settings.smtp_starttls and not settings.smtp_tls,
        )


def create_mail_sender(settings: Settings) -> MailSender:
    """The sender ``MAIL_BACKEND`` selects.

    Args:
        settings: The application settings.

    Returns:
        An SMTP sender, or the logging sender.
    """
    if settings.mail_backend == "smtp":
        return SmtpMailSender(settings)
    return LoggingMailSender(production=settings.is_production)


def compose(settings: Settings, *, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from ``MAIL_FROM``.

    Args:
        settings: Settings holding the sender address.
        to: The recipient.
        subject: The subject line.
        body: The text.

    Returns:
        The message, ready for :meth:`MailSender.send`.
    """
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message
