"""`outreach notify` through a real SMTP server: outing alerts to the partner, then the
supervisor; an extended outing alerts again only after its new time; a failed send is
recorded and sent by the next run; each message once."""

from datetime import timedelta

import sqlalchemy as sa

from outreach.core.clock import set_now, utcnow
from outreach.extensions import db
from outreach.mail.models import MailMessage
from outreach.mail.notify import run
from outreach.outings import queries as outings
from outreach.outings.models import Outing, aware
from tests.mailserver import body_of
from tests.outing_helpers import CLIENT_NAME, go_out

# Before the digests' hour: only alerts are due.
EARLY = "2026-12-07T03:00:00+02:00"


def _outing(outing_id: int) -> Outing:
    db.session.expire_all()
    return db.session.get(Outing, outing_id)


def test_alerts_reach_the_partner_then_the_supervisor(world, smtp):
    set_now(EARLY)
    outing = go_out(world, minutes=10)
    assert run()["sent"] == 0
    set_now(aware(outing.partner_due_at) + timedelta(seconds=1))
    assert run()["sent"] == 1
    assert run()["sent"] == 0  # sent once
    [alert] = smtp.inbox.to(world.professional.email)
    assert world.expert.name in alert["Subject"]
    text = body_of(alert)
    assert "Kallio" in text and "https://tyopari.example.test/" in text
    assert CLIENT_NAME not in text and world.client.code not in text
    # The second grace counts from the partner's alert.
    alerted = aware(_outing(outing.id).partner_alerted_at)
    set_now(alerted + timedelta(minutes=29))
    assert run()["sent"] == 0
    set_now(alerted + timedelta(minutes=30, seconds=1))
    assert run()["sent"] == 1
    [escalated] = smtp.inbox.to(world.supervisor.email)
    text = body_of(escalated)
    assert world.expert.name in text and "Kallio" in text
    assert CLIENT_NAME not in text and world.client.code not in text
    assert smtp.inbox.to(world.other_supervisor.email) == []
    assert run()["sent"] == 0


def test_back_in_time_no_alert(world, smtp):
    set_now(EARLY)
    outing = go_out(world, minutes=10)
    outings.come_back(outing)
    db.session.commit()
    set_now(aware(outing.partner_due_at) + timedelta(hours=1))  # still before 7
    assert run()["sent"] == 0 and smtp.inbox.messages == []


def test_an_extended_outing_alerts_again_only_after_its_new_time(world, smtp):
    set_now(EARLY)
    outing = go_out(world, minutes=10)
    set_now(aware(outing.partner_due_at) + timedelta(seconds=1))
    run()
    assert len(smtp.inbox.messages) == 1
    outing = _outing(outing.id)
    outings.extend(outing, utcnow() + timedelta(minutes=60))
    db.session.commit()
    new_due = aware(_outing(outing.id).partner_due_at)
    set_now(new_due - timedelta(minutes=1))
    assert run()["sent"] == 0
    set_now(new_due + timedelta(seconds=1))
    assert run()["sent"] == 1
    assert smtp.inbox.sent_keys() == [f"outing:{outing.id}:1:partner",
                                 f"outing:{outing.id}:2:partner"]


def test_smtp_down_the_next_run_sends_what_failed(world, smtp):
    set_now(EARLY)
    outing = go_out(world, minutes=10)
    smtp.stop()
    set_now(aware(outing.partner_due_at) + timedelta(seconds=1))
    assert run()["failed"] == 1
    db.session.expire_all()
    [message] = db.session.scalars(sa.select(MailMessage))
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert run()["failed"] == 1  # still down: recorded again, not lost
    smtp.start()
    result = run()
    assert (result["sent"], result["failed"]) == (1, 0)
    assert smtp.inbox.sent_keys() == [f"outing:{outing.id}:1:partner"]
    db.session.expire_all()
    message = db.session.scalar(sa.select(MailMessage))
    assert message.sent_at is not None and message.attempts == 3
    assert run()["sent"] == 0


def test_without_smtp_url_messages_go_to_the_log_and_the_admin_page(app, world, smtp, client):
    from tests.outing_helpers import sign_in

    app.config["SMTP_URL"] = ""
    set_now(EARLY)
    outing = go_out(world, minutes=10)
    set_now(aware(outing.partner_due_at) + timedelta(seconds=1))
    assert run()["sent"] == 1
    assert smtp.inbox.messages == []
    sign_in(client, world.admin)
    page = client.get("/admin/messages?lang=en").get_data(as_text=True)
    assert world.expert.name in page and world.professional.email in page
    assert "Logged" in page
    sign_in(client, world.supervisor)
    assert client.get("/admin/messages").status_code == 403
