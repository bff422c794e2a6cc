"""Opening a round: the pair's professional or its supervisor, while the pair works."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.evaluations.models import Activity, EvaluationRound
from outreach.extensions import db
from outreach.groups.models import PeerGroup
from tests.factories import make_round
from tests.helpers import sign_in, text_of

ROUND = {"activity": "outreach", "activity_detail": "Kallio", "duration": "6 kuukautta"}


def _rounds() -> list[EvaluationRound]:
    return list(db.session.scalars(sa.select(EvaluationRound).order_by(EvaluationRound.id)))


def _group(pair, name="Naisten ryhmä") -> PeerGroup:
    group = PeerGroup(pair_id=pair.id, name=name, created_by_id=pair.professional_id)
    db.session.add(group)
    db.session.commit()
    return group


@pytest.mark.parametrize(("who", "expected"), [
    ("pro", 302), ("supervisor", 302), ("expert", 403), ("admin", 403),
    ("other_pro", 404), ("other_supervisor", 404),
])
def test_who_may_open_a_round(client, world, who, expected):
    user = {"pro": world.pro, "supervisor": world.supervisor, "expert": world.expert,
            "admin": world.admin, "other_pro": world.other.professional,
            "other_supervisor": world.other_supervisor}[who]
    sign_in(client, user)
    assert client.get(f"/pairs/{world.pair.id}/evaluations/new").status_code == (
        200 if expected == 302 else expected)
    response = client.post(f"/pairs/{world.pair.id}/evaluations/new", data=ROUND)
    assert response.status_code == expected
    assert len(_rounds()) == (1 if expected == 302 else 0)


def test_the_professional_opens_a_round_and_goes_to_her_form(client, world):
    sign_in(client, world.pro)
    response = client.post(f"/pairs/{world.pair.id}/evaluations/new", data=ROUND)
    [evaluation_round] = _rounds()
    assert response.headers["Location"] == f"/evaluations/{evaluation_round.id}/form"
    assert evaluation_round.activity == Activity.OUTREACH
    assert evaluation_round.activity_detail == "Kallio"
    assert evaluation_round.duration == "6 kuukautta"
    assert evaluation_round.opened_by_id == world.pro.id
    assert evaluation_round.group_id is None


def test_the_supervisor_opens_a_round_for_the_pair(client, world):
    sign_in(client, world.supervisor)
    response = client.post(f"/pairs/{world.pair.id}/evaluations/new", data=ROUND)
    assert response.headers["Location"] == f"/pairs/{world.pair.id}/evaluations"
    assert _rounds()[0].opened_by_id == world.supervisor.id


def test_an_ended_pair_gets_no_new_round(client, world):
    world.pair.ends_on = local_today() - timedelta(days=1)
    db.session.commit()
    sign_in(client, world.pro)
    assert client.post(f"/pairs/{world.pair.id}/evaluations/new", data=ROUND).status_code == 404
    assert _rounds() == []


@pytest.mark.parametrize(("data", "message"), [
    ({"activity": "", "duration": "6 kk"}, "Choose the form of activity."),
    ({"activity": "picnic", "duration": "6 kk"}, "Choose one of the options."),
    ({"activity": "outreach", "duration": ""}, "Write how long the cooperation has lasted."),
    ({"activity": "outreach", "duration": "x" * 101}, "At most 100 characters."),
    ({"activity": "outreach", "duration": "6 kk", "group_id": "999"},
     "Choose one of the pair's groups, or none."),
])
def test_an_invalid_round_is_refused_with_a_message(client, world, data, message):
    sign_in(client, world.pro)
    response = client.post(f"/pairs/{world.pair.id}/evaluations/new?lang=en", data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert _rounds() == []


def test_group_id_preselects_the_pairs_group_and_the_peer_support_activity(client, world):
    group = _group(world.pair)
    sign_in(client, world.pro)
    page = client.get(f"/pairs/{world.pair.id}/evaluations/new?group_id={group.id}&lang=en")
    text = page.get_data(as_text=True)
    assert f'<option selected value="{group.id}">Naisten ryhmä</option>' in text
    assert re.search(r'<input checked id="activity-\d" name="activity" [^>]*value="peer_group">',
                     text)
    client.post(f"/pairs/{world.pair.id}/evaluations/new",
                data={"activity": "peer_group", "group_id": str(group.id), "duration": "10 kertaa"})
    assert _rounds()[0].group_id == group.id


def test_another_pairs_group_is_neither_offered_nor_accepted(client, world):
    foreign = _group(world.other, "Toisen parin ryhmä")
    sign_in(client, world.pro)
    page = text_of(client.get(f"/pairs/{world.pair.id}/evaluations/new?group_id={foreign.id}"))
    assert "Toisen parin ryhmä" not in page
    response = client.post(f"/pairs/{world.pair.id}/evaluations/new",
                           data={**ROUND, "group_id": str(foreign.id)})
    assert response.status_code == 422
    assert _rounds() == []


@pytest.mark.parametrize("who", ["pro", "expert", "supervisor", "admin"])
def test_the_pairs_rounds_list(client, world, who):
    make_round(world.pair, duration="Kolme kuukautta")
    make_round(world.other, duration="Toisen parin kesto")
    user = {"pro": world.pro, "expert": world.expert, "supervisor": world.supervisor,
            "admin": world.admin}[who]
    sign_in(client, user)
    page = text_of(client.get(f"/pairs/{world.pair.id}/evaluations?lang=en"))
    assert "Kolme kuukautta" in page
    assert "Toisen parin kesto" not in page
    if who in ("pro", "expert"):
        assert "Your form: not started" in page
        assert "Your partner: waiting" in page
    else:
        assert "0 of 2 forms submitted" in page


@pytest.mark.parametrize("who", ["pro", "expert", "supervisor"])
def test_another_pairs_rounds_are_404(client, world, who):
    make_round(world.other)
    user = {"pro": world.pro, "expert": world.expert, "supervisor": world.supervisor}[who]
    sign_in(client, user)
    assert client.get(f"/pairs/{world.other.id}/evaluations").status_code == 404


def test_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(f"/pairs/{world.pair.id}/evaluations")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_ended_pairs_list_offers_no_new_round(client, world):
    """A partner of an ended pair still reads its list (read-only), but opens nothing."""
    make_round(world.pair)
    world.pair.ends_on = local_today()
    db.session.commit()
    sign_in(client, world.pro)
    page = text_of(client.get(f"/pairs/{world.pair.id}/evaluations?lang=en"))
    assert "Open a new evaluation round" not in page
