"""The expert records a check-in in a few taps and reads her history; the professional
acknowledges waiting ones from the home page (htmx in place, or a plain form)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.wellbeing.models import CheckIn
from tests import factories
from tests.factories import make_checkin
from tests.helpers import days_ago, fresh, htmx_headers, sign_in
from tests.wellbeing.helpers import NOTE


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(CheckIn.id)))


# --- Recording -----------------------------------------------------------------------------


def test_the_form_labels_every_strain_in_words_and_picks_her_only_pair(client, world):
    sign_in(client, world.expert)
    html = client.get("/checkins/new?lang=en").get_data(as_text=True)
    for label in ("1 – Light", "2 – Fairly light", "3 – Moderate", "4 – Fairly heavy",
                  "5 – Very heavy"):
        assert label in html
    # One working pair: no choice to make, it rides along hidden.
    assert f'<input type="hidden" name="pair_id" value="{world.pair.id}">' in html
    assert "<select" not in html


def test_the_expert_records_a_check_in(client, world):
    sign_in(client, world.expert)
    response = client.post("/checkins/new?lang=en", data={
        "strain": "5", "wants_to_talk": "y", "note": NOTE,
    })
    assert response.status_code == 302
    assert response.headers["Location"] == "/checkins"
    checkin = db.session.scalar(sa.select(CheckIn))
    assert (checkin.pair_id, checkin.expert_id, checkin.strain, checkin.wants_to_talk,
            checkin.note) == (world.pair.id, world.expert.id, 5, True, NOTE)
    assert checkin.acknowledged_at is None
    page = client.get("/checkins?lang=en").get_data(as_text=True)
    assert "would like to talk" in page
    assert "Paula Pro" in page
    assert NOTE in page


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Choose how heavy the work feels."),
    ({"strain": "7"}, "Choose one of the options."),
    ({"strain": "x"}, "Choose one of the options."),
    ({"strain": "3", "note": "x" * 2001}, "At most 2000 characters."),
])
def test_an_invalid_check_in_is_refused_with_a_message(client, world, data, message):
    sign_in(client, world.expert)
    response = client.post("/checkins/new?lang=en", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count() == 0


def test_an_expert_in_two_pairs_chooses_one_of_hers(client, world):
    second = factories.make_pair(expert=world.expert)
    sign_in(client, world.expert)
    html = client.get("/checkins/new?lang=en").get_data(as_text=True)
    assert '<select' in html and second.professional.name in html
    response = client.post("/checkins/new?lang=en", data={
        "strain": "2", "pair_id": str(world.other_pair.id)})
    assert response.status_code == 422
    assert "Choose one of your pairs." in response.get_data(as_text=True)
    assert _count() == 0
    response = client.post("/checkins/new", data={"strain": "2", "pair_id": str(second.id)})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(CheckIn.pair_id)) == second.id


def test_an_expert_without_a_working_pair_has_nowhere_to_record(client, world):
    ended = factories.make_pair(starts_on=local_today() - timedelta(days=90),
                                ends_on=local_today() - timedelta(days=1))
    sign_in(client, ended.expert)
    assert client.get("/checkins/new").status_code == 404
    assert client.post("/checkins/new", data={"strain": "3"}).status_code == 404
    assert _count() == 0


def test_her_history_has_a_chart_a_table_and_the_acknowledgements(client, world):
    make_checkin(world.pair, strain=2, created_at=days_ago(30), acknowledged=True)
    make_checkin(world.pair, strain=5, created_at=days_ago(10), note=NOTE)
    make_checkin(world.other_pair, strain=1, note="Toisen parin asia")
    sign_in(client, world.expert)
    html = client.get("/checkins?lang=en").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert re.findall(r'data-strain="(\d)"', svg) == ["2", "5"]  # oldest first
    assert "<polyline" in svg
    assert "Show as a table" in html
    assert "2 – Fairly light" in html and "5 – Very heavy" in html
    assert "Acknowledged by Paula Pro" in html
    assert "Waiting for acknowledgement" in html
    assert NOTE in html
    assert "Toisen parin asia" not in html


def test_her_history_without_check_ins(client, world):
    sign_in(client, world.expert)
    html = client.get("/checkins?lang=en").get_data(as_text=True)
    assert "No check-ins yet." in html
    assert "<svg" not in html


def test_her_history_pages(client, world, app):
    for day in range(app.config["PAGE_SIZE"] + 2):
        make_checkin(world.pair, created_at=days_ago(day + 1), acknowledged=True)
    sign_in(client, world.expert)
    html = client.get("/checkins?lang=en").get_data(as_text=True)
    assert "Page 1 of 2" in html
    assert client.get("/checkins?page=2").status_code == 200


def test_the_expert_home_offers_a_check_in(client, world):
    make_checkin(world.pair, strain=4)
    sign_in(client, world.expert)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "How is the work feeling?" in html
    assert 'href="/checkins/new"' in html
    assert "strain 4 of 5" in html


# --- Acknowledging ---------------------------------------------------------------------------


def _ack_data(checkin, **values):
    prefix = f"c{checkin.id}-"
    data = {prefix + "talked_on": local_today().isoformat(), prefix + "ack_note": "Puhuttiin"}
    data.update({prefix + key: value for key, value in values.items()})
    return data


def test_the_professional_sees_waiting_check_ins_on_her_home_page(client, world):
    waiting = make_checkin(world.pair, strain=5, wants_to_talk=True, note=NOTE)
    make_checkin(world.pair, strain=1, note="Jo kuitattu", acknowledged=True)
    make_checkin(world.other_pair, strain=2, note="Toisen parin asia")
    sign_in(client, world.professional)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Well-being check-ins waiting for you (1)" in html
    assert "Strain 5 of 5: Very heavy" in html
    assert "Would like to talk" in html
    assert NOTE in html
    assert "Jo kuitattu" not in html and "Toisen parin asia" not in html
    assert f'id="checkin-{waiting.id}"' in html
    assert f'data-hx-post="/checkins/{waiting.id}/acknowledge"' in html
    assert f'action="/checkins/{waiting.id}/acknowledge"' in html


def test_no_waiting_panel_when_nothing_waits(client, world):
    make_checkin(world.pair, acknowledged=True)
    sign_in(client, world.professional)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Well-being check-ins waiting for you" not in html


def test_acknowledging_with_a_plain_form(client, world):
    checkin = make_checkin(world.pair, created_at=days_ago(3))
    sign_in(client, world.professional)
    day = local_today() - timedelta(days=1)
    response = client.post(f"/checkins/{checkin.id}/acknowledge?lang=en",
                           data={**_ack_data(checkin, talked_on=day.isoformat()), "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    saved = fresh(CheckIn, checkin.id)
    assert saved.talked_on == day
    assert saved.ack_note == "Puhuttiin"
    assert saved.acknowledged_by_id == world.professional.id
    assert saved.acknowledged_at is not None
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Acknowledged: you talked with Eeva Expert" in html
    assert "Well-being check-ins waiting for you" not in html


def test_acknowledging_in_place_with_htmx(client, world):
    checkin = make_checkin(world.pair)
    sign_in(client, world.professional)
    response = client.post(f"/checkins/{checkin.id}/acknowledge?lang=en",
                           data={**_ack_data(checkin), "next": "/"},
                           headers=htmx_headers(f"checkin-{checkin.id}"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<li id="checkin-{checkin.id}"')
    assert "Acknowledged by Paula Pro" in html
    assert "<form" not in html
    assert 'id="messages" data-hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response.headers["Vary"]
    assert fresh(CheckIn, checkin.id).acknowledged_at is not None


@pytest.mark.parametrize(("talked_on", "message"), [
    ("", "Enter the day you talked."),
    ("tomorrow", "Enter a valid date."),
    ("future", "The day cannot be in the future."),
    ("before", "The day cannot be before the check-in."),
])
@pytest.mark.parametrize("with_htmx", [False, True])
def test_an_invalid_acknowledgement_is_refused(client, world, talked_on, message, with_htmx):
    checkin = make_checkin(world.pair, created_at=days_ago(2))
    value = {
        "future": (local_today() + timedelta(days=1)).isoformat(),
        "before": (local_today() - timedelta(days=10)).isoformat(),
    }.get(talked_on, talked_on)
    sign_in(client, world.professional)
    headers = htmx_headers(f"checkin-{checkin.id}") if with_htmx else None
    response = client.post(f"/checkins/{checkin.id}/acknowledge?lang=en",
                           data=_ack_data(checkin, talked_on=value), headers=headers)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Puhuttiin" in html  # what she typed is kept
    if with_htmx:
        assert html.lstrip().startswith(f'<li id="checkin-{checkin.id}"')
    else:
        assert "<!DOCTYPE html>" in html
    assert fresh(CheckIn, checkin.id).acknowledged_at is None


@pytest.mark.parametrize("with_htmx", [False, True])
def test_a_second_acknowledgement_is_a_conflict(client, world, with_htmx):
    checkin = make_checkin(world.pair, acknowledged=True)
    before = fresh(CheckIn, checkin.id).ack_note
    sign_in(client, world.professional)
    headers = htmx_headers(f"checkin-{checkin.id}") if with_htmx else None
    response = client.post(f"/checkins/{checkin.id}/acknowledge?lang=en",
                           data=_ack_data(checkin), headers=headers)
    assert response.status_code == 409
    assert "This check-in was already acknowledged." in response.get_data(as_text=True)
    assert fresh(CheckIn, checkin.id).ack_note == before


def test_the_acknowledge_page_works_without_javascript(client, world):
    checkin = make_checkin(world.pair, note=NOTE)
    sign_in(client, world.professional)
    html = client.get(f"/checkins/{checkin.id}/acknowledge?lang=en&next=/").get_data(
        as_text=True)
    assert "Acknowledge the check-in: Eeva Expert" in html
    assert f'name="c{checkin.id}-talked_on"' in html
    assert f'value="{local_today().isoformat()}"' in html  # today, to start from
    assert NOTE in html


def test_the_pair_list_shows_waiting_first_to_both_partners(client, world):
    old = make_checkin(world.pair, created_at=days_ago(20), note="Vanha")
    done = make_checkin(world.pair, created_at=days_ago(2), note="Kuitattu", acknowledged=True)
    newest = make_checkin(world.pair, created_at=days_ago(1), note="Uusin")
    for who in (world.professional, world.expert):
        sign_in(client, who)
        html = client.get(f"/pairs/{world.pair.id}/checkins?lang=en").get_data(as_text=True)
        order = [int(n) for n in re.findall(r'<li id="checkin-(\d+)"', html)]
        assert order == [newest.id, old.id, done.id]
        assert ("data-hx-post" in html) == (who == world.professional)


def test_an_ended_pair_keeps_its_check_ins_readable_but_not_acknowledgeable(client, world):
    pair = factories.make_pair(starts_on=local_today() - timedelta(days=90),
                               ends_on=local_today() - timedelta(days=1))
    checkin = make_checkin(pair, created_at=days_ago(10))
    sign_in(client, pair.professional)
    html = client.get(f"/pairs/{pair.id}/checkins?lang=en").get_data(as_text=True)
    assert f'id="checkin-{checkin.id}"' in html and "data-hx-post" not in html
    response = client.post(f"/checkins/{checkin.id}/acknowledge", data=_ack_data(checkin))
    assert response.status_code == 403
    assert fresh(CheckIn, checkin.id).acknowledged_at is None


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pages_render_in_every_language(client, world, lang):
    checkin = make_checkin(world.pair, strain=4, note=NOTE)
    sign_in(client, world.expert)
    for url in ("/checkins/new", "/checkins", f"/pairs/{world.pair.id}/checkins", "/"):
        response = client.get(f"{url}?lang={lang}")
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)
    sign_in(client, world.professional)
    for url in (f"/checkins/{checkin.id}/acknowledge", "/", f"/pairs/{world.pair.id}"):
        assert client.get(f"{url}?lang={lang}").status_code == 200, url
