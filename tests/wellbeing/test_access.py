"""Who may use the check-in pages. Check-ins are the pair's own: supervisors and
administrators get 404 on every content URL and fragment, as does another pair; only the
expert records, only the professional acknowledges (the other partner: 403)."""

import pytest

from outreach.wellbeing.models import CheckIn
from tests.factories import make_checkin
from tests.helpers import fresh, htmx_headers, sign_in
from tests.wellbeing.helpers import NOTE


@pytest.fixture
def things(world):
    checkin = make_checkin(world.pair, strain=5, wants_to_talk=True, note=NOTE)
    return {"checkin": checkin.id, "pair": world.pair.id}


def _ack(things):
    prefix = f"c{things['checkin']}-"
    return {prefix + "talked_on": "2020-01-01", prefix + "ack_note": "x"}


# (method, url, data, who may: role names allowed in our pair)
CONTENT = [
    ("get", "/pairs/{pair}/checkins", None, ("professional", "expert")),
    ("get", "/checkins/{checkin}/acknowledge", None, ("professional",)),
    ("post", "/checkins/{checkin}/acknowledge", "ack", ("professional",)),
]
OWN = [
    ("get", "/checkins/new", None, ("expert",)),
    ("post", "/checkins/new", {"strain": "3"}, ("expert",)),
    ("get", "/checkins", None, ("expert",)),
]


def _call(client, method, url, data, things, headers=None):
    url = url.format(**things)
    if data == "ack":
        data = _ack(things)
    return getattr(client, method)(url, data=data, headers=headers)


def _unchanged(things):
    checkin = fresh(CheckIn, things["checkin"])
    assert checkin.acknowledged_at is None and checkin.ack_note is None


@pytest.mark.parametrize("who", ["supervisor", "admin", "other_supervisor"])
@pytest.mark.parametrize(("method", "url", "data", "allowed"), CONTENT + OWN)
def test_supervisors_and_administrators_get_404_everywhere(client, world, things, who, method,
                                                           url, data, allowed):
    sign_in(client, world.actor(who))
    response = _call(client, method, url, data, things)
    assert response.status_code == 404
    assert NOTE not in response.get_data(as_text=True)
    response = _call(client, method, url, data, things,
                     headers=htmx_headers(f"checkin-{things['checkin']}"))
    assert response.status_code == 404
    assert NOTE not in response.get_data(as_text=True)
    _unchanged(things)


@pytest.mark.parametrize("who", ["other_professional", "other_expert"])
@pytest.mark.parametrize(("method", "url", "data", "allowed"), CONTENT)
def test_another_pair_gets_404(client, world, things, who, method, url, data, allowed):
    sign_in(client, world.actor(who))
    for headers in (None, htmx_headers(f"checkin-{things['checkin']}")):
        response = _call(client, method, url, data, things, headers=headers)
        assert response.status_code == 404, url
        assert NOTE not in response.get_data(as_text=True)
    _unchanged(things)


@pytest.mark.parametrize("who", ["professional", "expert"])
@pytest.mark.parametrize(("method", "url", "data", "allowed"), CONTENT + OWN)
def test_each_partner_does_their_own_part(client, world, things, who, method, url, data,
                                          allowed):
    sign_in(client, world.actor(who))
    response = _call(client, method, url, data, things)
    if who in allowed:
        assert response.status_code in (200, 302, 422), url
    else:
        assert response.status_code == 403, url
        _unchanged(things)


@pytest.mark.parametrize(("method", "url", "data", "allowed"), CONTENT + OWN)
def test_signed_out_users_are_sent_to_sign_in(client, world, things, method, url, data,
                                              allowed):
    response = _call(client, method, url, data, things)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    response = _call(client, method, url, data, things, headers=htmx_headers("checkin-1"))
    assert response.headers["HX-Redirect"].startswith("/login")
    _unchanged(things)


def test_an_unknown_check_in_is_404(client, world, things):
    sign_in(client, world.professional)
    assert client.get("/checkins/999999/acknowledge").status_code == 404
    assert client.get("/pairs/999999/checkins").status_code == 404
