"""Challenges broken into small steps, with her decisions recorded and kept."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from outreach.clients import timeline
from outreach.clients.choices import LifeDomain
from outreach.clients.models import Client
from outreach.core.records import sections
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.steps.models import (
    Assignee,
    Challenge,
    ChallengeStatus,
    Decision,
    Proposer,
    Step,
    StepDecision,
    StepState,
)
from tests import factories
from tests.helpers import REFUSED, htmx_headers, sign_in
from tests.world import give_consent, make_world


@pytest.fixture
def world(app):
    return make_world()


def reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def history(step: Step) -> list[tuple[Decision, int, str | None]]:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(StepDecision).where(StepDecision.step_id == step.id)
        .order_by(StepDecision.id)
    )
    return [(row.decision, row.recorded_by_id, row.note) for row in rows]


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


STEP = {
    "proposal": "Mennään tiistaina yhdessä Kelaan kysymään asumistuesta.",
    "proposed_by": "together",
    "assignee": "pair",
    "due_on": "",
    "decision": "pending",
}


def edit_data(step: Step, version=None, **fields) -> dict:
    data = {
        "proposal": step.proposal, "proposed_by": step.proposed_by.value,
        "assignee": step.assignee.value, "due_on": step.due_on.isoformat() if step.due_on else "",
        "state": step.state.value, "version": str(step.version if version is None else version),
    }
    data.update({k: str(v) for k, v in fields.items()})
    return data


# --- Challenges -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["professional", "expert"])
def test_both_partners_add_a_challenge(client, world, role):
    user = world.actor(role)
    sign_in(client, user)
    before = db.session.get(Client, world.client.id).last_record_at
    page = client.get(f"/clients/{world.client.id}/challenges/new?lang=en")
    assert page.status_code == 200
    response = client.post(
        f"/clients/{world.client.id}/challenges/new",
        data={"domain": "housing", "description": "Haluan oman asunnon, jossa on rauha."},
    )
    assert response.status_code == 302
    challenge = db.session.scalar(sa.select(Challenge))
    assert response.headers["Location"] == (
        f"/clients/{world.client.id}/challenges/#challenge-{challenge.id}"
    )
    assert challenge.client_id == world.client.id
    assert challenge.domain == LifeDomain.HOUSING
    assert challenge.description == "Haluan oman asunnon, jossa on rauha."
    assert challenge.status == ChallengeStatus.OPEN
    assert challenge.created_by_id == user.id
    assert reload(Client, world.client.id).last_record_at > before
    listing = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    assert "Haluan oman asunnon, jossa on rauha." in listing
    assert "Open challenges (1)" in listing


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"domain": "", "description": "Rauha"}, "domain", "Choose the life domain."),
        ({"domain": "moon", "description": "Rauha"}, "domain", "Choose one of the options."),
        ({"domain": "housing", "description": "  "}, "description",
         "Describe the challenge as she puts it."),
        ({"domain": "housing", "description": "x" * 5001}, "description",
         "At most 5000 characters."),
    ],
)
def test_invalid_challenge_is_refused_with_422(client, world, data, field, message):
    sign_in(client, world.professional)
    response = client.post(f"/clients/{world.client.id}/challenges/new?lang=en", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    if field == "domain":
        assert "Rauha</textarea>" in page
    assert count(Challenge) == 0


# --- Steps ------------------------------------------------------------------------------


def test_a_step_is_added_without_a_decision_yet(client, world):
    challenge = factories.make_challenge(world.client)
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/challenges/{challenge.id}/steps/new"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "<legend>Who proposed it</legend>" in page
    response = client.post(url, data={**STEP, "due_on": "2026-12-01"})
    assert response.status_code == 302
    step = db.session.scalar(sa.select(Step))
    assert response.headers["Location"].endswith(f"/challenges/#step-{step.id}")
    assert (step.challenge_id, step.client_id) == (challenge.id, world.client.id)
    assert step.proposal == STEP["proposal"]
    assert step.proposed_by == Proposer.TOGETHER
    assert step.proposed_by_user_id == world.expert.id
    assert step.assignee == Assignee.PAIR
    assert step.due_on == date(2026, 12, 1)
    assert step.state == StepState.OPEN
    assert step.decision == Decision.PENDING
    assert step.decision_recorded_by_id is None
    assert history(step) == []


def test_her_decision_can_be_recorded_with_the_step(client, world):
    challenge = factories.make_challenge(world.client)
    sign_in(client, world.professional)
    response = client.post(
        f"/clients/{world.client.id}/challenges/{challenge.id}/steps/new",
        data={**STEP, "proposed_by": "woman", "assignee": "woman", "decision": "agreed"},
    )
    assert response.status_code == 302
    step = db.session.scalar(sa.select(Step))
    assert step.proposed_by == Proposer.WOMAN
    assert step.decision == Decision.AGREED
    assert step.decision_recorded_by_id == world.professional.id
    assert step.decision_recorded_at is not None
    assert history(step) == [(Decision.AGREED, world.professional.id, None)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"proposal": ""}, "proposal", "Write down the proposed step."),
        ({"proposed_by": ""}, "proposed_by", "Choose who proposed the step."),
        ({"proposed_by": "neighbour"}, "proposed_by", "Choose one of the options."),
        ({"assignee": ""}, "assignee", "Choose who does the step."),
        ({"decision": "maybe"}, "decision", "Choose one of the options."),
        ({"due_on": "tomorrow"}, "due_on", "Enter a valid date."),
    ],
)
def test_invalid_step_is_refused_with_422_and_input_kept(client, world, change, field, message):
    challenge = factories.make_challenge(world.client)
    sign_in(client, world.professional)
    response = client.post(
        f"/clients/{world.client.id}/challenges/{challenge.id}/steps/new?lang=en",
        data={**STEP, **change},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert page.count(message) == 1
    assert f'id="{field}-error"' in page
    if field != "proposal":
        assert STEP["proposal"] + "</textarea>" in page
    assert count(Step) == 0


# --- Her decisions ----------------------------------------------------------------------


def test_decisions_are_recorded_and_every_change_is_kept(client, world):
    step = factories.make_step(factories.make_challenge(world.client))
    url = f"/clients/{world.client.id}/challenges/steps/{step.id}/decision"
    sign_in(client, world.expert)
    response = client.post(url, data={"decision": "wants_to_think",
                                      "note": "Haluaa kysyä ensin siskolta."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/challenges/#step-{step.id}")
    saved = reload(Step, step.id)
    assert saved.decision == Decision.WANTS_TO_THINK
    assert saved.decision_recorded_by_id == world.expert.id
    first_at = saved.decision_recorded_at
    assert first_at is not None

    sign_in(client, world.professional)
    assert client.post(url + "?lang=en", data={"decision": "agreed"}).status_code == 302
    saved = reload(Step, step.id)
    assert saved.decision == Decision.AGREED
    assert saved.decision_recorded_by_id == world.professional.id
    assert saved.decision_recorded_at >= first_at
    assert history(step) == [
        (Decision.WANTS_TO_THINK, world.expert.id, "Haluaa kysyä ensin siskolta."),
        (Decision.AGREED, world.professional.id, None),
    ]
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    assert "Her decision was recorded: Agreed." in page
    assert "Decision history (2)" in page
    assert "Haluaa kysyä ensin siskolta." in page


def test_decision_buttons_swap_the_steps_row_with_htmx(client, world):
    step = factories.make_step(factories.make_challenge(world.client))
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    # Three buttons in a form that works without JavaScript, and swaps the row with it.
    assert f'data-hx-target="#step-{step.id}"' in page
    assert 'data-hx-swap="outerHTML"' in page
    for value in ("agreed", "wants_to_think", "declined"):
        assert f'name="decision" value="{value}"' in page

    response = client.post(
        f"/clients/{world.client.id}/challenges/steps/{step.id}/decision?lang=en",
        data={"decision": "declined"}, headers=htmx_headers(f"step-{step.id}"),
    )
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith(f'<li id="step-{step.id}"')
    assert "Declined" in fragment
    assert "Decision history (1)" in fragment
    # The page's live region hears about it too.
    assert 'id="messages" data-hx-swap-oob="innerHTML"' in fragment
    assert "Her decision was recorded: Declined." in fragment
    assert reload(Step, step.id).decision == Decision.DECLINED


@pytest.mark.parametrize("value", ["", "pending", "sure"])
def test_an_invalid_decision_is_refused_in_place(client, world, value):
    step = factories.make_step(factories.make_challenge(world.client), decision=Decision.AGREED)
    sign_in(client, world.professional)
    url = f"/clients/{world.client.id}/challenges/steps/{step.id}/decision?lang=en"
    response = client.post(url, data={"decision": value, "note": "Muistiinpano"},
                           headers=htmx_headers(f"step-{step.id}"))
    assert response.status_code == 422
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<li id="step-{step.id}"')
    assert 'class="error"' in fragment
    assert 'value="Muistiinpano"' in fragment
    assert "data-hx-swap-oob" not in fragment
    # Without JavaScript: the whole page, with the error at the step.
    page = client.post(url, data={"decision": value})
    assert page.status_code == 422
    assert "<html" in page.get_data(as_text=True)
    assert reload(Step, step.id).decision == Decision.AGREED
    assert len(history(step)) == 1


# --- Editing a step ---------------------------------------------------------------------


def test_a_partner_edits_a_step(client, world):
    step = factories.make_step(factories.make_challenge(world.client))
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/challenges/steps/{step.id}/edit"
    opened_on = step.version
    form = client.get(url + "?lang=en").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{step.version}"' in form
    response = client.post(url, data=edit_data(
        step, proposal="Soitetaan yhdessä asuntotoimistoon.", assignee="expert",
        due_on="2026-11-30", state="done",
    ))
    assert response.status_code == 302
    saved = reload(Step, step.id)
    assert saved.proposal == "Soitetaan yhdessä asuntotoimistoon."
    assert saved.assignee == Assignee.EXPERT
    assert saved.due_on == date(2026, 11, 30)
    assert saved.state == StepState.DONE
    assert saved.version == opened_on + 1


def test_a_stale_step_edit_answers_409_and_keeps_both_versions(client, world):
    step = factories.make_step(factories.make_challenge(world.client), proposal="Alkuperäinen")
    opened_on = step.version
    url = f"/clients/{world.client.id}/challenges/steps/{step.id}/edit?lang=en"
    # The professional saves first...
    sign_in(client, world.professional)
    first = client.post(url, data=edit_data(step, proposal="Ammattilaisen versio"))
    assert first.status_code == 302
    # ...then the expert saves what she typed on the version she opened.
    sign_in(client, world.expert)
    response = client.post(url, data=edit_data(step, version=opened_on,
                                                proposal="Kokemusasiantuntijan versio"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'class="stale"' in page
    assert "Ammattilaisen versio" in page
    assert "Kokemusasiantuntijan versio</textarea>" in page
    saved = reload(Step, step.id)
    assert saved.proposal == "Ammattilaisen versio"
    # The form now carries the current version: saving again is deliberate, and wins.
    assert f'name="version" type="hidden" value="{saved.version}"' in page
    again = client.post(url, data=edit_data(saved, proposal="Kokemusasiantuntijan versio"))
    assert again.status_code == 302
    assert reload(Step, step.id).proposal == "Kokemusasiantuntijan versio"


def test_invalid_step_edit_is_refused_with_422(client, world):
    step = factories.make_step(factories.make_challenge(world.client), proposal="Vanha")
    sign_in(client, world.professional)
    response = client.post(f"/clients/{world.client.id}/challenges/steps/{step.id}/edit?lang=en",
                           data=edit_data(step, proposal="", state="finished"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Write down the proposed step." in page
    assert "Choose one of the options." in page
    assert reload(Step, step.id).proposal == "Vanha"


# --- Closing challenges -----------------------------------------------------------------


@pytest.mark.parametrize("status", ["resolved", "no_longer_relevant"])
def test_a_challenge_is_closed_and_kept(client, world, status):
    challenge = factories.make_challenge(world.client, description="Velat")
    step = factories.make_step(challenge, decision=Decision.AGREED)
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    # It asks first, also without JavaScript.
    assert '<details class="confirm">' in page
    assert "Close this challenge?" in page
    base = f"/clients/{world.client.id}/challenges/{challenge.id}"
    response = client.post(f"{base}/close", data={"status": status})
    assert response.status_code == 302
    saved = reload(Challenge, challenge.id)
    assert saved.status == ChallengeStatus(status)
    assert saved.closed_on == local_today()
    assert saved.closed_by_id == world.expert.id
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    assert "Closed challenges (1)" in page
    assert "Open challenges (0)" in page
    assert "Velat" in page
    # Closed is closed: no new steps, decisions or edits.
    assert client.post(f"{base}/steps/new", data=STEP).status_code == 409
    step_base = f"/clients/{world.client.id}/challenges/steps/{step.id}"
    assert client.post(f"{step_base}/decision", data={"decision": "declined"}).status_code == 409
    assert client.post(f"{step_base}/decision", data={"decision": "declined"},
                       headers=htmx_headers(f"step-{step.id}")).status_code == 409
    assert client.post(f"{step_base}/edit", data=edit_data(step)).status_code == 409
    assert reload(Step, step.id).decision == Decision.AGREED
    # Closing it again changes nothing.
    other = "resolved" if status != "resolved" else "no_longer_relevant"
    assert client.post(f"{base}/close", data={"status": other}).status_code == 302
    assert reload(Challenge, challenge.id).status == ChallengeStatus(status)


@pytest.mark.parametrize("value", ["", "open", "maybe"])
def test_closing_needs_a_valid_outcome(client, world, value):
    challenge = factories.make_challenge(world.client)
    sign_in(client, world.professional)
    response = client.post(f"/clients/{world.client.id}/challenges/{challenge.id}/close?lang=en",
                           data={"status": value})
    assert response.status_code == 422
    assert reload(Challenge, challenge.id).status == ChallengeStatus.OPEN


# --- Query counts -----------------------------------------------------------------------


def test_challenge_list_runs_a_fixed_number_of_queries(client, world, count_queries):
    sign_in(client, world.expert)

    def add(n):
        for i in range(n):
            challenge = factories.make_challenge(world.client)
            for decision in Decision:
                factories.make_step(challenge, decision=decision)
            if i % 3 == 2:
                challenge.status = ChallengeStatus.RESOLVED
                challenge.closed_on = local_today()
                challenge.closed_by_id = world.professional.id
                db.session.commit()

    def load() -> int:
        with count_queries() as statements:
            response = client.get(f"/clients/{world.client.id}/challenges/")
        assert response.status_code == 200
        return len(statements)

    add(3)
    with_three = load()
    add(17)
    assert load() == with_three
    assert with_three <= 10


# --- Who may do what --------------------------------------------------------------------


def _requests(world, challenge, step) -> list[tuple[str, str, dict | None, str | None]]:
    base = f"/clients/{world.client.id}/challenges"
    return [
        ("get", f"{base}/", None, None),
        ("get", f"{base}/", None, "challenge-list"),
        ("get", f"{base}/new", None, None),
        ("post", f"{base}/new", {"domain": "housing", "description": "X"}, None),
        ("get", f"{base}/{challenge.id}/steps/new", None, None),
        ("post", f"{base}/{challenge.id}/steps/new", STEP, None),
        ("post", f"{base}/steps/{step.id}/decision", {"decision": "declined"}, None),
        ("post", f"{base}/steps/{step.id}/decision", {"decision": "declined"}, f"step-{step.id}"),
        ("get", f"{base}/steps/{step.id}/edit", None, None),
        ("post", f"{base}/steps/{step.id}/edit", edit_data(step, proposal="Muutettu"), None),
        ("post", f"{base}/{challenge.id}/close", {"status": "resolved"}, None),
    ]


def _unchanged(world, challenge, step):
    assert count(Challenge) == 1
    assert count(Step) == 1
    saved = reload(Step, step.id)
    assert (saved.decision, saved.proposal) == (Decision.AGREED, "Salainen askel")
    assert reload(Challenge, challenge.id).status == ChallengeStatus.OPEN


@pytest.mark.parametrize(("actor", "statuses"), REFUSED)
def test_outsiders_cannot_reach_her_challenges(client, world, actor, statuses):
    challenge = factories.make_challenge(world.client, description="Salainen haaste")
    step = factories.make_step(challenge, proposal="Salainen askel", decision=Decision.AGREED)
    sign_in(client, world.actor(actor))
    for method, url, data, target in _requests(world, challenge, step):
        headers = htmx_headers(target) if target else {}
        response = getattr(client, method)(url, data=data, headers=headers)
        assert response.status_code in statuses, (url, target, response.status_code)
        text = response.get_data(as_text=True)
        assert "Salainen" not in text
    _unchanged(world, challenge, step)


def test_another_clients_records_are_not_found_through_her_url(client, world):
    """Ids of another pair's challenge and step under our client's URL: 404, fragments too."""
    theirs = factories.make_challenge(world.other_client)
    their_step = factories.make_step(theirs, decision=Decision.AGREED)
    sign_in(client, world.professional)
    base = f"/clients/{world.client.id}/challenges"
    assert client.get(f"{base}/{theirs.id}/steps/new").status_code == 404
    assert client.post(f"{base}/{theirs.id}/close", data={"status": "resolved"}).status_code == 404
    assert client.get(f"{base}/steps/{their_step.id}/edit").status_code == 404
    response = client.post(f"{base}/steps/{their_step.id}/decision", data={"decision": "declined"},
                           headers=htmx_headers(f"step-{their_step.id}"))
    assert response.status_code == 404
    assert reload(Step, their_step.id).decision == Decision.AGREED
    assert reload(Challenge, theirs.id).status == ChallengeStatus.OPEN


def test_expert_before_the_confidentiality_agreement_gets_404(client, world):
    challenge = factories.make_challenge(world.unconfirmed_client)
    step = factories.make_step(challenge)
    base = f"/clients/{world.unconfirmed_client.id}/challenges"
    sign_in(client, world.unconfirmed_pair.expert)
    assert client.get(f"{base}/").status_code == 404
    assert client.post(f"{base}/steps/{step.id}/decision", data={"decision": "agreed"},
                       headers=htmx_headers(f"step-{step.id}")).status_code == 404
    assert reload(Step, step.id).decision == Decision.PENDING
    sign_in(client, world.unconfirmed_pair.professional)
    assert client.get(f"{base}/").status_code == 200


def test_signed_out_user_is_sent_to_sign_in(client, world):
    challenge = factories.make_challenge(world.client)
    step = factories.make_step(challenge, proposal="Salainen askel", decision=Decision.AGREED)
    for method, url, data, target in _requests(world, challenge, step):
        if target:
            response = getattr(client, method)(url, data=data, headers=htmx_headers(target))
            assert response.headers["HX-Redirect"].startswith("/login"), url
        else:
            response = getattr(client, method)(url, data=data)
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login"), url
    _unchanged(world, challenge, step)


# --- Consent ----------------------------------------------------------------------------


def test_without_a_valid_consent_nothing_new_is_recorded(client, world):
    her = factories.make_client(world.pair, name="Peruttu")
    give_consent(her, given_on=local_today() - timedelta(days=90))
    challenge = factories.make_challenge(her, description="Aiempi haaste")
    step = factories.make_step(challenge, decision=Decision.WANTS_TO_THINK)
    # She withdraws her consent: what is saved stays, nothing new is recorded.
    from outreach.consents.models import Consent

    consent = db.session.scalar(sa.select(Consent).where(Consent.client_id == her.id))
    consent.withdrawn_on = local_today()
    db.session.commit()

    sign_in(client, world.expert)
    base = f"/clients/{her.id}/challenges"
    listing = client.get(f"{base}/?lang=en")
    assert listing.status_code == 200
    text = listing.get_data(as_text=True)
    assert "Aiempi haaste" in text
    assert "Without her valid consent" in text
    assert 'name="decision"' not in text
    assert client.get(f"{base}/new").status_code == 403
    new = client.post(f"{base}/new", data={"domain": "housing", "description": "X"})
    assert new.status_code == 403
    assert client.post(f"{base}/{challenge.id}/steps/new", data=STEP).status_code == 403
    assert client.post(f"{base}/steps/{step.id}/decision", data={"decision": "agreed"},
                       headers=htmx_headers(f"step-{step.id}")).status_code == 403
    assert client.post(f"{base}/steps/{step.id}/edit",
                       data=edit_data(step, proposal="Muutettu")).status_code == 403
    assert count(Challenge) == 1 and count(Step) == 1
    assert reload(Step, step.id).decision == Decision.WANTS_TO_THINK
    # Ending the work on a challenge records nothing new about her: still allowed.
    assert client.post(f"{base}/{challenge.id}/close",
                       data={"status": "no_longer_relevant"}).status_code == 302
    assert reload(Challenge, challenge.id).status == ChallengeStatus.NO_LONGER_RELEVANT


# --- The client page and the timeline ---------------------------------------------------


def test_client_page_section_counts_steps_by_decision(world):
    first = factories.make_challenge(world.client, domain=LifeDomain.INCOME_DEBTS)
    for decision in (Decision.AGREED, Decision.AGREED, Decision.DECLINED, Decision.PENDING):
        factories.make_step(first, decision=decision)
    second = factories.make_challenge(world.client)
    closed = factories.make_challenge(world.client, status=ChallengeStatus.RESOLVED,
                                      closed_on=local_today())
    factories.make_step(closed, decision=Decision.AGREED)
    factories.make_step(factories.make_challenge(world.other_client), decision=Decision.AGREED)
    section = next(s for s in sections() if s.name == "challenges")
    context = section.load(world.client, world.professional)
    assert [c.id for c in context["open_challenges"]] == [first.id, second.id]
    assert dict(context["decision_counts"][first.id]) == {
        Decision.AGREED: 2, Decision.DECLINED: 1, Decision.PENDING: 1,
    }
    assert not context["decision_counts"][second.id]
    assert context["closed_count"] == 1


def test_challenges_and_decisions_are_on_her_timeline(world):
    challenge = factories.make_challenge(world.client)
    step = factories.make_step(challenge, decision=Decision.AGREED, by=world.expert)
    factories.make_step(factories.make_challenge(world.other_client), decision=Decision.AGREED)
    page = timeline.page([world.client.id], ["challenge", "step_decision"])
    kinds = sorted((e.kind.name, e.record.id, e.actor_id) for e in page.entries)
    [decision] = step.decisions
    assert kinds == [
        ("challenge", challenge.id, world.professional.id),
        ("step_decision", decision.id, world.expert.id),
    ]


def test_her_page_shows_open_challenges_with_decision_counts(client, world):
    challenge = factories.make_challenge(world.client, domain=LifeDomain.INCOME_DEBTS,
                                         description="Ulosotto vie kaiken")
    for decision in (Decision.AGREED, Decision.AGREED, Decision.WANTS_TO_THINK):
        factories.make_step(challenge, decision=decision)
    factories.make_challenge(world.client, description="Vanha juttu",
                             status=ChallengeStatus.RESOLVED, closed_on=local_today())
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    section = page[page.index('<section id="challenges"'):]
    section = section[:section.index("</section>")]
    assert '<h2 id="challenges-heading">Challenges and steps</h2>' in section
    assert "Ulosotto vie kaiken" in section
    assert "Agreed: 2 · Wants to think: 1" in section
    assert "Vanha juttu" not in section
    assert "(1 closed)" in section


def test_challenges_and_decisions_show_on_her_timeline_page(client, world):
    challenge = factories.make_challenge(world.client, description="Velat")
    step = factories.make_step(challenge, proposal="Soitetaan velkaneuvontaan",
                               decision=Decision.DECLINED)
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/timeline?lang=en").get_data(as_text=True)
    assert f"#challenge-{challenge.id}" in page
    assert f"#step-{step.id}" in page
    assert "Her decision: Declined" in page
    assert "Soitetaan velkaneuvontaan" in page
