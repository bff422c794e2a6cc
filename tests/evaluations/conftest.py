"""Two pairs with their supervisors, an administrator, and helpers to fill forms."""

import html
from dataclasses import dataclass

import pytest

from outreach.auth.models import Role, User
from outreach.evaluations import items as form_items
from outreach.evaluations.items import FormRole
from outreach.evaluations.models import (
    Activity,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationRound,
    FormStatus,
)
from outreach.extensions import db
from outreach.pairs.models import Pair
from tests import factories


@dataclass
class World:
    pair: Pair
    other: Pair
    supervisor: User
    other_supervisor: User
    admin: User

    @property
    def pro(self) -> User:
        return self.pair.professional

    @property
    def expert(self) -> User:
        return self.pair.expert


@pytest.fixture
def world(app) -> World:
    supervisor = factories.make_user(Role.SUPERVISOR)
    other_supervisor = factories.make_user(Role.SUPERVISOR)
    pair = factories.make_pair(supervisor=supervisor)
    other = factories.make_pair(supervisor=other_supervisor)
    return World(pair, other, supervisor, other_supervisor, factories.make_user(Role.ADMIN))


def sign_in(client, user: User | None) -> None:
    client.post("/logout")
    if user is not None:
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def make_round(pair: Pair, *, by: User | None = None, **fields) -> EvaluationRound:
    fields.setdefault("activity", Activity.OUTREACH)
    fields.setdefault("duration", "6 kuukautta")
    evaluation_round = EvaluationRound(pair_id=pair.id, opened_by_id=(by or pair.professional).id,
                                       **fields)
    db.session.add(evaluation_round)
    db.session.commit()
    return evaluation_round


def make_form(evaluation_round: EvaluationRound, user: User, values: dict | None = None, *,
              status: FormStatus = FormStatus.SUBMITTED, texts: dict | None = None,
              quotes: set | None = None) -> EvaluationForm:
    """A form of `user`; `values` item -> 1..5 (default: every statement 3); `texts` item ->
    text; `quotes`: the open items that may be quoted."""
    pair = evaluation_round.pair
    role = FormRole.PROFESSIONAL if user.id == pair.professional_id else FormRole.EXPERT
    if values is None:
        values = {item.key: 3 for item in form_items.statements(role)}
    form = EvaluationForm(round_id=evaluation_round.id, user_id=user.id, role=role,
                          status=status)
    for key, value in values.items():
        form.answers.append(EvaluationAnswer(item=key, value=value))
    for key, text in (texts or {}).items():
        form.answers.append(EvaluationAnswer(item=key, text=text,
                                             may_quote=key in (quotes or set())))
    db.session.add(form)
    db.session.commit()
    return form


def answers_data(role: FormRole | str, action: str = "submit", value: int | None = 3,
                 **overrides) -> dict:
    """The form as posted: every statement `value` (None: unanswered), no texts."""
    data = {"action": action}
    for item in form_items.statements(role):
        if value is not None:
            data[item.key] = str(value)
    data.update(overrides)
    return data
