"""Handing an ended pair's active clients over to another pair: the administrator or the
pair's own supervisor, who see codes and counts but never names."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client, ClientTransfer
from outreach.core.time import local_today
from outreach.extensions import db
from tests.helpers import fresh


@pytest.fixture
def ended(world, make_client):
    """Our pair has ended; it had two active clients and one closed one."""
    world.pair.ends_on = local_today()
    world.pair.end_reason = "The expert moved away"
    db.session.commit()
    return {
        "tiina": make_client(world.pair, name="Tiina Salainen"),
        "maikki": make_client(world.pair, name="Maikki Salainen"),
        "closed": make_client(world.pair, name="Pirkko Salainen", status=ClientStatus.CLOSED,
                              closed_on=local_today()),
    }


@pytest.fixture
def successor(world, make_pair):
    """A new active pair under the same supervisor."""
    return make_pair(supervisor=world.supervisor, starts_on=local_today() - timedelta(days=1))


@pytest.mark.parametrize("who", ["admin", "supervisor"])
def test_hand_over_moves_the_active_clients_with_their_history(client, world, sign_in, ended,
                                                               successor, who):
    sign_in(getattr(world, who))
    page = client.get(f"/clients/handover/{world.pair.id}?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 active clients" in text
    assert ended["tiina"].code in text and ended["maikki"].code in text
    assert ended["closed"].code not in text
    assert "Salainen" not in text  # names are for the pairs only
    assert f'value="{successor.id}"' in text
    assert f'value="{world.pair.id}"' not in text  # not to itself

    response = client.post(f"/clients/handover/{world.pair.id}",
                           data={"to_pair_id": successor.id, "note": "Jatkuu uudella parilla"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pairs/{world.pair.id}"
    assert fresh(Client, ended["tiina"].id).pair_id == successor.id
    assert fresh(Client, ended["maikki"].id).pair_id == successor.id
    assert fresh(Client, ended["closed"].id).pair_id == world.pair.id  # closed ones stay
    transfers = list(db.session.scalars(sa.select(ClientTransfer).order_by(ClientTransfer.id)))
    assert {t.client_id for t in transfers} == {ended["tiina"].id, ended["maikki"].id}
    assert all((t.from_pair_id, t.to_pair_id, t.by_id, t.note)
               == (world.pair.id, successor.id, getattr(world, who).id,
                   "Jatkuu uudella parilla") for t in transfers)

    # The new pair opens her record and reads on her timeline where she came from.
    sign_in(successor.professional)
    timeline = client.get(f"/clients/{ended['tiina'].id}/timeline?lang=en").get_data(
        as_text=True)
    assert (f"Handed over from the pair {world.pair.label} to the pair {successor.label}."
            .replace("&", "&amp;")) in timeline
    assert "Jatkuu uudella parilla" in timeline
    assert f"Record {ended['tiina'].code} created" in timeline  # her history travelled
    # The ended pair's members no longer see her.
    sign_in(world.pro)
    assert client.get(f"/clients/{ended['tiina'].id}").status_code == 404


def test_supervisor_hands_over_only_to_pairs_they_supervise(client, world, sign_in, ended,
                                                            successor):
    sign_in(world.supervisor)
    page = client.get(f"/clients/handover/{world.pair.id}").get_data(as_text=True)
    assert f'value="{world.other.id}"' not in page  # supervised by someone else
    response = client.post(f"/clients/handover/{world.pair.id}",
                           data={"to_pair_id": world.other.id})
    assert response.status_code == 422
    assert fresh(Client, ended["tiina"].id).pair_id == world.pair.id


def test_administrator_may_choose_any_active_pair(client, world, sign_in, ended, make_pair):
    later = make_pair(starts_on=local_today() + timedelta(days=5))
    ending = make_pair(ends_on=local_today() + timedelta(days=5))
    sign_in(world.admin)
    page = client.get(f"/clients/handover/{world.pair.id}").get_data(as_text=True)
    assert f'value="{world.other.id}"' in page
    assert f'value="{later.id}"' not in page and f'value="{ending.id}"' not in page
    assert client.post(f"/clients/handover/{world.pair.id}",
                       data={"to_pair_id": world.other.id}).status_code == 302
    assert fresh(Client, ended["maikki"].id).pair_id == world.other.id


def test_a_pair_without_an_end_date_is_not_handed_over(client, world, sign_in, make_client,
                                                       successor):
    her = make_client(world.pair, name="Tiina")
    sign_in(world.admin)
    page = client.get(f"/clients/handover/{world.pair.id}?lang=en").get_data(as_text=True)
    assert "The pair has not been ended." in page
    assert her.code not in page
    response = client.post(f"/clients/handover/{world.pair.id}",
                           data={"to_pair_id": successor.id})
    assert response.status_code == 409
    assert fresh(Client, her.id).pair_id == world.pair.id


def test_a_future_end_date_is_enough(client, world, sign_in, make_client, successor):
    world.pair.ends_on = local_today() + timedelta(days=7)
    db.session.commit()
    her = make_client(world.pair, name="Tiina")
    sign_in(world.supervisor)
    assert client.post(f"/clients/handover/{world.pair.id}",
                       data={"to_pair_id": successor.id}).status_code == 302
    assert fresh(Client, her.id).pair_id == successor.id


def test_no_active_clients_to_hand_over(client, world, sign_in, successor):
    world.pair.ends_on = local_today()
    db.session.commit()
    sign_in(world.admin)
    page = client.get(f"/clients/handover/{world.pair.id}?lang=en").get_data(as_text=True)
    assert "The pair has no active clients to hand over." in page


def test_choosing_no_pair_answers_422(client, world, sign_in, ended, successor):
    sign_in(world.admin)
    response = client.post(f"/clients/handover/{world.pair.id}?lang=en", data={"to_pair_id": ""})
    assert response.status_code == 422
    assert "Choose the pair that takes the clients over." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["pro", "expert", "pro2", "expert2"])
def test_partners_may_not_hand_over(client, world, sign_in, ended, successor, who):
    sign_in(getattr(world, who))
    assert client.get(f"/clients/handover/{world.pair.id}").status_code == 403
    assert client.post(f"/clients/handover/{world.pair.id}",
                       data={"to_pair_id": successor.id}).status_code == 403
    assert fresh(Client, ended["tiina"].id).pair_id == world.pair.id


def test_another_pairs_supervisor_gets_404(client, world, sign_in, ended, successor):
    sign_in(world.other_supervisor)
    assert client.get(f"/clients/handover/{world.pair.id}").status_code == 404
    assert client.post(f"/clients/handover/{world.pair.id}",
                       data={"to_pair_id": successor.id}).status_code == 404
    assert client.get("/clients/handover/9999").status_code == 404
    assert fresh(Client, ended["tiina"].id).pair_id == world.pair.id


def test_the_pair_page_links_to_the_hand_over_once_the_pair_has_an_end_date(
    client, world, sign_in, make_client
):
    link = f'href="/clients/handover/{world.pair.id}"'
    sign_in(world.supervisor)
    assert link not in client.get(f"/pairs/{world.pair.id}").get_data(as_text=True)
    world.pair.ends_on = local_today()
    db.session.commit()
    assert link in client.get(f"/pairs/{world.pair.id}").get_data(as_text=True)
    sign_in(world.pro)
    assert link not in client.get(f"/pairs/{world.pair.id}").get_data(as_text=True)
