"""Who may use which pair route (DESIGN.md §3): 403 for a role that may not, 404 for a
pair outside the user's scope, a sign-in redirect for the anonymous."""

import pytest

from outreach.core.time import local_today
from tests.helpers import sign_in, text_of
from tests.pairs.helpers import agreement_data, make_world

ACTORS = ["admin", "supervisor", "other_supervisor", "professional", "expert",
          "other_professional", "other_expert", "anonymous"]

# (method, path, data, statuses in the order of ACTORS without "anonymous", who is always
# sent to sign in); {pair} is the world's pair.
#        admin  sup  other_sup  pro  expert  other_pro  other_expert
MATRIX = [
    ("GET", "/pairs/?q=", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/pairs/new", None, (200, 403, 403, 403, 403, 403, 403)),
    ("POST", "/pairs/new", {}, (422, 403, 403, 403, 403, 403, 403)),
    ("GET", "/pairs/{pair}", None, (200, 200, 404, 200, 200, 404, 404)),
    ("GET", "/pairs/{pair}/end", None, (200, 200, 404, 403, 403, 403, 403)),
    ("POST", "/pairs/{pair}/end", {}, (422, 422, 404, 403, 403, 403, 403)),
    ("GET", "/pairs/{pair}/agreement", None, (403, 200, 404, 200, 200, 404, 404)),
    ("POST", "/pairs/{pair}/agreement", agreement_data(0, values_1="Notes"),
     (403, 403, 403, 302, 302, 404, 404)),
]

CASES = [
    pytest.param(method, path, data, actor, status, id=f"{method} {path} {actor}")
    for method, path, data, statuses in MATRIX
    for actor, status in zip(ACTORS, (*statuses, 302), strict=True)
]


@pytest.mark.parametrize(("method", "path", "data", "actor", "status"), CASES)
def test_route_by_role(client, app, method, path, data, actor, status):
    world = make_world()
    sign_in(client, world.actor(actor))
    url = path.format(pair=world.pair.id)
    response = client.open(url, method=method, data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if actor == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/pairs/999", "/pairs/999/end", "/pairs/999/agreement"])
def test_a_pair_that_does_not_exist_is_404(client, auth, path):
    auth.login_as("admin" if "agreement" not in path else "professional")
    assert client.get(path).status_code == 404


def test_administrators_see_the_agreement_state_but_not_its_content(client, make_agreement):

    world = make_world()
    make_agreement(world.pair, values_1="A very private thought", meeting_date=local_today(),
                   confidentiality_signed_on=local_today())
    sign_in(client, world.admin)
    text = text_of(client.get(f"/pairs/{world.pair.id}?lang=en"))
    assert "In progress" in text
    assert "Signed on" in text
    assert "A very private thought" not in text
    assert f"/pairs/{world.pair.id}/agreement" not in text
    assert client.get(f"/pairs/{world.pair.id}/agreement").status_code == 403
