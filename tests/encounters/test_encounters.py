"""Anonymous encounters: the quick form, the monthly list, editing and deleting by either
partner, and who may not touch them."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.encounters.models import AgeGroup, AnonymousEncounter, MetBy
from outreach.extensions import db
from tests.factories import make_encounter

VALID = {
    "met_on": local_today().isoformat(),
    "area": "  Kallio ",
    "people_count": "2",
    "age_group": "25_34",
    "topics": ["housing", "daily_basics"],
    "met_by": "both",
    "note": "Jaettiin sukkia.",
}


@pytest.fixture
def pair(make_pair):
    return make_pair()


@pytest.fixture
def other_pair(make_pair):
    return make_pair()


def checked(page: str, name: str, value: str) -> bool:
    """Whether the page's checkbox or radio button `name`=`value` is ticked."""
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*value="{re.escape(value)}"[^>]*>', page)
    assert len(tags) == 1, (name, value)
    return " checked" in tags[0]


def encounters() -> list[AnonymousEncounter]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AnonymousEncounter).order_by(AnonymousEncounter.id)))


# --- The quick form ------------------------------------------------------------------------


def test_quick_form_is_prefilled_for_the_professional(client, auth, pair):
    auth.login_as(pair.professional)
    page = client.get("/encounters/new?lang=en").get_data(as_text=True)
    assert f'value="{local_today().isoformat()}"' in page
    assert 'name="people_count" type="number" value="1"' in page
    assert checked(page, "met_by", "professional")
    assert not checked(page, "met_by", "expert")
    assert checked(page, "age_group", "unknown")
    # Topics are checkboxes with big labels; one pair means no pair to choose.
    assert not checked(page, "topics", "housing")
    assert 'name="pair_id"' not in page
    assert "No names or anything that could identify anyone." in page


def test_quick_form_defaults_met_by_to_the_experts_role(client, auth, pair):
    auth.login_as(pair.expert)
    page = client.get("/encounters/new?lang=en").get_data(as_text=True)
    assert checked(page, "met_by", "expert")
    assert not checked(page, "met_by", "professional")


def test_recording_an_encounter_goes_back_to_the_list_with_a_message(client, auth, pair):
    auth.login_as(pair.expert)
    client.get("/encounters/?lang=en")  # the message is written in the language of the save
    response = client.post("/encounters/new", data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"] == "/encounters/"
    [encounter] = encounters()
    assert encounter.pair_id == pair.id
    assert encounter.met_on == local_today()
    assert encounter.area == "Kallio"
    assert encounter.people_count == 2
    assert encounter.age_group == AgeGroup.AGE_25_34
    # Stored in the domains' own order, whatever order they were sent in.
    assert encounter.topics == ["housing", "daily_basics"]
    assert encounter.met_by == MetBy.BOTH
    assert encounter.note == "Jaettiin sukkia."
    assert encounter.created_by_id == pair.expert_id
    page = client.get("/encounters/?lang=en").get_data(as_text=True)
    assert "The encounter was recorded." in page
    assert "Kallio" in page
    assert "Housing, Daily basics (sleep, food, fatigue, hygiene)" in page


def test_topics_and_note_are_optional(client, auth, pair):
    auth.login_as(pair.professional)
    data = dict(VALID, topics=[], note="  ")
    assert client.post("/encounters/new", data=data).status_code == 302
    [encounter] = encounters()
    assert encounter.topics == []
    assert encounter.note is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"area": "  "}, "Choose an area from the list."),
        ({"area": "x" * 81}, "Choose an area from the list."),
        ({"area": "Mannerheimintie 5"}, "Choose an area from the list."),
        ({"met_on": ""}, "Enter the date of the encounter."),
        ({"met_on": (local_today() + timedelta(days=1)).isoformat()},
         "The date cannot be in the future."),
        ({"people_count": "0"}, "Enter the number of people as a whole number from 1 to 99."),
        ({"people_count": "100"}, "Enter the number of people as a whole number from 1 to 99."),
        ({"people_count": ""}, "Enter the number of people as a whole number from 1 to 99."),
        ({"age_group": "40"}, "Choose an age group, or Not known."),
        ({"topics": ["housing", "gossip"]}, "Choose topics from the list."),
        ({"met_by": ""}, "Choose who met them."),
        ({"note": "x" * 201}, "Keep the note short: at most 200 characters."),
    ],
)
def test_invalid_input_answers_422_in_place_and_keeps_it(client, auth, pair, change, message):
    auth.login_as(pair.professional)
    response = client.post("/encounters/new?lang=en", data=dict(VALID, **change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert page.count(message) == 1
    assert "Please correct the marked fields." in page
    # What was typed is still there.
    assert checked(page, "topics", "daily_basics") or "topics" in change
    assert 'value="Jaettiin sukkia."' in page or "note" in change
    assert encounters() == []


def test_someone_in_two_pairs_chooses_the_pair(client, auth, pair, make_pair):
    second = make_pair(professional=pair.professional)
    auth.login_as(pair.professional)
    page = client.get("/encounters/new?lang=en").get_data(as_text=True)
    assert 'name="pair_id"' in page
    assert client.post("/encounters/new", data=dict(VALID, pair_id=second.id)).status_code == 302
    assert encounters()[0].pair_id == second.id


def test_a_pair_that_is_not_theirs_cannot_be_chosen(client, auth, pair, other_pair, make_pair):
    make_pair(professional=pair.professional)
    auth.login_as(pair.professional)
    response = client.post("/encounters/new?lang=en", data=dict(VALID, pair_id=other_pair.id))
    assert response.status_code == 422
    assert "Choose one of your pairs." in response.get_data(as_text=True)
    assert encounters() == []


def test_without_an_active_pair_nothing_can_be_recorded(client, auth, make_user):
    auth.login_as(Role.PROFESSIONAL)
    page = client.get("/encounters/new?lang=en")
    assert page.status_code == 200
    assert "You are not in an active pair" in page.get_data(as_text=True)
    assert client.post("/encounters/new", data=VALID).status_code == 403
    assert encounters() == []


# --- The list -------------------------------------------------------------------------------


def test_list_shows_only_the_users_pairs_encounters(client, auth, pair, other_pair):
    make_encounter(pair, area="Kallio")
    make_encounter(other_pair, area="Kontula")
    auth.login_as(pair.expert)
    page = client.get("/encounters/?lang=en").get_data(as_text=True)
    assert "Kallio" in page
    assert "Kontula" not in page


def test_list_filters_by_month_and_counts_people(client, auth, pair):
    today = local_today()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    make_encounter(pair, area="Kallio", met_on=this_month, people_count=3)
    make_encounter(pair, area="Hakaniemi", met_on=this_month, people_count=1)
    make_encounter(pair, area="Kamppi", met_on=last_month, people_count=2)
    auth.login_as(pair.professional)

    page = client.get("/encounters/?lang=en").get_data(as_text=True)
    assert "3 encounters, 6 people met" in page

    month = f"{last_month.year:04d}-{last_month.month:02d}"
    page = client.get(f"/encounters/?lang=en&month={month}").get_data(as_text=True)
    assert "1 encounter, 2 people met" in page
    assert "Kamppi" in page
    assert "Kallio" not in page
    assert f'value="{month}" selected' in page

    # A month without encounters, and nonsense that means every month.
    assert "No encounters recorded for this time." in client.get(
        "/encounters/?lang=en&month=2001-01").get_data(as_text=True)
    assert "3 encounters" in client.get(
        "/encounters/?lang=en&month=last-week").get_data(as_text=True)


def test_list_fragment_for_the_month_filter(client, auth, pair):
    make_encounter(pair, area="Kallio")
    auth.login_as(pair.professional)
    response = client.get(
        "/encounters/?lang=en",
        headers={"HX-Request": "true", "HX-Target": "encounter-list"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kallio" in html
    assert "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_list_is_paginated(client, auth, pair, app):
    for n in range(app.config["PAGE_SIZE"] + 2):
        make_encounter(pair, area=f"Alue {n}", met_on=local_today() - timedelta(days=n))
    auth.login_as(pair.professional)
    page = client.get("/encounters/?lang=en").get_data(as_text=True)
    assert "Alue 0<" in page
    assert f"Alue {app.config['PAGE_SIZE'] + 1}<" not in page
    page = client.get("/encounters/?lang=en&page=2").get_data(as_text=True)
    assert f"Alue {app.config['PAGE_SIZE'] + 1}<" in page


def test_list_runs_the_same_number_of_queries_for_3_and_20_rows(
    client, auth, pair, make_pair, count_queries
):
    second = make_pair(professional=pair.professional)  # the pair column is shown too
    auth.login_as(pair.professional)

    def queries_for_list():
        with count_queries() as statements:
            assert client.get("/encounters/").status_code == 200
        return len(statements)

    for n in range(3):
        make_encounter(pair if n % 2 else second, area=f"Alue {n}")
    few = queries_for_list()
    for n in range(17):
        make_encounter(pair if n % 2 else second, area=f"Alue {n}")
    assert queries_for_list() == few


def test_navigation_offers_encounters_to_partners_only(client, auth, pair):
    auth.login_as(pair.professional)
    assert 'href="/encounters/"' in client.get("/?lang=en").get_data(as_text=True)
    auth.logout()
    auth.login_as(Role.SUPERVISOR)
    assert 'href="/encounters/"' not in client.get("/?lang=en").get_data(as_text=True)


# --- Editing and deleting ------------------------------------------------------------------


def edit_data(encounter, **change):
    data = dict(VALID, version=encounter.version)
    data.update(change)
    return data


def test_the_partner_edits_an_encounter(client, auth, pair):
    encounter = make_encounter(pair, area="Kallio", created_by=pair.professional)
    auth.login_as(pair.expert)
    page = client.get(f"/encounters/{encounter.id}/edit?lang=en").get_data(as_text=True)
    assert 'value="Kallio"' in page
    response = client.post(
        f"/encounters/{encounter.id}/edit", data=edit_data(encounter, area="Sörnäinen")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/encounters/"
    [saved] = encounters()
    assert saved.area == "Sörnäinen"
    assert saved.topics == ["housing", "daily_basics"]
    assert saved.version == 2
    assert "The encounter was saved." in client.get("/encounters/?lang=en").get_data(as_text=True)


def test_edit_with_invalid_input_answers_422(client, auth, pair):
    encounter = make_encounter(pair, area="Kallio")
    auth.login_as(pair.professional)
    response = client.post(
        f"/encounters/{encounter.id}/edit?lang=en", data=edit_data(encounter, people_count="0")
    )
    assert response.status_code == 422
    assert encounters()[0].people_count == 1


def test_a_stale_edit_shows_both_versions_and_keeps_the_input(client, auth, pair):
    encounter = make_encounter(pair, area="Kallio")
    opened_version = encounter.version
    # The partner saves first.
    encounter.area = "Hakaniemi"
    db.session.commit()
    auth.login_as(pair.professional)
    response = client.post(
        f"/encounters/{encounter.id}/edit?lang=en",
        data=dict(VALID, area="Kamppi", version=opened_version),
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'class="stale"' in page
    assert "Hakaniemi" in page  # saved
    assert 'value="Kamppi"' in page  # the user's input, still in the form
    assert f'name="version" type="hidden" value="{opened_version + 1}"' in page
    assert encounters()[0].area == "Hakaniemi"
    # Saving again on purpose wins.
    response = client.post(
        f"/encounters/{encounter.id}/edit",
        data=dict(VALID, area="Kamppi", version=opened_version + 1),
    )
    assert response.status_code == 302
    assert encounters()[0].area == "Kamppi"


def test_delete_asks_first_and_then_deletes(client, auth, pair):
    encounter = make_encounter(pair, area="Kallio")
    auth.login_as(pair.expert)
    page = client.get(f"/encounters/{encounter.id}/edit?lang=en").get_data(as_text=True)
    assert '<details class="confirm">' in page
    assert "Delete this encounter? It will no longer be counted in reports." in page
    assert f'action="/encounters/{encounter.id}/delete"' in page
    assert encounters() != []
    response = client.post(f"/encounters/{encounter.id}/delete")
    assert response.status_code == 302
    assert encounters() == []
    assert "The encounter was deleted." in client.get("/encounters/?lang=en").get_data(
        as_text=True)


# --- Who may not ---------------------------------------------------------------------------


def routes(encounter_id):
    return [
        ("get", "/encounters/"),
        ("get", "/encounters/new"),
        ("post", "/encounters/new"),
        ("get", f"/encounters/{encounter_id}/edit"),
        ("post", f"/encounters/{encounter_id}/edit"),
        ("post", f"/encounters/{encounter_id}/delete"),
    ]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_supervisor_and_admin_are_refused(client, auth, pair, role):
    encounter = make_encounter(pair)
    auth.login_as(role)
    for method, url in routes(encounter.id):
        assert getattr(client, method)(url, data=VALID).status_code == 403, url
        headers = {"HX-Request": "true", "HX-Target": "encounter-list"}
        assert getattr(client, method)(url, data=VALID, headers=headers).status_code == 403
    assert len(encounters()) == 1


def test_signed_out_users_are_sent_to_sign_in(client, pair):
    encounter = make_encounter(pair)
    for method, url in routes(encounter.id):
        response = getattr(client, method)(url, data=VALID)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login")
    assert len(encounters()) == 1


@pytest.mark.parametrize("who", ["professional", "expert"])
def test_another_pairs_partners_get_404(client, auth, pair, other_pair, who):
    encounter = make_encounter(pair, area="Kallio")
    auth.login_as(getattr(other_pair, who))
    headers = {"HX-Request": "true", "HX-Target": "encounter-form"}
    for method, url in routes(encounter.id)[3:]:
        assert getattr(client, method)(url, data=edit_data(encounter)).status_code == 404, url
        response = getattr(client, method)(url, data=edit_data(encounter), headers=headers)
        assert response.status_code == 404
    assert "Kallio" not in client.get("/encounters/").get_data(as_text=True)
    [saved] = encounters()
    assert saved.area == "Kallio"


def test_an_ended_pairs_encounters_are_closed_to_its_members(client, auth, make_pair):
    ended = make_pair(starts_on=local_today() - timedelta(days=100), ends_on=local_today())
    encounter = make_encounter(ended, area="Kallio", met_on=local_today() - timedelta(days=5))
    auth.login_as(ended.professional)
    assert client.get(f"/encounters/{encounter.id}/edit").status_code == 404
    assert "Kallio" not in client.get("/encounters/").get_data(as_text=True)


def test_the_area_comes_from_the_list_and_an_old_place_is_kept(client, auth, pair):
    from outreach.outings.models import Area

    auth.login_as(pair.expert)
    assert client.post("/encounters/new", data=VALID).status_code == 302
    kallio = db.session.scalar(sa.select(Area).where(Area.name == "Kallio"))
    assert encounters()[0].area_id == kallio.id
    # Recorded before the list: kept as it was, and still a choice when editing it.
    old = make_encounter(pair, area="other: Asema-aukio")
    page = client.get(f"/encounters/{old.id}/edit").get_data(as_text=True)
    assert re.search(r'<option selected value="other: Asema-aukio">', page)
    assert client.post(f"/encounters/{old.id}/edit",
                       data=edit_data(old, area="other: Asema-aukio")).status_code == 302
    saved = encounters()[-1]
    assert (saved.area, saved.area_id) == ("other: Asema-aukio", None)
