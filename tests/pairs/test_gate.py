"""The confidentiality gate: until the pair's confidentiality agreement is recorded, its
expert cannot open any of its clients. Enforced in the scope helper every client query
starts from (outreach.pairs.queries.client_pair_ids)."""

from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.scope import client_pair_ids
from tests.helpers import sign_in, text_of
from tests.pairs.helpers import agreement_data, make_world

TODAY = local_today()


def ids(query) -> set[int]:
    return set(db.session.scalars(query))


def test_professional_opens_the_clients_of_her_working_pairs(make_pair):
    pair = make_pair()
    assert ids(client_pair_ids(pair.professional)) == {pair.id}


def test_expert_is_blocked_until_the_confidentiality_date_is_saved(make_pair, make_agreement):
    pair = make_pair()
    assert ids(client_pair_ids(pair.expert)) == set()  # no agreement at all
    agreement = make_agreement(pair, meeting_date=TODAY, volunteer_signed_on=TODAY)
    assert ids(client_pair_ids(pair.expert)) == set()  # agreement without the date
    agreement.confidentiality_signed_on = TODAY
    db.session.commit()
    assert ids(client_pair_ids(pair.expert)) == {pair.id}
    # A date after the day asked about does not open anything before it.
    assert ids(client_pair_ids(pair.expert, TODAY - timedelta(days=1))) == set()


def test_the_gate_is_per_pair(make_pair, make_agreement, make_user):
    expert = make_user(Role.EXPERT)
    signed = make_pair(expert=expert)
    unsigned = make_pair(expert=expert)
    make_agreement(signed, confidentiality_signed_on=TODAY - timedelta(days=3))
    make_agreement(unsigned)
    assert ids(client_pair_ids(expert)) == {signed.id}


def test_expert_of_an_ended_pair_is_blocked_even_with_the_agreement(make_pair, make_agreement):
    pair = make_pair(starts_on=TODAY - timedelta(days=60), ends_on=TODAY)
    make_agreement(pair, confidentiality_signed_on=TODAY - timedelta(days=55))
    assert ids(client_pair_ids(pair.expert)) == set()
    assert ids(client_pair_ids(pair.professional)) == set()
    assert ids(client_pair_ids(pair.expert, TODAY - timedelta(days=1))) == {pair.id}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_supervisors_and_administrators_open_no_clients(make_pair, make_agreement, make_user,
                                                        role):
    user = make_user(role)
    pair = make_pair(supervisor=user if role == Role.SUPERVISOR else None)
    make_agreement(pair, confidentiality_signed_on=TODAY)
    assert ids(client_pair_ids(user)) == set()


def test_a_client_query_inherits_the_gate(make_pair, make_agreement):
    from outreach.clients.models import Client
    from outreach.scope import client_or_404

    pair = make_pair()
    client = Client(pair_id=pair.id, code="A-2026-0001", name="Maija",
                    created_by_id=pair.professional_id)
    db.session.add(client)
    db.session.commit()
    assert client_or_404(pair.professional, client.id).id == client.id
    with pytest.raises(NotFound):
        client_or_404(pair.expert, client.id)
    make_agreement(pair, confidentiality_signed_on=TODAY)
    assert client_or_404(pair.expert, client.id).id == client.id


def test_expert_home_page_says_why_and_what_to_do_until_the_date_is_saved(client):
    world = make_world()
    sign_in(client, world.pair.expert)
    page = text_of(client.get("/?lang=en"))
    assert (f"You cannot open the client records of the pair {world.pair.label} yet, because "
            "the confidentiality agreement has not been recorded.") in page
    assert ("Record the confidentiality agreement together with your pair on the start-up "
            "agreement page.") in page
    assert f'href="/pairs/{world.pair.id}/agreement"' in page

    response = client.post(f"/pairs/{world.pair.id}/agreement",
                           data=agreement_data(0, confidentiality_signed_on=TODAY))
    assert response.status_code == 302
    page = text_of(client.get("/?lang=en"))
    assert "You cannot open the client records" not in page


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.SUPERVISOR, Role.ADMIN])
def test_only_the_expert_gets_the_message(client, role):
    world = make_world()
    user = {Role.PROFESSIONAL: world.pair.professional, Role.SUPERVISOR: world.supervisor,
            Role.ADMIN: world.admin}[role]
    sign_in(client, user)
    assert "You cannot open the client records" not in text_of(client.get("/?lang=en"))
