"""Outings: going out in two taps (an area from the list, alone or with a colleague from
the accounts, back when), the partner sees it live and is alerted when it is overdue; "I'm
back" ends it and offers the check-in; extending re-arms the alerts; the supervisor sees
only overdue outings of their pairs (who, where, since when), never client data; the
start-up agreement keeps the pair's safety rules; the administrator keeps the areas."""

from datetime import timedelta

import pytest
from markupsafe import escape

from outreach.core.clock import set_now, utcnow
from outreach.extensions import db
from outreach.outings.models import Area, Outing, aware
from outreach.pairs.agreement import QUESTIONS
from tests import factories
from tests.outing_helpers import CLIENT_NAME, area, go_out, sign_in


def _outings():
    db.session.expire_all()
    return list(db.session.scalars(db.select(Outing).order_by(Outing.id)))


def test_going_out_in_two_taps_and_the_partner_sees_it(client, world):
    sign_in(client, world.expert)
    form = client.get("/outings/new?lang=en")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    # Areas from the list, companions from the accounts, never a text box for either.
    assert 'value="' + str(area("Kallio").id) + '"' in html
    assert world.professional.name in html and world.admin.name not in html
    # Her last area is chosen already: "Start the outing" is the second tap.
    go_out(world, minutes=-600)
    _outings()[0].returned_at = utcnow()
    db.session.commit()
    assert 'checked' in client.get("/outings/new").get_data(as_text=True)
    response = client.post("/outings/new", data={
        "pair_id": world.pair.id, "area_id": area("Kallio").id, "companion_id": "",
        "return_in": "60"})
    assert response.status_code == 302
    outing = _outings()[-1]
    assert outing.worker_id == world.expert.id and outing.companion_id is None
    assert timedelta(minutes=59) < aware(outing.expected_back_at) - utcnow() <= timedelta(
        minutes=60)
    assert aware(outing.partner_due_at) - aware(outing.expected_back_at) == timedelta(
        minutes=30)
    sign_in(client, world.professional)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert f"{world.expert.name} is in Kallio" in home
    assert "has not come back" not in home


def test_with_a_colleague_from_the_accounts_only(client, world):
    sign_in(client, world.expert)
    colleague = world.other_pair.professional
    data = {"pair_id": world.pair.id, "area_id": area().id, "return_in": "30"}
    assert client.post("/outings/new", data={**data, "companion_id": colleague.id}
                       ).status_code == 302
    assert _outings()[-1].companion_id == colleague.id
    # Not an account (or an administrator): refused with a message, nothing saved.
    for wrong in ("Maija Meikäläinen", world.admin.id, 999999):
        response = client.post("/outings/new?lang=en", data={**data, "companion_id": wrong})
        assert response.status_code == 422
        assert "Choose a colleague from the list." in response.get_data(as_text=True)
    assert len(_outings()) == 1


def test_no_area_no_outing(client, world):
    sign_in(client, world.expert)
    response = client.post("/outings/new?lang=en", data={
        "pair_id": world.pair.id, "area_id": "", "companion_id": "", "return_in": "60"})
    assert response.status_code == 422
    assert "Choose an area from the list." in response.get_data(as_text=True)
    inactive = area("Vallila")
    inactive.active = False
    db.session.commit()
    response = client.post("/outings/new", data={
        "pair_id": world.pair.id, "area_id": inactive.id, "companion_id": "",
        "return_in": "60"})
    assert response.status_code == 422
    assert _outings() == []


def test_back_by_a_time_of_day(client, world):
    set_now("2026-12-07T10:00:00+02:00")
    sign_in(client, world.expert)
    data = {"pair_id": world.pair.id, "area_id": area().id, "companion_id": "",
            "return_in": "60"}
    assert client.post("/outings/new", data={**data, "back_by": "10:01"}).status_code == 302
    assert aware(_outings()[-1].expected_back_at) == aware(
        utcnow().replace(second=0, microsecond=0)) + timedelta(minutes=1)
    response = client.post("/outings/new?lang=en", data={**data, "back_by": "25:99"})
    assert response.status_code == 422


def test_overdue_alerts_the_partner_on_her_home(client, world):
    outing = go_out(world, minutes=10)
    sign_in(client, world.professional)
    assert "has not come back" not in client.get("/?lang=en").get_data(as_text=True)
    set_now(aware(outing.partner_due_at) + timedelta(seconds=1))
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "Your partner has not come back" in home
    assert f"{world.expert.name} went to Kallio" in home
    # Her own home shows her outing with the one-tap buttons, not the alert.
    sign_in(client, world.expert)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "I'm back" in home and "+30 min" in home
    assert "Your partner has not come back" not in home


def test_im_back_clears_it_and_offers_the_check_in(client, world):
    outing = go_out(world, minutes=-60)
    sign_in(client, world.expert)
    response = client.post(f"/outings/{outing.id}/back")
    assert response.status_code == 302
    welcome = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "/checkins/new" in welcome
    assert _outings()[0].returned_at is not None
    sign_in(client, world.professional)
    assert "has not come back" not in client.get("/?lang=en").get_data(as_text=True)


def test_only_she_ends_or_extends_her_outing(client, world):
    outing = go_out(world)
    sign_in(client, world.professional)
    assert client.post(f"/outings/{outing.id}/back").status_code == 403
    assert client.post(f"/outings/{outing.id}/extend").status_code == 403
    sign_in(client, world.other_pair.expert)
    assert client.post(f"/outings/{outing.id}/back").status_code == 404
    assert _outings()[0].returned_at is None


def test_extending_rearms_the_alerts(client, world):
    outing = go_out(world, minutes=-40)
    outing.partner_alerted_at = utcnow()
    outing.supervisor_due_at = utcnow() + timedelta(minutes=30)
    db.session.commit()
    sign_in(client, world.expert)
    assert client.post(f"/outings/{outing.id}/extend").status_code == 302
    outing = _outings()[0]
    assert outing.round == 2
    assert outing.partner_alerted_at is None and outing.supervisor_due_at is None
    # +30 min from now, since the old time had passed.
    assert timedelta(minutes=29) < aware(outing.expected_back_at) - utcnow() <= timedelta(
        minutes=30)
    sign_in(client, world.professional)
    assert "has not come back" not in client.get("/?lang=en").get_data(as_text=True)


def test_the_supervisor_sees_only_overdue_outings_of_her_pairs(client, world):
    late = go_out(world, minutes=-120)
    late.partner_alerted_at = utcnow() - timedelta(minutes=60)
    late.supervisor_due_at = utcnow() - timedelta(minutes=30)
    go_out(world, worker=world.professional, minutes=60, where="Pasila")  # not overdue
    db.session.commit()
    sign_in(client, world.supervisor)
    for url in ("/outings/overdue?lang=en", "/?lang=en"):
        html = client.get(url).get_data(as_text=True)
        assert f"{world.expert.name} in Kallio" in html
        assert "Pasila" not in html
        assert CLIENT_NAME not in html and world.client.code not in html
    # Another pair's supervisor sees nothing of it; the administrator has no such page.
    sign_in(client, world.other_supervisor)
    assert world.expert.name not in client.get("/outings/overdue").get_data(as_text=True)
    sign_in(client, world.admin)
    assert client.get("/outings/overdue").status_code == 403


def test_the_agreement_keeps_the_safety_rules(client, world):
    sign_in(client, world.professional)
    page = client.get(f"/pairs/{world.pair.id}/agreement?lang=fi").get_data(as_text=True)
    with client.application.test_request_context("/?lang=fi"):
        questions = [str(question) for question in QUESTIONS.values()]
    assert len(questions) == 12
    for question in questions:  # the seed's questions, unchanged
        assert str(escape(question)) in page
    response = client.post(f"/pairs/{world.pair.id}/agreement", data={
        "version": world.pair.agreement.version,
        "confidentiality_signed_on": world.pair.starts_on.isoformat(),
        "outing_partner_grace": "15", "outing_supervisor_grace": "45",
        "outing_who_to_call": "Soita Sirpalle 040 000 0000"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    agreement = world.pair.agreement
    assert (agreement.outing_partner_grace, agreement.outing_supervisor_grace) == (15, 45)
    outing = go_out(world)
    sign_in(client, world.expert)
    client.post("/outings/new", data={"pair_id": world.pair.id, "area_id": area().id,
                                      "companion_id": "", "return_in": "60"})
    outing = _outings()[-1]
    assert aware(outing.partner_due_at) - aware(outing.expected_back_at) == timedelta(
        minutes=15)
    response = client.post(f"/pairs/{world.pair.id}/agreement?lang=en", data={
        "version": agreement.version, "outing_partner_grace": "0"})
    assert response.status_code == 422


def test_the_administrator_keeps_the_areas(client, world):
    sign_in(client, world.admin)
    assert "Kallio" in client.get("/admin/areas").get_data(as_text=True)
    assert client.post("/admin/areas/new", data={"name": "Hernesaari", "active": "y"}
                       ).status_code == 302
    response = client.post("/admin/areas/new?lang=en", data={"name": "kallio", "active": "y"})
    assert response.status_code == 422
    assert "already on the list" in response.get_data(as_text=True)
    new_id = area("Hernesaari").id
    assert client.post(f"/admin/areas/{new_id}", data={"name": "Hernesaari 2"}
                       ).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Area, new_id).active  # the box not ticked: out of use
    assert client.post(f"/admin/areas/{new_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Area).where(Area.id == new_id)) is None
    used = go_out(world).area_id
    assert client.post(f"/admin/areas/{used}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Area, used).active is False  # kept, out of use


@pytest.mark.parametrize("role", ["professional", "supervisor"])
def test_home_runs_a_fixed_number_of_queries(app, count_queries, role):
    from tests.outing_helpers import make_world

    def measure(outings: int) -> int:
        world = make_world()
        for n in range(outings):
            late = go_out(world, minutes=-100 - n)
            late.supervisor_alerted_at = utcnow()
        db.session.commit()
        client = app.test_client()
        user = world.professional if role == "professional" else world.supervisor
        client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        with count_queries() as statements:
            assert client.get("/").status_code == 200
        return len(statements)

    assert measure(1) == measure(6)
