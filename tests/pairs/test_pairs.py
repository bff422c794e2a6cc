"""The administrator creates and ends pairs; everyone sees the pairs in their scope."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs import queries as pair_queries
from outreach.pairs.models import Pair
from tests.helpers import sign_in, text_of
from tests.pairs.helpers import make_world

TODAY = local_today()


# --- the list ---------------------------------------------------------------------------

def test_admin_sees_every_pair_and_supervisor_only_theirs(client):
    world = make_world()
    sign_in(client, world.admin)
    text = text_of(client.get("/pairs/"))
    assert world.pair.label in text and world.other_pair.label in text
    sign_in(client, world.supervisor)
    text = text_of(client.get("/pairs/"))
    assert world.pair.label in text and world.other_pair.label not in text


def test_the_home_page_lists_the_first_pairs_and_links_to_them_all(client, make_pair,
                                                                    monkeypatch):
    """With a thousand pairs the administrator's home page listed every one (389 KB)."""
    monkeypatch.setattr(pair_queries, "HOME_PAIRS", 2)
    world = make_world()
    newest = make_pair(starts_on=TODAY)
    sign_in(client, world.admin)
    page = client.get("/")
    text = text_of(page)
    assert newest.label in text  # working ones first, newest first
    assert page.get_data(as_text=True).count('<li class="card">') == 2
    assert 'href="/pairs/">Kaikki 3 työparia</a>' in page.get_data(as_text=True)
    sign_in(client, world.supervisor)  # one pair: no link
    assert not re.search(r"Kaikki \d+ työparia", text_of(client.get("/")))


def test_partner_with_one_pair_goes_straight_to_our_pair(client):
    world = make_world()
    sign_in(client, world.pair.expert)
    response = client.get("/pairs/")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pairs/{world.pair.id}"
    page = text_of(client.get(response.headers["Location"] + "?lang=en"))
    assert "Our pair" in page


def test_partner_with_several_pairs_sees_only_their_own(client, make_pair):
    world = make_world()
    second = make_pair(professional=world.pair.professional)
    sign_in(client, world.pair.professional)
    response = client.get("/pairs/")
    assert response.status_code == 200
    text = text_of(response)
    assert world.pair.label in text and second.label in text
    assert world.other_pair.label not in text


def test_navigation_says_our_pair_to_partners_and_pairs_to_others(client):
    world = make_world()
    sign_in(client, world.pair.expert)
    assert '<a href="/pairs/"' in text_of(client.get("/?lang=en"))
    assert ">Our pair</a>" in text_of(client.get("/?lang=en"))
    sign_in(client, world.supervisor)
    assert ">Pairs</a>" in text_of(client.get("/?lang=en"))


def test_search_by_member_name_is_case_insensitive(client):
    world = make_world()
    sign_in(client, world.admin)
    text = text_of(client.get("/pairs/?q=strANGer"))
    assert world.other_pair.label in text
    assert world.pair.label not in text
    text = text_of(client.get("/pairs/?q=sanna"))  # the supervisor's name
    assert world.pair.label in text and world.other_pair.label not in text


def test_search_wildcards_are_taken_literally(client):
    world = make_world()
    sign_in(client, world.admin)
    text = text_of(client.get("/pairs/?q=%25&lang=en"))
    assert world.pair.label not in text
    assert "No pairs match the search." in text


def test_filter_active_and_ended(client, make_pair):
    world = make_world()
    ended = make_pair(starts_on=TODAY - timedelta(days=90), ends_on=TODAY)
    ending_later = make_pair(ends_on=TODAY + timedelta(days=10))
    sign_in(client, world.admin)
    active = text_of(client.get("/pairs/?status=active"))
    assert world.pair.label in active and ending_later.label in active
    assert ended.label not in active
    ended_page = text_of(client.get("/pairs/?status=ended"))
    assert ended.label in ended_page and world.pair.label not in ended_page


def test_active_search_answers_with_the_list_fragment(client):
    world = make_world()
    sign_in(client, world.admin)
    response = client.get(
        "/pairs/?q=paula", headers={"HX-Request": "true", "HX-Target": "pair-list"}
    )
    text = text_of(response)
    assert "<html" not in text
    assert world.pair.label in text and world.other_pair.label not in text


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2}], indirect=True)
def test_list_is_paginated(client, make_pair):
    world = make_world()
    make_pair()
    sign_in(client, world.admin)
    first = text_of(client.get("/pairs/?lang=en"))
    assert "Page 1 of 2 (3 in all)" in first
    third = text_of(client.get("/pairs/?page=2"))
    assert third.count('<th scope="row">') == 1


def test_the_list_runs_a_fixed_number_of_queries(client, count_queries, make_pair,
                                                  make_agreement, make_user):
    world = make_world()
    sign_in(client, world.admin)
    with count_queries() as few:
        assert client.get("/pairs/").status_code == 200
    supervisor = make_user(Role.SUPERVISOR)
    for _ in range(12):
        make_agreement(make_pair(supervisor=supervisor), meeting_date=TODAY)
    with count_queries() as many:
        text = text_of(client.get("/pairs/"))
    assert text.count('<th scope="row">') == 14
    assert len(many) == len(few)
    assert len(many) <= 4  # the user, the count, the page (people and agreement joined in)


# --- creating a pair --------------------------------------------------------------------

def _choices(text: str, name: str) -> str:
    start = text.index(f'name="{name}"')
    return text[start:text.index("</select>", start)]


def test_create_form_lists_only_active_people_of_each_role(client, make_user):
    world = make_world()
    gone = make_user(Role.PROFESSIONAL, name="Gone Professional", active=False)
    sign_in(client, world.admin)
    text = text_of(client.get("/pairs/new"))
    professionals = _choices(text, "professional_id")
    assert world.pair.professional.name in professionals
    assert gone.name not in professionals
    assert world.pair.expert.name not in professionals
    assert world.supervisor.name in _choices(text, "supervisor_id")
    assert world.pair.expert.name in _choices(text, "expert_id")


def test_admin_creates_a_pair_and_a_person_may_be_in_two_at_once(client):
    world = make_world()
    sign_in(client, world.admin)
    # The professional of one pair and the expert of another: both already in a pair.
    response = client.post("/pairs/new", data={
        "professional_id": world.pair.professional.id,
        "expert_id": world.other_pair.expert.id,
        "supervisor_id": world.other_supervisor.id,
        "starts_on": "2026-01-15",
    })
    assert response.status_code == 302
    db.session.expire_all()
    pair = db.session.scalar(sa.select(Pair).order_by(Pair.id.desc()).limit(1))
    assert (pair.professional_id, pair.expert_id, pair.supervisor_id) == (
        world.pair.professional.id, world.other_pair.expert.id, world.other_supervisor.id)
    assert pair.starts_on == date(2026, 1, 15) and pair.ends_on is None
    assert response.headers["Location"] == f"/pairs/{pair.id}"
    assert pair.label in text_of(client.get(response.headers["Location"]))


def _pair_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Pair.id)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"professional_id": ""}, "Choose the professional."),
        ({"expert_id": ""}, "Choose the experience expert."),
        ({"supervisor_id": ""}, "Choose the supervisor."),
        ({"starts_on": ""}, "Enter the start date."),
        ({"starts_on": "15.1.2026x"}, "Enter a valid date."),
        ({"professional_id": "expert"}, "Choose an active person from the list."),
        ({"professional_id": "other_professional_as_expert"},
         "Choose an active person from the list."),
        ({"supervisor_id": "inactive_supervisor"}, "Choose an active person from the list."),
    ],
)
def test_create_refuses_bad_input_with_a_clear_message(client, make_user, change, message):
    world = make_world()
    inactive = make_user(Role.SUPERVISOR, active=False)
    fresh_expert = make_user(Role.EXPERT)
    data = {
        "professional_id": world.pair.professional.id,
        "expert_id": fresh_expert.id,
        "supervisor_id": world.supervisor.id,
        "starts_on": "2026-02-01",
    }
    special = {
        "expert": world.pair.expert.id,  # right person, wrong role
        "other_professional_as_expert": 987654,
        "inactive_supervisor": inactive.id,
    }
    data.update({key: special.get(value, value) for key, value in change.items()})
    sign_in(client, world.admin)
    before = _pair_count()
    response = client.post("/pairs/new?lang=en", data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert _pair_count() == before


def test_create_refuses_the_same_two_people_twice_while_they_work_together(client):
    world = make_world()
    sign_in(client, world.admin)
    response = client.post("/pairs/new?lang=en", data={
        "professional_id": world.pair.professional.id,
        "expert_id": world.pair.expert.id,
        "supervisor_id": world.supervisor.id,
        "starts_on": "2026-02-01",
    })
    assert response.status_code == 422
    assert "These two already work as a pair" in text_of(response)


def test_create_keeps_the_input_when_refused(client):
    world = make_world()
    sign_in(client, world.admin)
    response = client.post("/pairs/new", data={
        "professional_id": world.pair.professional.id, "expert_id": "",
        "supervisor_id": world.supervisor.id, "starts_on": "2026-03-04",
    })
    text = text_of(response)
    assert f'<option selected value="{world.pair.professional.id}">' in text
    assert 'value="2026-03-04"' in text


# --- ending a pair ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin", "supervisor"])
def test_end_a_pair_records_date_reason_and_who(client, who):
    world = make_world()
    actor = world.actor(who)
    sign_in(client, actor)
    page = text_of(client.get(f"/pairs/{world.pair.id}/end?lang=en"))
    assert "can no longer open the pair's clients" in page  # it asks first and says why
    response = client.post(f"/pairs/{world.pair.id}/end", data={
        "ends_on": TODAY.isoformat(), "reason": "Paula moves to another unit.",
    })
    assert response.status_code == 302
    db.session.expire_all()
    pair = db.session.get(Pair, world.pair.id)
    assert pair.ends_on == TODAY
    assert pair.end_reason == "Paula moves to another unit."
    assert pair.ended_by_id == actor.id
    text = text_of(client.get(f"/pairs/{pair.id}?lang=en"))
    assert "Paula moves to another unit." in text
    assert "This pair has ended." in text


def test_ended_pair_stays_visible_to_its_members_but_read_only(client, make_pair, make_agreement):
    world = make_world()
    ended = make_pair(professional=world.pair.professional,
                      starts_on=TODAY - timedelta(days=100), ends_on=TODAY - timedelta(days=1))
    make_agreement(ended, values_2="What we agreed back then")
    sign_in(client, world.pair.professional)
    assert client.get(f"/pairs/{ended.id}").status_code == 200
    page = text_of(client.get(f"/pairs/{ended.id}/agreement"))
    assert "What we agreed back then" in page
    assert "<textarea" not in page
    response = client.post(f"/pairs/{ended.id}/agreement", data={"version": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ends_on": "", "reason": "Because"}, "Enter the end date."),
        ({"ends_on": "yesterday", "reason": "Because"}, "Enter a valid date."),
        ({"ends_on": TODAY.isoformat(), "reason": "  "}, "Write the reason for ending the pair."),
        ({"ends_on": (TODAY - timedelta(days=31)).isoformat(), "reason": "Oops"},
         "The pair cannot end before it started."),
    ],
)
def test_end_refuses_bad_input(client, data, message):
    world = make_world()  # the pair started 30 days ago
    sign_in(client, world.admin)
    response = client.post(f"/pairs/{world.pair.id}/end?lang=en", data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    db.session.expire_all()
    assert db.session.get(Pair, world.pair.id).ends_on is None


def test_an_ended_pair_cannot_be_ended_again(client, make_pair):
    world = make_world()
    ended = make_pair(supervisor=world.supervisor, ends_on=TODAY - timedelta(days=2))
    sign_in(client, world.supervisor)
    response = client.post(f"/pairs/{ended.id}/end?lang=en",
                           data={"ends_on": TODAY.isoformat(), "reason": "Again"})
    assert response.status_code == 409
    assert "already been ended" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Pair, ended.id).ends_on == TODAY - timedelta(days=2)


def test_pair_page_shows_people_dates_and_agreement_state(client, make_agreement):
    from outreach.pairs.models import MeetingRhythm

    world = make_world()
    sign_in(client, world.pair.expert)
    text = text_of(client.get(f"/pairs/{world.pair.id}?lang=en"))
    for name in ("Paula Pro", "Eeva Expert", "Sanna Supervisor"):
        assert name in text
    assert "Not started" in text
    assert "cannot open the pair's client records" in text
    assert "Fill in the start-up agreement" in text
    make_agreement(world.pair, confidentiality_signed_on=TODAY - timedelta(days=1),
                   planning_rhythm=MeetingRhythm.EVERY_2_WEEKS,
                   debrief_rhythm=MeetingRhythm.MONTHLY)
    text = text_of(client.get(f"/pairs/{world.pair.id}?lang=en"))
    assert "In progress" in text
    assert "Every two weeks" in text and "Once a month" in text
    assert "cannot open the pair's client records" not in text
