"""Demo start-up agreements: pair 1 complete, pair 2 still missing its confidentiality date."""

import sqlalchemy as sa

from outreach.auth.queries import user_by_email
from outreach.demo import PASSWORD, demo_parts, load_people
from outreach.extensions import db
from outreach.pairs.demo import load_pairs_agreements
from outreach.pairs.models import AgreementState, PairAgreement, PairAgreementEdit, agreement_state
from outreach.pairs.queries import pairs_for
from outreach.scope import client_pair_ids
from tests.helpers import text_of


def test_the_loader_runs_after_the_people():
    parts = demo_parts()
    assert parts.index(load_pairs_agreements) == parts.index(load_people) + 1


def test_demo_agreements_show_the_gate(app):
    load_people()
    assert load_pairs_agreements() is True
    db.session.commit()
    expert1, expert2 = user_by_email("expert1@demo.test"), user_by_email("expert2@demo.test")
    (first,), (second,) = pairs_for(expert1), pairs_for(expert2)
    assert agreement_state(first.agreement) is AgreementState.COMPLETE
    assert first.agreement.notes_count == 12
    assert agreement_state(second.agreement) is AgreementState.IN_PROGRESS
    assert second.agreement.confidentiality_signed_on is None
    assert set(db.session.scalars(client_pair_ids(expert1))) == {first.id}
    assert set(db.session.scalars(client_pair_ids(expert2))) == set()
    assert db.session.scalar(sa.select(sa.func.count(PairAgreementEdit.id))) == 3
    # Idempotent: a second run adds nothing.
    assert load_pairs_agreements() is False
    assert db.session.scalar(sa.select(sa.func.count(PairAgreement.id))) == 2


def test_demo_expert2_is_told_about_the_gate(app, client):
    load_people()
    load_pairs_agreements()
    db.session.commit()
    client.post("/login", data={"email": "expert2@demo.test", "password": PASSWORD})
    assert "You cannot open the client records" in text_of(client.get("/?lang=en"))
    client.post("/logout")
    client.post("/login", data={"email": "expert1@demo.test", "password": PASSWORD})
    assert "You cannot open the client records" not in text_of(client.get("/?lang=en"))
