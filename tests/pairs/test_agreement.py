"""The start-up agreement: the two partners record it together; every edit keeps who and
when; a stale save gets 409 with both versions and nothing lost."""

from datetime import date, timedelta

import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import MeetingRhythm, PairAgreement, PairAgreementEdit
from tests.helpers import sign_in, text_of
from tests.pairs.helpers import agreement_data, make_world

TODAY = local_today()


def _agreement(pair_id) -> PairAgreement | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(PairAgreement).where(PairAgreement.pair_id == pair_id))


def test_professional_starts_the_agreement_and_the_expert_continues_it(client):
    world = make_world()
    sign_in(client, world.pair.professional)
    response = client.post(f"/pairs/{world.pair.id}/agreement", data=agreement_data(
        0, meeting_date=TODAY, values_1="  Everyone has strengths.  ",
        planning_rhythm="weekly"))
    assert response.status_code == 302
    agreement = _agreement(world.pair.id)
    assert agreement.meeting_date == TODAY
    assert agreement.values_1 == "Everyone has strengths."
    assert agreement.planning_rhythm is MeetingRhythm.WEEKLY
    assert agreement.confidentiality_signed_on is None

    sign_in(client, world.pair.expert)
    page = text_of(client.get(f"/pairs/{world.pair.id}/agreement?lang=en"))
    assert "Everyone has strengths." in page  # the partner's notes are in the form
    assert f"Last edited by {world.pair.professional.name}" in page
    response = client.post(f"/pairs/{world.pair.id}/agreement", data=agreement_data(
        agreement.version, meeting_date=TODAY, values_1="Everyone has strengths.",
        planning_rhythm="weekly", confidentiality_signed_on=TODAY,
        expert_asks_help="A text message: call me when you can."))
    assert response.status_code == 302
    agreement = _agreement(world.pair.id)
    assert agreement.confidentiality_signed_on == TODAY
    assert agreement.expert_asks_help == "A text message: call me when you can."
    assert agreement.values_1 == "Everyone has strengths."


def test_every_edit_keeps_who_when_and_what(client):
    world = make_world()
    sign_in(client, world.pair.professional)
    client.post(f"/pairs/{world.pair.id}/agreement",
                data=agreement_data(0, values_2="Honesty", meeting_date=TODAY))
    sign_in(client, world.pair.expert)
    client.post(f"/pairs/{world.pair.id}/agreement", data=agreement_data(
        1, values_2="Honesty", meeting_date=TODAY, roles_6="By text message",
        debrief_rhythm="every_2_weeks"))
    db.session.expire_all()
    edits = db.session.scalars(sa.select(PairAgreementEdit).order_by(PairAgreementEdit.id)).all()
    assert [(e.edited_by_id, e.fields) for e in edits] == [
        (world.pair.professional.id, ["meeting_date", "values_2"]),
        (world.pair.expert.id, ["roles_6", "debrief_rhythm"]),
    ]
    assert all(e.at is not None for e in edits)
    page = text_of(client.get(f"/pairs/{world.pair.id}/agreement?lang=en"))
    assert f"Last edited by {world.pair.expert.name}" in page
    history = page[page.index("Edit history"):]
    assert world.pair.professional.name in history
    assert "Date of the start-up meeting, Shared values, question 2" in history
    assert "Roles, question 6, Debrief meetings" in history


def test_saving_without_changes_records_no_edit(client, make_agreement):
    world = make_world()
    agreement = make_agreement(world.pair, values_1="Same")
    sign_in(client, world.pair.expert)
    response = client.post(f"/pairs/{world.pair.id}/agreement",
                           data=agreement_data(agreement.version, values_1="Same"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(PairAgreementEdit.id))) == 0
    assert _agreement(world.pair.id).version == agreement.version


def test_a_stale_save_answers_409_with_both_versions_and_keeps_the_input(app, client):
    world = make_world()
    professional, expert = client, app.test_client()
    sign_in(professional, world.pair.professional)
    sign_in(expert, world.pair.expert)
    url = f"/pairs/{world.pair.id}/agreement"
    client.post(url, data=agreement_data(0, values_1="First words"))
    # Both open the form on version 1.
    assert 'name="version" type="hidden" value="1"' in text_of(professional.get(url))
    assert 'name="version" type="hidden" value="1"' in text_of(expert.get(url))
    assert professional.post(url, data=agreement_data(
        1, values_1="The professional's view", practical_matters="Come 15 minutes early",
    )).status_code == 302
    response = expert.post(url + "?lang=en", data=agreement_data(
        1, values_1="The expert's view", practical_matters="Come 15 minutes early",
        roles_5="Proud and a little nervous"))
    assert response.status_code == 409
    page = text_of(response)
    assert 'class="stale"' in page
    stale = page[page.index('class="stale"'):page.index("<form", page.index('class="stale"'))]
    assert "The professional's view" in stale and "The expert's view" in stale
    assert "Proud and a little nervous" in stale
    assert "Come 15 minutes early" not in stale  # only what differs is compared
    form = page[page.index("<form", page.index('class="stale"')):]
    assert "The expert's view" in form and "Proud and a little nervous" in form
    assert 'name="version" type="hidden" value="2"' in form  # saving again is deliberate
    agreement = _agreement(world.pair.id)
    assert agreement.values_1 == "The professional's view" and agreement.roles_5 is None
    # Saving the kept input again, on the version now shown, replaces the saved one.
    assert expert.post(url, data=agreement_data(
        2, values_1="The expert's view", roles_5="Proud and a little nervous",
        practical_matters="Come 15 minutes early")).status_code == 302
    assert _agreement(world.pair.id).values_1 == "The expert's view"


def test_two_partners_creating_the_agreement_at_once_get_409_not_a_duplicate(app, client):
    world = make_world()
    other = app.test_client()
    sign_in(client, world.pair.professional)
    sign_in(other, world.pair.expert)
    url = f"/pairs/{world.pair.id}/agreement"
    assert client.post(url, data=agreement_data(0, values_3="Calm")).status_code == 302
    response = other.post(url, data=agreement_data(0, values_3="Direct"))
    assert response.status_code == 409
    assert "Calm" in text_of(response) and "Direct" in text_of(response)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(PairAgreement.id))) == 1


def test_invalid_input_is_422_and_kept(client):
    world = make_world()
    sign_in(client, world.pair.expert)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = client.post(f"/pairs/{world.pair.id}/agreement?lang=en", data=agreement_data(
        0, confidentiality_signed_on=tomorrow, values_4="Kept text", volunteer_signed_on="1.2.",
        planning_rhythm="daily"))
    assert response.status_code == 422
    page = text_of(response)
    assert "The date cannot be in the future." in page
    assert "Enter a valid date." in page
    assert "Not a valid choice" in page
    assert "Kept text" in page
    assert _agreement(world.pair.id) is None


def test_supervisor_reads_the_agreement_but_cannot_edit(client, make_agreement):
    world = make_world()
    make_agreement(world.pair, values_5="Many women have met violence.",
                   planning_rhythm=MeetingRhythm.EVERY_3_WEEKS)
    sign_in(client, world.supervisor)
    page = text_of(client.get(f"/pairs/{world.pair.id}/agreement?lang=en"))
    assert "Many women have met violence." in page
    assert "Every three weeks" in page
    assert "<textarea" not in page and "Save the agreement" not in page
    response = client.post(f"/pairs/{world.pair.id}/agreement",
                           data=agreement_data(1, values_5="Changed"))
    assert response.status_code == 403
    assert _agreement(world.pair.id).values_5 == "Many women have met violence."


def test_agreement_state_follows_the_checklist(make_agreement, make_pair):
    from outreach.pairs.models import AgreementState, agreement_state

    pair = make_pair()
    assert agreement_state(None) is AgreementState.MISSING
    agreement = make_agreement(pair, meeting_date=TODAY, values_1="x")
    assert agreement_state(agreement) is AgreementState.IN_PROGRESS
    checklist = {
        "volunteer_signed_on": TODAY, "confidentiality_signed_on": TODAY,
        "challenging_situations_plan": "Plan", "planning_rhythm": MeetingRhythm.WEEKLY,
        "debrief_rhythm": MeetingRhythm.MONTHLY, "practical_matters": "Early",
        "professional_asks_help": "Asks", "expert_asks_help": "Texts",
    }
    for name, value in checklist.items():
        assert agreement_state(agreement) is AgreementState.IN_PROGRESS, name
        setattr(agreement, name, value)
    assert agreement_state(agreement) is AgreementState.COMPLETE


def test_meeting_rhythm_next_due_day():
    assert MeetingRhythm.WEEKLY.next_after(date(2026, 1, 5)) == date(2026, 1, 12)
    assert MeetingRhythm.EVERY_3_WEEKS.next_after(date(2026, 1, 5)) == date(2026, 1, 26)
    assert MeetingRhythm.MONTHLY.next_after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert MeetingRhythm.MONTHLY.next_after(date(2026, 12, 15)) == date(2027, 1, 15)
