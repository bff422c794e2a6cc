"""Each partner fills her/his own form: draft, submit (every statement answered), then
read-only. Nobody else can open it, and the partner's answers are never loaded."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.evaluations.items import FormRole
from outreach.evaluations.models import EvaluationAnswer, EvaluationForm, FormStatus
from outreach.extensions import db
from tests.evaluations.conftest import answers_data
from tests.factories import make_form, make_round
from tests.helpers import sign_in, text_of

SECRET = "Paulan oma salainen vastaus"


def _forms() -> list[EvaluationForm]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(EvaluationForm).order_by(EvaluationForm.id)))


def _answers(form: EvaluationForm) -> dict:
    return {a.item: (a.value, a.text, a.may_quote) for a in form.answers}


def test_a_draft_keeps_everything_and_only_what_was_given(client, world):
    evaluation_round = make_round(world.pair)
    sign_in(client, world.expert)
    url = f"/evaluations/{evaluation_round.id}/form"
    response = client.post(url, data={"action": "draft", "A1": "4", "B6": "2",
                                      "A_open_1": "Hyvä yhteistyö", "A_open_1_quote": "y",
                                      "B_open_2": "Ei lupaa lainata"})
    assert response.status_code == 302
    assert response.headers["Location"] == url
    [form] = _forms()
    assert (form.user_id, form.role, form.status) == (world.expert.id, FormRole.EXPERT,
                                                      FormStatus.DRAFT)
    assert _answers(form) == {"A1": (4, None, False), "B6": (2, None, False),
                              "A_open_1": (None, "Hyvä yhteistyö", True),
                              "B_open_2": (None, "Ei lupaa lainata", False)}
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert '<input aria-describedby="scale-help" checked id="A1-3"' in page
    assert "Hyvä yhteistyö</textarea>" in page
    assert "Draft saved" in page
    # A later draft replaces the answers: a cleared answer is gone.
    client.post(url, data={"action": "draft", "A1": "5"})
    assert _answers(_forms()[0]) == {"A1": (5, None, False)}


def test_quoting_is_off_unless_allowed(client, world):
    evaluation_round = make_round(world.pair)
    sign_in(client, world.pro)
    page = text_of(client.get(f"/evaluations/{evaluation_round.id}/form?lang=en"))
    assert "May be quoted in reports" in page
    assert 'type="checkbox" value="y" checked' not in page
    assert "checked" not in page.split('id="A_open_1_quote"')[0].rsplit("<input", 1)[-1]
    client.post(f"/evaluations/{evaluation_round.id}/form",
                data=answers_data(FormRole.PROFESSIONAL, "draft", A_open_2="Teksti"))
    assert _answers(_forms()[0])["A_open_2"] == (None, "Teksti", False)


def test_submitting_needs_every_statement_and_stores_nothing_otherwise(client, world):
    evaluation_round = make_round(world.pair)
    sign_in(client, world.pro)
    data = answers_data(FormRole.PROFESSIONAL, A_open_1="Säilyy lomakkeella")
    del data["A7"], data["B2"]
    response = client.post(f"/evaluations/{evaluation_round.id}/form?lang=en", data=data)
    assert response.status_code == 422
    page = text_of(response)
    assert page.count("Choose a number from 1 to 5.") == 2
    assert 'id="A7-error"' in page and 'id="B2-error"' in page
    assert "Säilyy lomakkeella</textarea>" in page
    assert _forms() == []


def test_a_submitted_form_is_read_only(client, world):
    evaluation_round = make_round(world.pair)
    sign_in(client, world.pro)
    url = f"/evaluations/{evaluation_round.id}/form"
    response = client.post(url, data=answers_data(FormRole.PROFESSIONAL, value=4,
                                                  B_open_4="Kyllä suosittelen"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/pairs/{world.pair.id}/evaluations"
    [form] = _forms()
    assert form.status == FormStatus.SUBMITTED and form.submitted_at is not None
    page = text_of(client.get(url + "?lang=en"))
    assert "<textarea" not in page and 'type="radio"' not in page
    assert "Kyllä suosittelen" in page
    assert "You will see your partner's answers once your partner has submitted too." in page
    again = client.post(url + "?lang=en", data=answers_data(FormRole.PROFESSIONAL, value=1))
    assert again.status_code == 409
    assert "You have already submitted your form" in text_of(again)
    assert {v for v, _t, _q in _answers(_forms()[0]).values() if v} == {4}


@pytest.mark.parametrize(("data", "message"), [
    ({"A1": "7"}, "Choose a number from 1 to 5."),
    ({"A1": "x"}, "Choose a number from 1 to 5."),
    ({"A_open_1": "x" * 5001}, "At most 5000 characters."),
])
def test_invalid_answers_are_refused(client, world, data, message):
    evaluation_round = make_round(world.pair)
    sign_in(client, world.expert)
    response = client.post(f"/evaluations/{evaluation_round.id}/form?lang=en",
                           data={"action": "draft", **data})
    assert response.status_code == 422
    assert message in text_of(response)
    assert _forms() == []


@pytest.mark.parametrize("who", ["supervisor", "admin", "other_pro", "other_expert"])
def test_nobody_but_the_partners_opens_a_form(client, world, who):
    evaluation_round = make_round(world.pair)
    make_form(evaluation_round, world.pro, texts={"A_open_1": SECRET}, quotes={"A_open_1"})
    user = {"supervisor": world.supervisor, "admin": world.admin,
            "other_pro": world.other.professional, "other_expert": world.other.expert}[who]
    sign_in(client, user)
    url = f"/evaluations/{evaluation_round.id}/form"
    assert client.get(url).status_code == 404
    assert client.post(url, data=answers_data(FormRole.PROFESSIONAL)).status_code == 404
    assert len(_forms()) == 1


def test_an_ended_pairs_form_is_read_only(client, world):
    evaluation_round = make_round(world.pair)
    world.pair.ends_on = local_today() - timedelta(days=1)
    db.session.commit()
    sign_in(client, world.expert)
    url = f"/evaluations/{evaluation_round.id}/form"
    assert client.get(url).status_code == 200
    assert "<textarea" not in client.get(url).get_data(as_text=True)
    assert client.post(url, data=answers_data(FormRole.EXPERT)).status_code == 404


@contextmanager
def loaded_answers():
    """The form ids of every EvaluationAnswer loaded from the database meanwhile."""
    seen: list[int] = []

    def on_load(target, _context):
        seen.append(target.form_id)

    sa.event.listen(EvaluationAnswer, "load", on_load)
    try:
        yield seen
    finally:
        sa.event.remove(EvaluationAnswer, "load", on_load)


HX_TARGETS = [None, "form-state", "part-a-heading", "discussion", "main"]


@pytest.mark.parametrize("expert_state", [None, FormStatus.DRAFT])
def test_the_partners_answers_are_never_loaded_before_both_submit(client, world,
                                                                  expert_state):
    evaluation_round = make_round(world.pair)
    pro_form = make_form(evaluation_round, world.pro, {"A1": 1, "A2": 5},
                         texts={"A_open_1": SECRET, "B_open_4": SECRET + " B"},
                         quotes={"A_open_1"})
    if expert_state:
        make_form(evaluation_round, world.expert, status=expert_state)
    sign_in(client, world.expert)
    urls = [f"/evaluations/{evaluation_round.id}/form", f"/pairs/{world.pair.id}/evaluations",
            f"/pairs/{world.pair.id}", "/"]
    with loaded_answers() as seen:
        for url in urls:
            for target in HX_TARGETS:
                headers = {"HX-Request": "true", "HX-Target": target} if target else {}
                response = client.get(url, headers=headers)
                assert response.status_code == 200, (url, target)
                assert SECRET not in text_of(response), (url, target)
        for target in HX_TARGETS:
            headers = {"HX-Request": "true", "HX-Target": target} if target else {}
            review = client.get(f"/evaluations/{evaluation_round.id}/review", headers=headers)
            assert review.status_code == 404
            assert SECRET not in text_of(review)
    assert pro_form.id not in seen


def test_the_partners_state_is_shown_but_not_the_answers(client, world):
    evaluation_round = make_round(world.pair)
    make_form(evaluation_round, world.pro, texts={"A_open_1": SECRET})
    sign_in(client, world.expert)
    page = text_of(client.get(f"/evaluations/{evaluation_round.id}/form?lang=en"))
    assert "Your partner: submitted" in page
    assert "Not started yet." in page
    assert SECRET not in page


def test_when_the_second_partner_submits_the_joint_review_opens(client, world):
    evaluation_round = make_round(world.pair)
    make_form(evaluation_round, world.pro)
    sign_in(client, world.expert)
    response = client.post(f"/evaluations/{evaluation_round.id}/form",
                           data=answers_data(FormRole.EXPERT))
    assert response.headers["Location"] == f"/evaluations/{evaluation_round.id}/review"
    assert client.get(response.headers["Location"]).status_code == 200
