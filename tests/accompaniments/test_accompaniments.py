"""Accompaniments: planned (on the week plan), recorded with an outcome, the quick outcome
form the one who went is asked for on the home page, and her last contact."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from outreach.accompaniments.models import Accompaniment, Outcome
from outreach.accompaniments.queries import outcomes_due, planned_accompaniments, planned_for_week
from outreach.contacts.choices import Participants
from outreach.core.clock import utcnow
from outreach.core.time import aware, local_today
from outreach.extensions import db
from outreach.tasks.models import Assignee, Task, TaskOrigin
from tests import factories
from tests.helpers import (
    REFUSED,
    count,
    fresh,
    htmx_headers,
    last_contact,
    local_input,
    rows,
    sign_in,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def kela(app):
    from outreach.services.models import ServiceKind

    return factories.make_service(ServiceKind.KELA, name_fi="Kela, Kallion toimisto",
                                  name_en="Kela, Kallio office")


def form_data(service, **fields) -> dict:
    data = {
        "service_id": str(service.id),
        "purpose": "Asumistukihakemuksen jättäminen",
        "when": local_input(utcnow() + timedelta(days=2)),
        "who_went": "expert",
        "state": "planned",
        "minutes_spent": "",
        "next_step": "",
        "task_assignee": "expert",
        "task_due_on": "",
    }
    data.update(fields)
    return data


def new_url(world) -> str:
    return f"/clients/{world.client.id}/accompaniments/new"


# --- Planning and recording -------------------------------------------------------------------


def test_a_planned_accompaniment_waits_for_its_outcome(client, world, kela):
    sign_in(client, world.expert)
    page = client.get(new_url(world) + "?lang=en").get_data(as_text=True)
    assert "Kela, Kallio office" in page
    when = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(new_url(world), data=form_data(kela, when=local_input(when)))
    assert response.status_code == 302
    [record] = rows(Accompaniment)
    assert record.outcome is None and record.is_planned
    assert aware(record.planned_at) == when
    assert record.took_place_at is None
    assert (record.service_id, record.who_went, record.created_by_id) == (
        kela.id, Participants.EXPERT, world.expert.id)
    assert last_contact(world.client) is None
    assert record.planned_on == when.astimezone(HELSINKI).date()


def test_one_that_took_place_is_recorded_with_its_outcome_and_next_step_task(
        client, world, kela):
    sign_in(client, world.expert)
    took_place = (utcnow() - timedelta(hours=3)).replace(second=0, microsecond=0)
    due = local_today() + timedelta(days=7)
    response = client.post(new_url(world), data=form_data(
        kela, when=local_input(took_place), state="partly_done", minutes_spent="150",
        expert_supported_interaction="y", next_step="Toimitetaan puuttuva vuokrasopimus",
        make_task="y", task_assignee="client", task_due_on=due.isoformat(), who_went="both"))
    assert response.status_code == 302
    [record] = rows(Accompaniment)
    assert record.outcome == Outcome.PARTLY_DONE
    assert aware(record.took_place_at) == took_place
    assert record.planned_at is None
    assert record.minutes_spent == 150
    assert record.expert_supported_interaction is True
    assert record.outcome_recorded_by_id == world.expert.id
    [task] = rows(Task)
    assert record.task_id == task.id
    assert (task.title, task.assignee, task.due_on, task.origin, task.client_id) == (
        "Toimitetaan puuttuva vuokrasopimus", Assignee.CLIENT, due, TaskOrigin.ACCOMPANIMENT,
        world.client.id)
    assert last_contact(world.client) == took_place


@pytest.mark.parametrize("outcome", ["did_not_come", "postponed"])
def test_when_she_was_not_met_her_last_contact_stays(client, world, kela, outcome):
    sign_in(client, world.expert)
    client.post(new_url(world), data=form_data(
        kela, when=local_input(utcnow() - timedelta(hours=1)), state=outcome))
    assert rows(Accompaniment)[0].outcome == Outcome(outcome)
    assert last_contact(world.client) is None


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"service_id": ""}, "service_id", "Choose the service from the catalogue."),
    ({"service_id": "99999"}, "service_id", "Choose a service from the catalogue."),
    ({"purpose": " "}, "purpose", "Write what she wants to get done there."),
    ({"who_went": ""}, "who_went", "Choose who of you goes with her."),
    ({"state": "maybe"}, "state", "Choose one of the options."),
    ({"when": ""}, "when", "Enter when it is planned or took place."),
    ({"state": "done"}, "when", "It cannot have taken place in the future."),
    ({"minutes_spent": "-1"}, "minutes_spent", "Enter the time spent in minutes"),
    ({"who_went": "professional", "expert_supported_interaction": "y"},
     "expert_supported_interaction", "Only when the experience expert went along."),
    ({"make_task": "y"}, "next_step", "Write the next step to make it a task."),
    ({"task_due_on": "2031-01-01"}, "task_due_on", "Tick “Make the next step a task”"),
])
def test_an_invalid_accompaniment_is_refused_with_422(client, world, kela, change, field,
                                                      message):
    sign_in(client, world.expert)
    response = client.post(new_url(world) + "?lang=en", data=form_data(kela, **change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    if field != "purpose":
        assert "Asumistukihakemuksen jättäminen</textarea>" in page
    assert count(Accompaniment) == 0


def test_an_inactive_service_is_not_offered_for_a_new_one(client, world, kela):
    gone = factories.make_service(name_fi="Lakkautettu palvelu", active=False)
    sign_in(client, world.expert)
    page = client.get(new_url(world) + "?lang=en").get_data(as_text=True)
    assert "Lakkautettu palvelu" not in page
    response = client.post(new_url(world), data=form_data(gone))
    assert response.status_code == 422
    # An older record keeps its service even after it left the catalogue.
    record = factories.make_accompaniment(world.client, service=gone)
    page = client.get(f"/clients/{world.client.id}/accompaniments/{record.id}/edit?lang=en")
    assert "Lakkautettu palvelu" in page.get_data(as_text=True)


def test_without_her_consent_nothing_is_planned(client, world, kela):
    her = factories.make_client(world.pair, name="Ei suostumusta")
    sign_in(client, world.expert)
    response = client.post(f"/clients/{her.id}/accompaniments/new?lang=en", data=form_data(kela))
    assert response.status_code == 403
    assert "Her consent is needed first" in response.get_data(as_text=True)
    assert count(Accompaniment) == 0


# --- Outcome due, the quick outcome ------------------------------------------------------------


def test_the_one_who_went_is_asked_for_the_outcome_on_the_home_page(client, world, kela):
    past = utcnow() - timedelta(hours=2)
    due = factories.make_accompaniment(world.client, service=kela, planned_at=past)
    factories.make_accompaniment(world.client, service=kela)  # tomorrow: not yet
    factories.make_accompaniment(world.client, service=kela, planned_at=past,
                                 who_went=Participants.PROFESSIONAL, purpose="Ammattilaisen")
    factories.make_accompaniment(world.client, service=kela, planned_at=past,
                                 outcome=Outcome.DONE, took_place_at=past, purpose="Tehty")
    assert [a.id for a in outcomes_due(world.expert)] == [due.id]
    sign_in(client, world.expert)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Record how the accompaniments went" in page
    assert f"/clients/{world.client.id}/accompaniments/{due.id}/outcome?next=/" in page
    assert world.client.name in page
    # The professional did not go on that one; hers is the one she went on.
    assert [a.purpose for a in outcomes_due(world.professional)] == ["Ammattilaisen"]
    assert outcomes_due(world.supervisor) == [] and outcomes_due(world.admin) == []
    assert outcomes_due(world.other_pair.expert) == []


def test_both_are_asked_when_both_went(world, kela):
    factories.make_accompaniment(world.client, service=kela, who_went=Participants.BOTH,
                                 planned_at=utcnow() - timedelta(minutes=5))
    assert len(outcomes_due(world.expert)) == len(outcomes_due(world.professional)) == 1


def test_the_quick_outcome_records_it_at_the_planned_time(client, world, kela):
    planned = (utcnow() - timedelta(hours=5)).replace(microsecond=0)
    record = factories.make_accompaniment(world.client, service=kela, planned_at=planned)
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/accompaniments/{record.id}/outcome"
    page = client.get(url + "?next=/&lang=en").get_data(as_text=True)
    assert 'name="outcome" value="done"' in page
    assert 'name="minutes_spent" value="90"' in page
    response = client.post(url, data={"outcome": "done", "minutes_spent": "90",
                                      "expert_supported_interaction": "y", "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    saved = fresh(Accompaniment, record.id)
    assert saved.outcome == Outcome.DONE
    assert aware(saved.took_place_at) == planned
    assert saved.minutes_spent == 90
    assert saved.expert_supported_interaction is True
    assert saved.outcome_recorded_by_id == world.expert.id
    assert saved.version == 2
    assert last_contact(world.client) == planned
    assert outcomes_due(world.expert) == []
    # The partner who went too, a moment later: already recorded, nothing overwritten.
    sign_in(client, world.professional)
    response = client.post(url + "?lang=en", data={"outcome": "not_done"})
    assert response.status_code == 409
    assert "The outcome has already been recorded: Done." in response.get_data(as_text=True)
    assert fresh(Accompaniment, record.id).outcome == Outcome.DONE


def test_a_postponed_one_is_offered_to_be_planned_again(client, world, kela):
    record = factories.make_accompaniment(world.client, service=kela, purpose="Pankkiasiat",
                                          planned_at=utcnow() - timedelta(hours=1))
    sign_in(client, world.expert)
    response = client.post(f"/clients/{world.client.id}/accompaniments/{record.id}/outcome",
                           data={"outcome": "postponed"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/accompaniments/new?again={record.id}")
    assert last_contact(world.client) is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pankkiasiat</textarea>" in page
    assert re.search(rf'<option[^>]* selected value="{kela.id}"', page)


@pytest.mark.parametrize("data", [{}, {"outcome": "planned"}, {"outcome": "done",
                                                               "minutes_spent": "many"}])
def test_an_invalid_quick_outcome_is_refused(client, world, kela, data):
    record = factories.make_accompaniment(world.client, service=kela,
                                          planned_at=utcnow() - timedelta(hours=1))
    sign_in(client, world.expert)
    response = client.post(f"/clients/{world.client.id}/accompaniments/{record.id}/outcome",
                           data=data)
    assert response.status_code == 422
    assert fresh(Accompaniment, record.id).outcome is None


# --- Editing and deleting ---------------------------------------------------------------------


def edit_data(record: Accompaniment, **fields) -> dict:
    data = form_data(
        record.service, purpose=record.purpose, when=local_input(record.when),
        who_went=record.who_went.value, state=record.outcome.value if record.outcome
        else "planned", minutes_spent=str(record.minutes_spent or ""),
    )
    data["version"] = str(record.version)
    data.update(fields)
    return data


def test_editing_the_outcome_and_deleting_count_her_last_contact_again(client, world, kela):
    then = (utcnow() - timedelta(days=4)).replace(second=0, microsecond=0)
    record = factories.make_accompaniment(world.client, service=kela, planned_at=then)
    sign_in(client, world.professional)
    url = f"/clients/{world.client.id}/accompaniments/{record.id}/edit"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert '<input checked id="state-0" name="state" required type="radio" value="planned">' \
        in page
    response = client.post(url, data=edit_data(record, state="done", minutes_spent="60"))
    assert response.status_code == 302
    saved = fresh(Accompaniment, record.id)
    assert saved.outcome == Outcome.DONE
    assert aware(saved.took_place_at) == then
    assert aware(saved.planned_at) == then
    assert saved.outcome_recorded_by_id == world.professional.id
    assert last_contact(world.client) == then
    response = client.post(url, data=edit_data(saved, state="did_not_come"))
    assert response.status_code == 302
    assert last_contact(world.client) is None
    response = client.post(f"/clients/{world.client.id}/accompaniments/{record.id}/delete")
    assert response.status_code == 302
    assert count(Accompaniment) == 0


def test_a_stale_edit_answers_409_with_both_versions(client, world, kela):
    record = factories.make_accompaniment(world.client, service=kela, purpose="Alkuperäinen")
    sign_in(client, world.expert)
    data = edit_data(record, purpose="Minun versioni")
    record.purpose = "Kumppanin versio"
    db.session.commit()
    response = client.post(f"/clients/{world.client.id}/accompaniments/{record.id}/edit?lang=en",
                           data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Kumppanin versio" in page and "Minun versioni</textarea>" in page
    assert fresh(Accompaniment, record.id).purpose == "Kumppanin versio"


def test_the_expert_deletes_only_what_she_recorded(client, world, kela):
    theirs = factories.make_accompaniment(world.client, service=kela, by=world.professional)
    sign_in(client, world.expert)
    assert client.post(f"/clients/{world.client.id}/accompaniments/{theirs.id}/delete"
                       ).status_code == 403
    assert count(Accompaniment) == 1


# --- The week plan, the list, the timeline -----------------------------------------------------


def test_planned_accompaniments_of_a_week_for_the_week_plan(world, kela):
    monday = local_today() - timedelta(days=local_today().weekday())
    # Monday 00:30 in Helsinki is still Sunday in UTC: it belongs to this week.
    # (Stored in UTC, as the app stores every moment.)
    early = datetime.combine(monday, time(0, 30), tzinfo=HELSINKI).astimezone(UTC)
    inside = factories.make_accompaniment(world.client, service=kela, planned_at=early)
    factories.make_accompaniment(world.client, service=kela,
                                 planned_at=early - timedelta(hours=1))  # last week
    factories.make_accompaniment(world.other_client, service=kela, planned_at=early)
    found = planned_for_week(world.pair, monday)
    assert [(record.id, at) for record, at in found] == [(inside.id, time(0, 30))]
    assert found[0][0].planned_on == monday
    assert planned_for_week(world.pair, monday, with_clients=False) == []
    start = early - timedelta(days=1)
    assert {a.id for a in planned_accompaniments([world.pair.id], start,
                                                 start + timedelta(days=8))} >= {inside.id}


def test_the_list_runs_the_same_number_of_queries_for_3_and_20(client, world, kela,
                                                               count_queries):
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/accompaniments/"

    def measure(n):
        for i in range(n):
            factories.make_accompaniment(world.client, service=factories.make_service(),
                                         by=world.professional if i % 2 else world.expert)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert measure(3) == measure(17)


def test_the_list_filters_by_outcome(client, world, kela):
    factories.make_accompaniment(world.client, service=kela, purpose="Suunniteltu")
    factories.make_accompaniment(world.client, service=kela, purpose="Tehty",
                                 outcome=Outcome.DONE, took_place_at=utcnow())
    sign_in(client, world.expert)
    response = client.get(f"/clients/{world.client.id}/accompaniments/?state=planned&lang=en",
                          headers=htmx_headers("accompaniment-list"))
    html = response.get_data(as_text=True)
    assert "Suunniteltu" in html and "Tehty" not in html


def test_accompaniments_appear_on_her_timeline(client, world, kela):
    factories.make_accompaniment(world.client, service=kela, outcome=Outcome.DONE,
                                 took_place_at=utcnow() - timedelta(hours=1),
                                 expert_supported_interaction=True, minutes_spent=75)
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/timeline?lang=en").get_data(as_text=True)
    assert "Kela, Kallio office" in page
    assert "the expert supported her talk with the staff" in page
    assert f"Recorded by {world.expert.name}" in page


# --- Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "statuses"), REFUSED)
def test_others_are_refused_everywhere(client, world, kela, who, statuses):
    record = factories.make_accompaniment(world.client, service=kela,
                                          planned_at=utcnow() - timedelta(hours=1))
    base = f"/clients/{world.client.id}/accompaniments"
    sign_in(client, world.actor(who))
    for method, url in [("get", f"{base}/"), ("get", f"{base}/new"), ("post", f"{base}/new"),
                        ("get", f"{base}/{record.id}/edit"), ("post", f"{base}/{record.id}/edit"),
                        ("get", f"{base}/{record.id}/outcome"),
                        ("post", f"{base}/{record.id}/outcome"),
                        ("post", f"{base}/{record.id}/delete")]:
        data = form_data(kela, state="done") if method == "post" else None
        for headers in (None, htmx_headers("accompaniment-list")):
            response = getattr(client, method)(url, data=data, headers=headers)
            assert response.status_code in statuses, (method, url, response.status_code)
    assert fresh(Accompaniment, record.id).outcome is None


def test_an_expert_before_the_confidentiality_agreement_gets_404(client, world, kela):
    record = factories.make_accompaniment(world.unconfirmed_client, service=kela,
                                          who_went=Participants.EXPERT,
                                          planned_at=utcnow() - timedelta(hours=1))
    expert = world.unconfirmed_pair.expert
    assert outcomes_due(expert) == []
    sign_in(client, expert)
    base = f"/clients/{world.unconfirmed_client.id}/accompaniments"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/{record.id}/outcome").status_code == 404


def test_signed_out_is_sent_to_sign_in(client, world):
    sign_in(client, None)
    response = client.get(f"/clients/{world.client.id}/accompaniments/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
