"""A real SMTP server on 127.0.0.1 in the test process (aiosmtpd), the app configured to
send through it, and the outings world."""

import pytest

from tests.mailserver import SmtpServer
from tests.outing_helpers import real_clock, world  # noqa: F401 - the outings world


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp):
    return {"SMTP_URL": smtp.url, "MAIL_FROM": "Työpari <tyopari@example.test>",
            "BASE_URL": "https://tyopari.example.test"}
