"""The demo's rounds: pair 1 completed (a divergence of 2+, quotes, discussion notes),
pair 2 half-filled; loading again adds nothing."""

import sqlalchemy as sa

from outreach.demo import PASSWORD, load_people
from outreach.evaluations.demo import load_evaluations
from outreach.evaluations.models import EvaluationForm, EvaluationRound, FormStatus
from outreach.evaluations.queries import joint_forms, summary
from outreach.extensions import db
from outreach.pairs.models import Pair
from tests.helpers import text_of


def test_the_demo_rounds(client, app):
    load_people()
    assert load_evaluations() is True
    db.session.commit()
    assert load_evaluations() is False
    rounds = list(db.session.scalars(sa.select(EvaluationRound).order_by(EvaluationRound.id)))
    assert len(rounds) == 2
    done, half = rounds
    forms = joint_forms(done)
    assert forms is not None and done.discussion_notes
    values = [{a.item: a.value for a in form.answers} for form in forms.values()]
    assert any(abs(values[0][f"A{n}"] - values[1][f"A{n}"]) >= 2 for n in range(1, 10))
    assert any(a.may_quote for form in forms.values() for a in form.answers)
    assert joint_forms(half) is None
    statuses = sorted(db.session.scalars(
        sa.select(EvaluationForm.status).where(EvaluationForm.round_id == half.id)))
    assert statuses == [FormStatus.DRAFT, FormStatus.SUBMITTED]
    pair1 = db.session.get(Pair, done.pair_id)
    client.post("/login", data={"email": pair1.expert.email, "password": PASSWORD})
    assert "Differ by 2 or more" in text_of(client.get(f"/evaluations/{done.id}/review?lang=en"))
    supervisor = pair1.supervisor
    a_section = summary(supervisor)[0]
    # Pair 1's two forms and pair 2's professional's: the expert's draft does not count.
    assert all(figures.n == 3 for figures in a_section.statements)
    assert a_section.quotes_allowed
