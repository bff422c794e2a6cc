"""Issue 17, "Done when" for outings, in a real browser against a server that sends mail
to a real SMTP server in the test process (aiosmtpd):

- expert1, on a 360×740 phone, goes out alone from her home page (her usual area is
  chosen already), back in one minute;
- `outreach notify` runs with the clock moved past the first grace (TYOPARI_NOW): pro1
  sees the alert on her home page and the e-mail has arrived;
- `outreach notify` runs past the second grace: the supervisor gets an e-mail and sees on
  her home page the expert's name and the area, nothing else;
- expert1 taps "I'm back" (the check-in is offered): the alert is gone for pro1 and for
  the supervisor.

Every page reached passes axe and is handed to the HTML5 check.
"""

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from outreach.core.clock import utcnow
from tests.e2e.conftest import (
    ROOT,
    VIEWPORTS,
    _free_port,
    _server_log,
    checked,
    clock_env,
    flash,
    t,
    visit,
)
from tests.mailserver import SmtpServer

expect.set_options(timeout=10_000)

LANG = "en"
EXPERT = "Eeva Kokemusasiantuntija"
AREA = "Kallio"
HOME = re.compile(r"^https?://[^/]+/(\?.*)?(#.*)?$")
OUTREACH = str(Path(sys.executable).parent / "outreach")


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory):
    """The demo under `outreach run`, configured to send through a test SMTP server."""
    smtp = SmtpServer()
    smtp.start()
    tmp = tmp_path_factory.mktemp("outings-e2e")
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "TEST_DATABASE_URL", "E2E_DATABASE_URL"}}
    env.update(SECRET_KEY=secrets.token_hex(32), INSTANCE_PATH=str(tmp / "instance"),
               DATABASE_URL=f"sqlite:///{tmp / 'outings.db'}", SMTP_URL=smtp.url,
               LOGIN_LIMIT_PER_ADDRESS="1000 per minute",
               LOGIN_LIMIT_PER_ACCOUNT="1000 per minute", PYTHONUNBUFFERED="1")
    subprocess.run([OUTREACH, "demo", "--no-serve"], env=clock_env(env), cwd=ROOT, check=True,
                   capture_output=True, timeout=180)
    port = _free_port()
    log_path = tmp / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [OUTREACH, "run", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=clock_env(env), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        import time
        import urllib.request

        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=2):  # noqa: S310
                    break
            except OSError:
                assert server.poll() is None, _server_log(log_path)
                time.sleep(0.1)
        yield base, env, smtp
    finally:
        server.terminate()
        server.wait(timeout=10)
        smtp.stop()


@pytest.fixture(scope="module")
def base_url(mail_server):
    return mail_server[0]


@pytest.fixture(scope="module")
def browser_context_args(mail_server):
    """This journey's own server (the shared demo server sends no mail)."""
    return {"base_url": mail_server[0]}


def _notify(env, moment) -> str:
    """`outreach notify` as cron would run it, on a clock moved to `moment`."""
    done = subprocess.run([OUTREACH, "notify"], env={**env, "TYOPARI_NOW": moment.isoformat()},
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _sign_in(page, email):
    visit(page, f"/login?lang={LANG}")
    page.get_by_label(t(LANG, "Email"), exact=True).fill(email)
    page.get_by_label(t(LANG, "Password"), exact=True).fill("demo-pass-2026")
    page.get_by_role("button", name=t(LANG, "Sign in"), exact=True).click()
    page.wait_for_url(HOME)


def test_an_overdue_outing_reaches_the_partner_then_the_supervisor(mail_server, new_context):
    base, env, smtp = mail_server

    def outing_mail(address: str) -> list:
        # Past 07:00 in Helsinki the same runs also send the day's digests: not this
        # journey's concern (tests/mail has theirs).
        return [m for m in smtp.inbox.to(address) if EXPERT in m["Subject"]]

    expert1 = new_context(**VIEWPORTS["phone"]).new_page()
    _sign_in(expert1, "expert1@demo.test")
    # Going out: her home's button, her usual area chosen already, back in a minute.
    expert1.get_by_role("link", name=t(LANG, "Going out"), exact=True).tap()
    expect(expert1.get_by_role("heading", name=t(LANG, "Going out"), exact=True)).to_be_visible()
    expect(expert1.get_by_label(AREA, exact=True)).to_be_checked()
    checked(expert1, phone=True)
    back = (utcnow() + timedelta(minutes=1)).astimezone(ZoneInfo("Europe/Helsinki"))
    expert1.get_by_label(t(LANG, "Or back by (time)"), exact=True).fill(back.strftime("%H:%M"))
    expert1.get_by_role("button", name=t(LANG, "Start the outing"), exact=True).tap()
    expert1.wait_for_url(HOME)
    expect(flash(expert1)).to_contain_text(AREA)
    expect(expert1.get_by_role("button", name=t(LANG, "I'm back"), exact=True)).to_be_visible()
    checked(expert1, phone=True)

    # Past the first grace: the partner's alert, on her home and by e-mail.
    started = utcnow()
    _notify(env, started + timedelta(minutes=35))
    [alert] = outing_mail("pro1@demo.test")
    assert EXPERT in alert["Subject"]
    pro1 = new_context().new_page()
    _sign_in(pro1, "pro1@demo.test")
    banner = pro1.locator("#outing-alerts")
    expect(banner).to_contain_text(t(LANG, "Your partner has not come back"))
    expect(banner).to_contain_text(f"{EXPERT} went to {AREA}")
    checked(pro1)
    assert outing_mail("supervisor@demo.test") == []

    # Past the second grace, counted from the partner's alert: the supervisor.
    _notify(env, started + timedelta(minutes=35 + 31))
    [escalated] = outing_mail("supervisor@demo.test")
    assert EXPERT in escalated["Subject"]
    supervisor = new_context().new_page()
    _sign_in(supervisor, "supervisor@demo.test")
    panel = supervisor.locator("#outings-overdue")
    expect(panel).to_contain_text(t(LANG, "Overdue outings"))
    item = panel.locator("li")
    expect(item).to_have_count(1)
    expect(item).to_have_text(re.compile(rf"^{EXPERT} in {AREA}, expected back [^.]+\.$"))
    checked(supervisor)

    # I'm back: one tap, the check-in offered; the alerts are gone.
    expert1.get_by_role("button", name=t(LANG, "I'm back"), exact=True).tap()
    expect(expert1.get_by_role("heading", name=t(LANG, "Welcome back"))).to_be_visible()
    expect(expert1.get_by_role("link", name=t(LANG, "How did it feel? Record a check-in"))
           ).to_be_visible()
    checked(expert1, phone=True)
    pro1.reload()
    expect(pro1.locator("#outing-alerts")).to_have_count(0)
    expect(pro1.locator("#outings")).not_to_contain_text(EXPERT)
    supervisor.reload()
    expect(supervisor.locator("#outings-overdue")).to_have_count(0)
    checked(supervisor, axe=False)
