"""Mail senders: the logging sender keeps secrets out of production logs, the
SMTP sender hands the message to aiosmtplib with the configured server.
"""

import logging
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import pytest
from pydantic import SecretStr

from app.core.config import Settings
from app.core.mail import (
    LoggingMailSender,
    SmtpMailSender,
    compose,
    create_mail_sender,
)

SECRET_LINK = "https://app.example/reset?token=very-secret-token"


def reset_mail(settings: Settings) -> EmailMessage:
    """A mail carrying a secret link."""
    return compose(
        settings, to="ada@example.com", subject="Reset", body=f"Open {SECRET_LINK}"
    )


async def test_the_logging_sender_shows_the_mail_in_development(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    await LoggingMailSender(production=False).send(reset_mail(settings))

    assert SECRET_LINK in caplog.text


async def test_the_logging_sender_never_logs_the_body_in_production(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Given the logging sender in production / When a reset mail is "sent"
    caplog.set_level(logging.DEBUG)
    await LoggingMailSender(production=True).send(reset_mail(settings))

    # Then a warning says it was not sent, and the link is nowhere in the logs
    assert "mail_not_sent" in caplog.text
    assert "very-secret-token" not in caplog.text


async def test_the_smtp_sender_uses_the_configured_server(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given SMTP settings, and aiosmtplib's send recorded instead of connecting
    calls: list[tuple[EmailMessage, dict[str, Any]]] = []

    async def record(message: EmailMessage, **options: Any) -> None:
        calls.append((message, options))

    monkeypatch.setattr(aiosmtplib, "send", record)
    smtp = settings.model_copy(
        update={
            "mail_backend": "smtp",
            "smtp_host": "mail.example",
            "smtp_port": 2525,
            "smtp_username": "app",
            "smtp_password": SecretStr("smtp-secret"),
        }
    )
    sender = create_mail_sender(smtp)
    assert isinstance(sender, SmtpMailSender)

    # When a mail is sent
    message = reset_mail(smtp)
    await sender.send(message)

    # Then it went to that server, with STARTTLS and the credentials
    [(sent, options)] = calls
    assert sent is message
    assert sent["From"] == smtp.mail_from
    assert options == {
        "hostname": "mail.example",
        "port": 2525,
        "username": "app",
        "password": "smtp-secret",
        "use_tls": False,
        "start_tls": True,
    }


def test_the_logging_sender_is_the_default(settings: Settings) -> None:
    assert isinstance(create_mail_sender(settings), LoggingMailSender)
