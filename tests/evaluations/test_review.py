"""The joint review: both forms side by side once both have submitted, the A statements
differing by 2 or more marked, and the notes of the joint discussion (409 on stale)."""

import re

import pytest

from outreach.evaluations.models import FormStatus
from outreach.extensions import db
from tests.factories import make_form, make_round
from tests.helpers import sign_in, text_of

PRO_A = {"A1": 4, "A2": 5, "A3": 4, "A4": 3, "A5": 4, "A6": 3, "A7": 3, "A8": 3, "A9": 3}
EXPERT_A = {"A1": 4, "A2": 2, "A3": 3, "A4": 3, "A5": 2, "A6": 3, "A7": 3, "A8": 3, "A9": 5}


def _completed(world):
    evaluation_round = make_round(world.pair)
    make_form(evaluation_round, world.pro, {**PRO_A, "B1": 5, "B2": 4, "B3": 4, "B4": 5},
              texts={"A_open_1": "Ammattilaisen A-vastaus", "B_open_1": "Ammattilaisen B"},
              quotes={"A_open_1"})
    make_form(evaluation_round, world.expert,
              {**EXPERT_A, "B1": 3, "B2": 3, "B3": 3, "B4": 3, "B5": 3, "B6": 3},
              texts={"A_open_1": "Kokemusasiantuntijan A", "B_open_4": "Suosittelen"})
    return evaluation_round


def _card(page: str, key: str) -> str:
    match = re.search(rf'<li class="card[^"]*" id="compare-{key}">(.*?)</li>', page, re.S)
    assert match, key
    return match.group(0)


@pytest.mark.parametrize("who", ["pro", "expert"])
def test_both_forms_side_by_side_with_the_divergences_marked(client, world, who):
    evaluation_round = _completed(world)
    sign_in(client, world.pro if who == "pro" else world.expert)
    response = client.get(f"/evaluations/{evaluation_round.id}/review?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    # A2 (5 vs 2) and A5 (4 vs 2) and A9 (3 vs 5) differ by 2 or more; A3 (4 vs 3) does not.
    for key in ("A2", "A5", "A9"):
        card = _card(page, key)
        assert 'class="card differs"' in card
        assert "Differ by 2 or more" in card
    for key in ("A1", "A3", "A4"):
        assert "Differ by 2 or more" not in _card(page, key)
    assert "Statements where your answers differ by 2 or more: 3." in page
    assert "Ammattilaisen A-vastaus" in page and "Kokemusasiantuntijan A" in page
    assert "Ammattilaisen B" in page and "Suosittelen" in page
    assert "The experience expert's involvement brought added value" in page  # pro's B
    assert "My courage to take part and to have an influence increased" in page  # expert's B
    assert world.pro.name in page and world.expert.name in page


@pytest.mark.parametrize("states", [(None, None), (FormStatus.SUBMITTED, None),
                                    (FormStatus.SUBMITTED, FormStatus.DRAFT),
                                    (FormStatus.DRAFT, FormStatus.SUBMITTED)])
def test_no_review_before_both_have_submitted(client, world, states):
    evaluation_round = make_round(world.pair)
    for user, state in zip((world.pro, world.expert), states, strict=True):
        if state:
            make_form(evaluation_round, user, status=state, texts={"A_open_1": "Salaisuus"})
    for user in (world.pro, world.expert):
        sign_in(client, user)
        url = f"/evaluations/{evaluation_round.id}/review"
        for headers in ({}, {"HX-Request": "true", "HX-Target": "discussion"}):
            response = client.get(url, headers=headers)
            assert response.status_code == 404
            assert "Salaisuus" not in text_of(response)
        assert client.post(url, data={"version": "1", "discussion_notes": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["supervisor", "admin", "other_pro", "other_expert"])
def test_nobody_else_opens_the_review(client, world, who):
    evaluation_round = _completed(world)
    user = {"supervisor": world.supervisor, "admin": world.admin,
            "other_pro": world.other.professional, "other_expert": world.other.expert}[who]
    sign_in(client, user)
    url = f"/evaluations/{evaluation_round.id}/review"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"version": "1", "discussion_notes": "x"}).status_code == 404


def test_both_partners_record_the_joint_discussion(client, world):
    evaluation_round = _completed(world)
    url = f"/evaluations/{evaluation_round.id}/review"
    sign_in(client, world.pro)
    response = client.post(url, data={"version": "1", "discussed_on": "2026-03-02",
                                      "discussion_notes": "Sovimme roolit uudelleen."})
    assert response.status_code == 302
    db.session.refresh(evaluation_round)
    assert evaluation_round.discussion_notes == "Sovimme roolit uudelleen."
    assert evaluation_round.discussed_on.isoformat() == "2026-03-02"
    assert evaluation_round.notes_edited_by_id == world.pro.id
    sign_in(client, world.expert)
    version = str(evaluation_round.version)
    response = client.post(url, data={"version": version, "discussed_on": "2026-03-02",
                                      "discussion_notes": "Sovimme roolit uudelleen.\nLisäys."})
    assert response.status_code == 302
    db.session.refresh(evaluation_round)
    assert evaluation_round.discussion_notes.endswith("Lisäys.")
    assert evaluation_round.notes_edited_by_id == world.expert.id


def test_a_stale_save_answers_409_with_both_versions_and_nothing_lost(client, world):
    evaluation_round = _completed(world)
    url = f"/evaluations/{evaluation_round.id}/review?lang=en"
    sign_in(client, world.pro)
    client.post(url, data={"version": "1", "discussion_notes": "Paulan muistiinpanot"})
    sign_in(client, world.expert)
    response = client.post(url, data={"version": "1", "discussion_notes": "Eevan muistiinpanot"})
    assert response.status_code == 409
    page = text_of(response)
    assert "Your partner saved the notes while you were editing them" in page
    assert "Paulan muistiinpanot" in page  # the saved version
    assert "Eevan muistiinpanot</textarea>" in page  # her input, kept in the form
    assert 'name="version" type="hidden" value="2"' in page
    db.session.refresh(evaluation_round)
    assert evaluation_round.discussion_notes == "Paulan muistiinpanot"


def test_invalid_notes_are_refused(client, world):
    evaluation_round = _completed(world)
    sign_in(client, world.expert)
    response = client.post(f"/evaluations/{evaluation_round.id}/review?lang=en",
                           data={"version": "1", "discussed_on": "2026-13-45",
                                 "discussion_notes": "Muistiinpanot"})
    assert response.status_code == 422
    assert "Enter a valid date." in text_of(response)
    db.session.refresh(evaluation_round)
    assert evaluation_round.discussion_notes is None
