"""Sending one message: SMTP when SMTP_URL is set (smtp://user:pass@host:port, STARTTLS
when the server offers it; smtps:// for TLS from the start), else the log."""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app

log = logging.getLogger("outreach.mail")
TIMEOUT_SECONDS = 20


class SendFailed(Exception):
    pass


def configured() -> bool:
    return bool(current_app.config.get("SMTP_URL"))


def build(to: str, subject: str, body: str, key: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="tyopari.invalid")
    message["Auto-Submitted"] = "auto-generated"
    message["X-Tyopari-Key"] = key
    message.set_content(body)
    return message


def send(to: str, subject: str, body: str, key: str) -> str:
    """Send, or write to the log: returns the transport used; raises SendFailed."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        log.info("Message %s to %s (no SMTP_URL: logged only)\nSubject: %s\n\n%s",
                 key, to, subject, body)
        return "log"
    message = build(to, subject, body, key)
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port
    try:
        if parts.scheme == "smtps":
            server = smtplib.SMTP_SSL(host, port or 465, timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port or 587, timeout=TIMEOUT_SECONDS)
        with server:
            server.ehlo()
            if parts.scheme != "smtps" and server.has_extn("starttls"):
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
            if parts.username:
                server.login(unquote(parts.username), unquote(parts.password or ""))
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailed(f"{type(error).__name__}: {error}"[:500]) from error
    return "smtp"
