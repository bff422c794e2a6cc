"""Writes sent later from a phone (issue 16): the replay key makes one record whatever the
number of sends, the first result answers a repeat, the time is the tap's and must be in
range, and a refusal on arrival says why."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.consents.models import Consent, WithdrawalEffect
from outreach.contacts.models import Contact
from outreach.core.clock import utcnow
from outreach.core.time import aware, local_today
from outreach.encounters.models import AnonymousEncounter
from outreach.extensions import db
from outreach.offline.models import ReplayKey
from outreach.outings.demo import load_areas
from outreach.tasks.models import Task, TaskStatus
from outreach.wellbeing.models import CheckIn
from tests import factories
from tests.helpers import count, fresh, rows, sign_in
from tests.world import make_world


@pytest.fixture
def world(app):
    return make_world()


def send(http, url, key, data=None, tapped=None):
    body = dict(data or {})
    if tapped is not None:
        body["tapped_at"] = tapped.isoformat()
    return http.post(url + "?lang=en", data=body, headers={"X-Replay-Key": key})


def quick(world):
    return f"/clients/{world.client.id}/contacts/quick"


def test_the_same_key_twice_makes_one_record_and_answers_the_first_result(client, world):
    sign_in(client, world.expert)
    key = str(uuid.uuid4())
    first = send(client, quick(world), key, {"channel": "street"})
    assert first.status_code == 200
    answer = first.get_json()
    assert answer["ok"] is True and answer["replayed"] is False
    assert answer["message"] == "Logged: Street outreach, 15 min, the experience expert."
    again = send(client, quick(world), key, {"channel": "phone"})
    assert again.status_code == 200
    repeat = again.get_json()
    assert repeat["replayed"] is True
    assert (repeat["message"], repeat["location"]) == (answer["message"], answer["location"])
    [contact] = rows(Contact)
    assert contact.channel == "street"
    assert count(ReplayKey) == 1


def test_another_users_same_key_is_a_write_of_its_own(client, world):
    key = str(uuid.uuid4())
    sign_in(client, world.expert)
    send(client, quick(world), key, {"channel": "street"})
    sign_in(client, world.pair.professional)
    response = send(client, quick(world), key, {"channel": "phone"})
    assert response.get_json()["replayed"] is False
    assert sorted(c.channel for c in rows(Contact)) == ["phone", "street"]


def test_the_record_takes_the_moment_she_tapped(client, world):
    sign_in(client, world.expert)
    tapped = (utcnow() - timedelta(hours=2)).replace(microsecond=0)
    send(client, quick(world), str(uuid.uuid4()), {"channel": "street"}, tapped=tapped)
    [contact] = rows(Contact)
    assert aware(contact.contacted_at) == tapped
    assert aware(fresh(Client, world.client.id).last_contact_at) == tapped


@pytest.mark.parametrize(("shift", "words"), [
    (timedelta(hours=1), "is in the future"),
    (-timedelta(hours=13), "more than 12 hours ago"),
])
def test_a_time_in_the_future_or_older_than_the_session_limit_is_refused(
        client, world, shift, words):
    sign_in(client, world.expert)
    response = send(client, quick(world), str(uuid.uuid4()), {"channel": "street"},
                    tapped=utcnow() + shift)
    assert response.status_code == 422
    assert words in response.get_json()["message"]
    assert count(Contact) == 0 and count(ReplayKey) == 0


def test_a_bad_key_is_refused(client, world):
    sign_in(client, world.expert)
    response = send(client, quick(world), "not-a-key", {"channel": "street"})
    assert response.status_code == 422
    assert count(Contact) == 0


def test_her_record_closed_meanwhile_is_refused_with_the_reason(client, world):
    her = db.session.get(Client, world.client.id)
    her.status = ClientStatus.CLOSED
    her.closed_on = local_today()
    db.session.commit()
    sign_in(client, world.expert)
    response = send(client, quick(world), str(uuid.uuid4()), {"channel": "street"})
    assert response.status_code == 409
    assert response.get_json()["message"] == "Her record has been closed."
    assert count(Contact) == 0 and count(ReplayKey) == 0


def test_her_consent_withdrawn_meanwhile_is_refused_with_the_reason(client, world):
    consent = db.session.scalar(sa.select(Consent).where(Consent.client_id == world.client.id))
    consent.withdrawn_on = local_today()
    consent.withdrawn_at = utcnow()
    consent.withdrawal_effect = WithdrawalEffect.KEEP
    db.session.commit()
    sign_in(client, world.expert)
    key = str(uuid.uuid4())
    response = send(client, quick(world), key, {"channel": "street"})
    assert response.status_code == 403
    assert response.get_json()["message"].startswith("Her consent is needed first")
    assert count(Contact) == 0 and count(ReplayKey) == 0


def test_handed_over_to_another_pair_is_refused(client, world):
    sign_in(client, world.expert)
    url = f"/clients/{world.other_client.id}/contacts/quick"
    response = send(client, url, str(uuid.uuid4()), {"channel": "street"})
    assert response.status_code == 404
    assert "no longer open to you" in response.get_json()["message"]


def test_signed_out_the_phone_is_sent_to_sign_in_and_nothing_is_recorded(client, world):
    sign_in(client, None)
    response = send(client, quick(world), str(uuid.uuid4()), {"channel": "street"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count(Contact) == 0


def test_without_the_header_the_quick_log_is_as_before(client, world):
    sign_in(client, world.expert)
    response = client.post(quick(world), data={"channel": "street"})
    assert response.status_code == 302
    assert count(Contact) == 1 and count(ReplayKey) == 0


def test_task_done_checkin_encounter_and_outcome_are_recorded_once(client, world):
    load_areas()  # an encounter's area comes from the administrator's list
    task = factories.make_task(world.pair)
    record = factories.make_accompaniment(world.client,
                                          planned_at=utcnow() - timedelta(hours=3))
    sign_in(client, world.expert)
    tapped = (utcnow() - timedelta(minutes=30)).replace(microsecond=0)
    writes = [
        (f"/tasks/{task.id}/done", {}),
        ("/checkins/new", {"pair_id": world.pair.id, "strain": "3"}),
        ("/encounters/new", {"pair_id": world.pair.id, "met_on": local_today().isoformat(),
                             "area": "Kamppi", "people_count": "1", "age_group": "under_25",
                             "met_by": "expert"}),
        (f"/clients/{world.client.id}/accompaniments/{record.id}/outcome",
         {"outcome": "done", "minutes_spent": "60"}),
    ]
    for url, data in writes:
        key = str(uuid.uuid4())
        for _ in range(2):
            response = send(client, url, key, data, tapped=tapped)
            assert response.status_code == 200, (url, response.get_json())
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.DONE
    assert aware(db.session.get(Task, task.id).done_at) == tapped
    [checkin] = rows(CheckIn)
    assert aware(checkin.created_at) == tapped
    assert count(AnonymousEncounter) == 1
    assert fresh(type(record), record.id).outcome == "done"
    assert count(ReplayKey) == 4


def test_keys_older_than_twice_the_session_limit_are_forgotten(client, world):
    sign_in(client, world.expert)
    old = ReplayKey(user_id=world.expert.id, key=str(uuid.uuid4()), status=200,
                    location="", message="", created_at=utcnow() - timedelta(hours=25))
    recent = ReplayKey(user_id=world.expert.id, key=str(uuid.uuid4()), status=200,
                       location="", message="", created_at=utcnow() - timedelta(hours=23))
    db.session.add_all([old, recent])
    db.session.commit()
    old_key, recent_key, new_key = old.key, recent.key, str(uuid.uuid4())
    send(client, quick(world), new_key, {"channel": "street"})
    assert {row.key for row in rows(ReplayKey)} == {recent_key, new_key}
    # A replay of the forgotten key would carry a tap older than the limit: refused.
    response = send(client, quick(world), old_key, {"channel": "street"},
                    tapped=utcnow() - timedelta(hours=25))
    assert response.status_code == 422


def test_the_same_key_sent_twice_at_once_makes_one_record(app, client, world):
    """Two tabs (or a retry racing the first send) with the same key at the same moment:
    the unique (user, key) lets one make the record; the other waits for it and answers
    with the first result or "being sent" (tried again later), never a second record."""
    import threading

    sign_in(client, world.expert)
    other = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    other.set_cookie(name, client.get_cookie(name).value)
    key, url = str(uuid.uuid4()), quick(world)
    start = threading.Barrier(2)
    answers = []

    def post(http):
        start.wait()
        answers.append(send(http, url, key, {"channel": "street"}).status_code)

    threads = [threading.Thread(target=post, args=(http,)) for http in (client, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(answers) in ([200, 200], [200, 503])
    assert count(Contact) == 1 and count(ReplayKey) == 1
