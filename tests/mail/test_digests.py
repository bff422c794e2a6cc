"""Digests: each partner's daily counts and the supervisor's weekly figures, received by
the SMTP server in the person's language, as she chose on her profile; administrators get
none; no message names a woman or carries her code."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from outreach.clients.models import Client
from outreach.core.clock import set_now
from outreach.extensions import db
from outreach.feedback.models import FeedbackItem, FeedbackKind
from outreach.mail import digest
from outreach.mail.notify import daily_lines, run, weekly_lines
from outreach.tasks.models import Assignee
from outreach.wellbeing.models import CheckIn
from tests import factories
from tests.mailserver import body_of
from tests.outing_helpers import CLIENT_NAME, sign_in

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = date(2026, 12, 7)
NOON = datetime.combine(MONDAY, time(12), tzinfo=HELSINKI)


def _fill(world):
    """Known work for the pair: see the expected counts below."""
    set_now(NOON)
    pair = world.pair
    world.professional.language, world.expert.language = "sv", "en"
    world.supervisor.language = "fi"
    for assignee, days in ((Assignee.PROFESSIONAL, 2), (Assignee.PAIR, 1),
                           (Assignee.EXPERT, 3), (Assignee.EXPERT, 1), (Assignee.EXPERT, -2)):
        factories.make_task(pair, assignee=assignee, due_on=MONDAY - timedelta(days=days))
    quiet = factories.make_client(pair, name="Hiljainen Nainen",
                                  created_at=NOON - timedelta(days=400))
    factories.make_contact(quiet, contacted_at=NOON - timedelta(days=399))  # long ago
    factories.make_accompaniment(world.client, planned_at=NOON + timedelta(hours=3))
    factories.make_accompaniment(world.client)  # tomorrow: not today's
    factories.make_contact(world.client, contacted_at=NOON - timedelta(days=5))  # last week
    db.session.add_all([
        FeedbackItem(pair_id=pair.id, author_id=pair.expert_id, kind=FeedbackKind.ASK,
                     situation="Kela", body="Miten meni?"),
        CheckIn(pair_id=pair.id, expert_id=pair.expert_id, strain=5, note="raskas"),
        CheckIn(pair_id=pair.id, expert_id=pair.expert_id, strain=4),
    ])
    db.session.commit()


PRO_COUNTS = {"overdue_tasks": 2, "accompaniments_today": 1, "not_reached": 1,
              "asks_waiting": 1, "checkins_waiting": 2}
EXPERT_COUNTS = {"overdue_tasks": 3, "accompaniments_today": 1, "not_reached": 1,
                 "asks_waiting": 0, "checkins_waiting": 2}


def _lines(app, language, lines_of, counts) -> list[str]:
    with app.test_request_context("/"), force_locale(language):
        return lines_of(counts)


def test_each_role_gets_its_digest_in_her_language(app, world, smtp):
    _fill(world)
    assert digest.partner_counts(world.professional, MONDAY) == PRO_COUNTS
    assert digest.partner_counts(world.expert, MONDAY) == EXPERT_COUNTS
    result = run()
    assert result["failed"] == 0
    [pro] = smtp.inbox.to(world.professional.email)
    [expert] = smtp.inbox.to(world.expert.email)
    [weekly] = smtp.inbox.to(world.supervisor.email)
    assert smtp.inbox.to(world.admin.email) == []
    for line in _lines(app, "sv", daily_lines, PRO_COUNTS):
        assert line in body_of(pro)
    for line in _lines(app, "en", daily_lines, EXPERT_COUNTS):
        assert line in body_of(expert)
    assert "Försenade uppgifter: 2" in body_of(pro)
    assert "Overdue tasks: 3" in body_of(expert)
    figures = {"contacts": 1, "accompaniments": 0, "hours": 0.2, "active_clients": 2,
               "not_reached": 1, "open_tasks": 5, "overdue_tasks": 4, "checkins_waiting": 2}
    text = body_of(weekly)
    assert world.pair.label in text and world.other_pair.label not in text
    for line in _lines(app, "fi", weekly_lines, figures):
        assert line in text, (line, text)
    assert "Kontaktit: 1" in text
    # Counts only: no woman's name or code, no note, no strain.
    names = [(c.name, c.code) for c in db.session.scalars(sa.select(Client))]
    for message in smtp.inbox.messages:
        content = message["Subject"] + body_of(message)
        for name, code in names:
            assert name not in content and code not in content
        for private in ("raskas", "Miten meni", "Kela"):
            assert private not in content
    # Once a day, once a week.
    assert run()["sent"] == 0
    set_now(NOON + timedelta(days=1))
    run()
    assert len(smtp.inbox.to(world.professional.email)) == 2
    assert len(smtp.inbox.to(world.supervisor.email)) == 1


def test_no_digest_before_the_hour(world, smtp):
    _fill(world)
    set_now(datetime.combine(MONDAY, time(6, 59), tzinfo=HELSINKI))
    assert run()["sent"] == 0


@pytest.mark.parametrize("role", ["professional", "supervisor"])
def test_her_choice_on_the_profile_is_honoured(client, world, smtp, role):
    _fill(world)
    user = getattr(world, role)
    sign_in(client, user)
    profile = client.get("/profile?lang=en").get_data(as_text=True)
    assert "Messages by e-mail" in profile
    assert client.post("/profile/messages", data={}).status_code == 302  # both unticked
    run()
    assert smtp.inbox.to(user.email) == []
    assert client.post("/profile/messages", data={"daily_digest": "y", "weekly_digest": "y"}
                       ).status_code == 302
    set_now(NOON + timedelta(days=1))
    run()
    assert len(smtp.inbox.to(user.email)) == 1


def test_the_administrator_has_no_digest_to_choose(client, world):
    sign_in(client, world.admin)
    assert "Messages by e-mail" not in client.get("/profile?lang=en").get_data(as_text=True)
    assert client.post("/profile/messages", data={}).status_code == 404


def test_no_demo_client_in_any_message(app, smtp):
    """The demo's data, a Monday morning with an outing overdue past both graces: every
    message checked against every client of the demo."""
    from outreach import demo
    from outreach.outings.models import Outing

    set_now(datetime.combine(MONDAY, time(9), tzinfo=HELSINKI))
    demo.load()
    outing = db.session.scalar(sa.select(Outing))
    outing.returned_at = None
    outing.partner_alerted_at = None
    outing.set_return(NOON - timedelta(hours=5), 30)
    db.session.commit()
    run()
    set_now(datetime.combine(MONDAY, time(10), tzinfo=HELSINKI))
    run()
    kinds = {key.split(":")[0] for key in smtp.inbox.sent_keys()}
    assert kinds == {"outing", "daily", "weekly"}, smtp.inbox.sent_keys()
    assert len([k for k in smtp.inbox.sent_keys() if k.startswith("outing")]) == 2
    clients = [(c.name, c.code) for c in db.session.scalars(sa.select(Client))]
    assert len(clients) > 10
    for message in smtp.inbox.messages:
        content = message["Subject"] + body_of(message)
        for name, code in clients:
            assert name not in content, (name, message["Subject"])
            assert code not in content
    assert CLIENT_NAME  # (the outings world's client is not in the demo)
