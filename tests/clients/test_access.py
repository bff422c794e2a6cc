"""Who may open a client's record, by any URL and in any fragment.

Partners of her pair may; another pair's partners, supervisors and administrators may not,
and nor may the expert before the pair's confidentiality agreement is recorded."""

from datetime import timedelta

import pytest

from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.core.time import local_today
from tests.helpers import fresh
from tests.helpers import htmx_headers as htmx_to

# (method, path, form data, only the professional may use it)
CLIENT_ROUTES = [
    ("get", "/clients/{id}", None, False),
    ("get", "/clients/{id}/edit", None, False),
    ("post", "/clients/{id}/edit", {"name": "Changed", "living_situation": "street",
                                    "version": "1"}, False),
    ("get", "/clients/{id}/close", None, False),
    ("post", "/clients/{id}/close", {"closed_on": local_today().isoformat(),
                                     "reason": "Refused"}, False),
    ("post", "/clients/{id}/reopen", None, False),
    ("get", "/clients/{id}/timeline", None, False),
    ("get", "/clients/{id}/timeline?kind=client", None, False),
    ("get", "/clients/{id}/merge", None, True),
    ("get", "/clients/{id}/merge?other={other}", None, True),
    ("post", "/clients/{id}/merge", {"other_id": "{other}"}, True),
]
# Fragments: the same URLs asked for by htmx for one element of the page.
FRAGMENTS = [
    ("/clients/{id}", "main"),
    ("/clients/{id}/timeline", "timeline-entries"),
    ("/clients/{id}/timeline?before=2999-01-01T00:00:00%2B00:00|client|999", "timeline-entries"),
    ("/clients/{id}/edit", "main"),
]


def _fill(text, ours, second):
    return text.replace("{id}", str(ours.id)).replace("{other}", str(second.id))


def _request(client, method, path, data, ours, second, headers=None):
    data = {k: _fill(v, ours, second) for k, v in (data or {}).items()}
    return getattr(client, method)(_fill(path, ours, second), data=data, headers=headers or {})


@pytest.fixture
def ours(world, make_client):
    return make_client(world.pair, name="Tiina Meidän", safety_notes="Secret safety note")


@pytest.fixture
def second(world, make_client):
    return make_client(world.pair, name="Toinen Meidän")


def _unchanged(ours, second):
    client = fresh(Client, ours.id)
    assert client.name == "Tiina Meidän"
    assert client.status == ClientStatus.ACTIVE
    assert client.version == 1
    assert fresh(Client, second.id).merged_into_id is None


@pytest.mark.parametrize("who", ["pro2", "expert2"])
def test_another_pairs_partners_get_404_everywhere(client, world, sign_in, ours, second, who):
    user = sign_in(getattr(world, who))
    for method, path, data, pro_only in CLIENT_ROUTES:
        response = _request(client, method, path, data, ours, second)
        expected = 403 if pro_only and user.role == "expert" else 404
        assert response.status_code == expected, (method, path)
        assert "Tiina" not in response.get_data(as_text=True)
    for path, target in FRAGMENTS:
        response = _request(client, "get", path, None, ours, second, htmx_to(target))
        assert response.status_code == 404, path
        assert "Secret safety note" not in response.get_data(as_text=True)
    listing = client.get("/clients/?status=all&q=Tiina", headers=htmx_to("client-list"))
    assert listing.status_code == 200
    assert "Tiina" not in listing.get_data(as_text=True)
    _unchanged(ours, second)


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_administrators_see_no_client_content(client, world, sign_in, ours,
                                                              second, who):
    sign_in(getattr(world, who))
    # The supervisor may use the read routes of a record a consultation opens to her
    # (tests/consultations): without one, her pair's client is outside her scope (404).
    read_routes = {"/clients/{id}", "/clients/{id}/timeline", "/clients/{id}/timeline?kind=client",
                   "/clients/{id}/timeline?before=2999-01-01T00:00:00%2B00:00|client|999"}

    def refused(method, path):
        return 404 if who == "supervisor" and method == "get" and path in read_routes else 403

    for method, path, data, _pro_only in [*CLIENT_ROUTES, ("get", "/clients/", None, False),
                                          ("get", "/clients/new", None, False),
                                          ("post", "/clients/new", {"name": "X"}, False)]:
        response = _request(client, method, path, data, ours, second)
        assert response.status_code == refused(method, path), (method, path)
        assert "Tiina" not in response.get_data(as_text=True)
    for path, target in FRAGMENTS:
        response = _request(client, "get", path, None, ours, second, htmx_to(target))
        assert response.status_code == refused("get", path), path
    _unchanged(ours, second)
    assert 'href="/clients/"' not in client.get("/").get_data(as_text=True)


def test_expert_cannot_open_clients_before_the_confidentiality_agreement(
    client, sign_in, make_pair, make_agreement, make_client
):
    pair = make_pair()
    make_agreement(pair, confidentiality_signed_on=None, meeting_date=local_today())
    ours = make_client(pair, name="Tiina Meidän")
    second = make_client(pair, name="Toinen Meidän")
    sign_in(pair.expert)
    for method, path, data, pro_only in CLIENT_ROUTES:
        response = _request(client, method, path, data, ours, second)
        assert response.status_code == (403 if pro_only else 404), (method, path)
    for path, target in FRAGMENTS:
        assert _request(client, "get", path, None, ours, second,
                        htmx_to(target)).status_code == 404
    page = client.get("/clients/?lang=en").get_data(as_text=True)
    assert "Tiina" not in page
    assert "once its confidentiality agreement is recorded" in page
    # The new-client page explains instead of offering the pair; saving is refused.
    assert "cannot record a client now" in client.get("/clients/new?lang=en").get_data(
        as_text=True)
    assert client.post("/clients/new", data={"name": "Uusi", "pair_id": pair.id,
                                             "living_situation": "street"}).status_code == 404
    _unchanged(ours, second)


def test_expert_opens_clients_once_the_agreement_is_recorded(client, world, sign_in, ours):
    sign_in(world.expert)
    assert client.get(f"/clients/{ours.id}").status_code == 200
    assert client.get(f"/clients/{ours.id}/timeline").status_code == 200
    assert client.get(f"/clients/{ours.id}/edit").status_code == 200


def test_members_of_an_ended_pair_lose_access(client, world, sign_in, ours):
    world.pair.ends_on = local_today()
    from outreach.extensions import db

    db.session.commit()
    sign_in(world.pro)
    assert client.get(f"/clients/{ours.id}").status_code == 404
    assert "Tiina" not in client.get("/clients/").get_data(as_text=True)


def test_a_pair_that_starts_later_gives_no_access_yet(client, sign_in, make_pair, make_client):
    pair = make_pair(starts_on=local_today() + timedelta(days=3))
    ours = make_client(pair)
    sign_in(pair.professional)
    assert client.get(f"/clients/{ours.id}").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, ours, second):
    for method, path, data, _pro_only in CLIENT_ROUTES:
        response = _request(client, method, path, data, ours, second)
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/login")
    for path, target in FRAGMENTS:
        response = _request(client, "get", path, None, ours, second, htmx_to(target))
        assert response.headers["HX-Redirect"].startswith("/login")
        assert "Tiina" not in response.get_data(as_text=True)
    assert client.get("/clients/").headers["Location"].startswith("/login")
    assert client.get("/clients/handover/1").headers["Location"].startswith("/login")


def test_unknown_client_is_404(client, world, sign_in):
    sign_in(world.pro)
    assert client.get("/clients/9999").status_code == 404
    assert client.get("/clients/9999/timeline").status_code == 404
    assert client.post("/clients/9999/reopen").status_code == 404
