"""The pages everyone opens run at most ten SQL statements, and the same number whatever
the data: her page, the home page of each role and the funder report (issue 15; `make
bench` measures the same pages). Each page is counted with one record of every kind that
shows on it, then with five."""

from datetime import timedelta

import pytest

from outreach.clients.models import Client
from outreach.consultations.models import Consultation
from outreach.contacts.choices import Participants
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.feedback.models import FeedbackKind
from outreach.steps.choices import ChallengeStatus
from outreach.steps.models import Decision
from tests import factories

MOST = 10


def add_records(world) -> None:
    """One more of every kind her page and the home pages show, for our pair and her."""
    her, pair = world.client, world.pair
    today = local_today()
    service = factories.make_service()
    factories.make_consent(her, given_on=today - timedelta(days=1), services=[service],
                           share_organisations=[service])
    factories.make_mapping(her)
    challenge = factories.make_challenge(her)
    factories.make_step(challenge)
    factories.make_step(challenge, decision=Decision.AGREED)
    factories.make_challenge(her, status=ChallengeStatus.RESOLVED)
    task = factories.make_task(pair, due_on=today - timedelta(days=2))
    factories.make_task(pair, client_id=her.id, due_on=today + timedelta(days=1))
    factories.make_proposal(task, note="Siirretäänkö?")
    for who in (pair.professional, pair.expert):
        factories.make_contact(her, by=who)
    factories.make_contact(her, contacted_at=utcnow() - timedelta(days=40))
    factories.make_accompaniment(her, service=service)
    factories.make_accompaniment(her, service=service,
                                 planned_at=utcnow() - timedelta(hours=3),
                                 who_went=Participants.BOTH)
    factories.make_accompaniment(her, service=service, took_place_at=utcnow() - timedelta(days=2),
                                 outcome="done")
    factories.make_network_contact(her, service=service)
    quiet = factories.make_client(pair)  # not reached in the pair's days
    quiet.last_record_at = utcnow() - timedelta(days=60)
    factories.make_client(pair, merged_into_id=her.id)
    now = utcnow()
    db.session.add(Consultation(client_id=her.id, pair_id=pair.id,
                                supervisor_id=pair.supervisor_id,
                                opened_by_id=pair.professional_id, reason="Tuki",
                                opened_at=now, ends_at=now + timedelta(days=3)))
    db.session.commit()
    factories.make_meeting(pair, held_on=today - timedelta(days=60))
    factories.make_checkin(pair)
    factories.make_feedback(pair, pair.expert, kind=FeedbackKind.ASK)
    factories.make_feedback(pair, pair.professional, kind=FeedbackKind.ASK)
    factories.make_round(pair)


PAGES = {
    "her page": ("professional", lambda world: f"/clients/{world.client.id}"),
    "her page, expert": ("expert", lambda world: f"/clients/{world.client.id}"),
    "her page, supervisor in a consultation": ("supervisor",
                                               lambda world: f"/clients/{world.client.id}"),
    "home, professional": ("professional", lambda world: "/"),
    "home, experience expert": ("expert", lambda world: "/"),
    "home, supervisor": ("supervisor", lambda world: "/"),
    "home, administrator": ("admin", lambda world: "/"),
    "funder report, supervisor": ("supervisor",
                                  lambda world: f"/reports/funder?year={local_today().year}"),
    "funder report, administrator": ("admin",
                                     lambda world: f"/reports/funder?year={local_today().year}"),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_runs_at_most_ten_queries_whatever_the_data(client, world, sign_in,
                                                             count_queries, page):
    who, url_of = PAGES[page]
    sign_in(world.actor(who))
    url = url_of(world)

    def queries() -> list[str]:
        client.get(url)  # warm-up: the first request of a session loads more
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        return statements

    add_records(world)
    one = queries()
    for _ in range(4):
        add_records(world)
    five = queries()
    assert len(five) <= MOST, "\n".join(five)
    assert len(five) == len(one), "\n".join(five)


def test_her_page_shows_what_it_loads_with_her(client, world, sign_in):
    """What her page loads with her record in one query: the current consent with its
    scope, the merged records' codes, the counts of network contacts and closed challenges."""
    her = world.client
    add_records(world)
    merged = db.session.scalars(
        db.select(Client.code).where(Client.merged_into_id == her.id)).all()
    sign_in(world.professional)
    html = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    for code in merged:
        assert code in html
    assert "Network contacts (1)" in html
    assert "1 closed" in html
