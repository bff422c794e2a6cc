"""A real SMTP server on 127.0.0.1 in the test process (aiosmtpd), the app configured to
send through it, and the outings world."""

import pytest

from outreach.core.clock import set_now
from tests.mailserver import SmtpServer
from tests.outing_helpers import make_world


@pytest.fixture
def world(app):
    return make_world()


@pytest.fixture(autouse=True)
def real_clock():
    """Tests move the clock with set_now(); each starts and ends on the real one."""
    set_now(None)
    yield
    set_now(None)


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
