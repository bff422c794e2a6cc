"""Network contacts: the professional records them, the expert reads them; a clear warning
before saving when her consent does not cover the organisation, and the reason kept."""

from datetime import timedelta

import pytest

from outreach.core.clock import utcnow
from outreach.network.models import NetworkChannel, NetworkContact
from outreach.services.models import ServiceKind
from outreach.tasks.models import Task, TaskOrigin
from tests import factories
from tests.helpers import REFUSED, count, fresh, htmx_headers, local_input, rows, sign_in
from tests.world import give_consent


@pytest.fixture
def services(world):
    """Her consent names the social services office (contact on her behalf); the police is
    in the catalogue but not in her consent."""
    social = factories.make_service(ServiceKind.SOCIAL_SERVICES, name_fi="Sosiaalitoimisto",
                                    name_en="Social services office")
    police = factories.make_service(ServiceKind.POLICE, name_fi="Poliisi", name_en="Police")
    give_consent(world.client, services=[social])
    return social, police


def form_data(service=None, **fields) -> dict:
    data = {
        "service_id": str(service.id) if service else "",
        "organisation": "",
        "person": "Sosiaalityöntekijä Laine",
        "channel": "phone",
        "topic": "Toimeentulotuen käsittely",
        "outcome": "Hakemus on jonossa.",
        "next_step": "",
        "contacted_at": local_input(utcnow() - timedelta(hours=1)),
        "task_assignee": "professional",
        "task_due_on": "",
    }
    data.update(fields)
    return data


def new_url(world) -> str:
    return f"/clients/{world.client.id}/network/new"


def test_a_covered_service_is_saved_without_a_warning(client, world, services):
    social, _police = services
    sign_in(client, world.professional)
    page = client.get(new_url(world) + "?lang=en").get_data(as_text=True)
    assert "What her consent covers" in page and "Social services office" in page
    response = client.post(new_url(world), data=form_data(social))
    assert response.status_code == 302
    [record] = rows(NetworkContact)
    assert (record.service_id, record.organisation, record.channel) == (
        social.id, None, NetworkChannel.PHONE)
    assert record.person == "Sosiaalityöntekijä Laine"
    assert record.consent_warning_overridden_reason is None
    assert record.created_by_id == world.professional.id


def test_an_uncovered_service_warns_and_saves_only_with_a_reason(client, world, services):
    _social, police = services
    sign_in(client, world.professional)
    response = client.post(new_url(world) + "?lang=en", data=form_data(police))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Her consent does not cover this organisation" in page
    assert 'name="go_on"' in page and 'name="reason"' in page
    assert "Toimeentulotuen käsittely</textarea>" in page
    assert count(NetworkContact) == 0
    # Ticked, but no reason.
    response = client.post(new_url(world) + "?lang=en", data=form_data(police, go_on="y"))
    assert response.status_code == 422
    assert "Write the reason to go on without her consent." in response.get_data(as_text=True)
    # A reason, but not ticked.
    response = client.post(new_url(world) + "?lang=en",
                           data=form_data(police, reason="Hänen turvallisuutensa"))
    assert response.status_code == 422
    assert "Tick “I go on anyway”" in response.get_data(as_text=True)
    assert count(NetworkContact) == 0
    response = client.post(new_url(world), data=form_data(
        police, go_on="y", reason="Välitön vaara: hän pyysi soittamaan poliisille."))
    assert response.status_code == 302
    [record] = rows(NetworkContact)
    assert record.service_id == police.id
    assert record.consent_warning_overridden_reason == \
        "Välitön vaara: hän pyysi soittamaan poliisille."
    listing = client.get(f"/clients/{world.client.id}/network/?lang=en").get_data(as_text=True)
    assert "Consent did not cover it" in listing


def test_an_organisation_outside_the_catalogue_is_never_covered(client, world, services):
    sign_in(client, world.professional)
    response = client.post(new_url(world) + "?lang=en",
                           data=form_data(organisation="Naisten turvakoti ry"))
    assert response.status_code == 422
    assert "Her consent does not cover this organisation" in response.get_data(as_text=True)
    client.post(new_url(world), data=form_data(organisation="Naisten turvakoti ry", go_on="y",
                                               reason="Hän pyysi itse."))
    [record] = rows(NetworkContact)
    assert (record.service_id, record.organisation) == (None, "Naisten turvakoti ry")
    assert record.consent_warning_overridden_reason == "Hän pyysi itse."


def test_a_covered_reason_sent_anyway_is_not_kept(client, world, services):
    social, _police = services
    sign_in(client, world.professional)
    client.post(new_url(world), data=form_data(social, go_on="y", reason="Varmuuden vuoksi"))
    assert rows(NetworkContact)[0].consent_warning_overridden_reason is None


@pytest.mark.parametrize(("change", "field", "message"), [
    ({}, "organisation", "Choose the organisation from the catalogue, or write its name."),
    ({"topic": ""}, "topic", "Write what it was about."),
    ({"channel": "carrier_pigeon"}, "channel", "Choose one of the options."),
    ({"contacted_at": "tomorrow"}, "contacted_at", "You entered: tomorrow"),
    ({"make_task": "y"}, "next_step", "Write the next step to make it a task."),
])
def test_an_invalid_network_contact_is_refused_with_422(client, world, services, change, field,
                                                        message):
    sign_in(client, world.professional)
    response = client.post(new_url(world) + "?lang=en", data=form_data(**change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert count(NetworkContact) == 0


def test_the_next_step_becomes_a_task(client, world, services):
    social, _police = services
    sign_in(client, world.professional)
    client.post(new_url(world), data=form_data(social, next_step="Soitetaan uudelleen maanantaina",
                                               make_task="y", task_assignee="professional"))
    [task] = rows(Task)
    assert (task.title, task.origin, task.client_id) == (
        "Soitetaan uudelleen maanantaina", TaskOrigin.NETWORK_CONTACT, world.client.id)
    assert rows(NetworkContact)[0].task_id == task.id


def test_editing_keeps_the_reason_and_a_stale_edit_answers_409(client, world, services):
    _social, police = services
    record = factories.make_network_contact(world.client, service=police,
                                            consent_warning_overridden_reason="Hätätilanne")
    sign_in(client, world.professional)
    url = f"/clients/{world.client.id}/network/{record.id}/edit"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Her consent does not cover this organisation" in page
    assert "Hätätilanne</textarea>" in page
    data = form_data(police, topic="Uusi aihe", go_on="y", reason="Hätätilanne", version="1")
    assert client.post(url, data=data).status_code == 302
    saved = fresh(NetworkContact, record.id)
    assert (saved.topic, saved.consent_warning_overridden_reason, saved.version) == (
        "Uusi aihe", "Hätätilanne", 2)
    response = client.post(url + "?lang=en", data={**data, "topic": "Vanhasta versiosta"})
    assert response.status_code == 409
    assert "Vanhasta versiosta</textarea>" in response.get_data(as_text=True)
    assert fresh(NetworkContact, record.id).topic == "Uusi aihe"


def test_the_expert_reads_but_does_not_record(client, world, services):
    social, _police = services
    record = factories.make_network_contact(world.client, service=social, topic="Luettava asia")
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}/network/?lang=en").get_data(as_text=True)
    assert "Luettava asia" in page
    assert "/network/new" not in page
    base = f"/clients/{world.client.id}/network"
    for method, url in [("get", f"{base}/new"), ("post", f"{base}/new"),
                        ("get", f"{base}/{record.id}/edit"), ("post", f"{base}/{record.id}/edit"),
                        ("post", f"{base}/{record.id}/delete")]:
        assert getattr(client, method)(url, data=form_data(social)).status_code == 403
    assert count(NetworkContact) == 1


def test_the_professional_deletes(client, world, services):
    record = factories.make_network_contact(world.client)
    sign_in(client, world.professional)
    assert client.post(f"/clients/{world.client.id}/network/{record.id}/delete").status_code \
        == 302
    assert count(NetworkContact) == 0


def test_network_contacts_appear_on_her_timeline(client, world, services):
    _social, police = services
    factories.make_network_contact(world.client, service=police, topic="Rikosilmoitus",
                                   consent_warning_overridden_reason="Hätätilanne")
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}/timeline?lang=en").get_data(as_text=True)
    assert "Network contact" in page and "Police" in page and "Rikosilmoitus" in page
    assert f"by {world.professional.name}" in page
    assert "Consent did not cover it" in page


def test_the_list_runs_the_same_number_of_queries_for_3_and_20(client, world, services,
                                                               count_queries):
    social, _police = services
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/network/"

    def measure(n):
        for i in range(n):
            factories.make_network_contact(world.client, service=social if i % 2 else None)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert measure(3) == measure(17)


def test_the_list_searches_organisation_person_and_topic(client, world, services):
    social, _police = services
    factories.make_network_contact(world.client, service=social, topic="Tuki")
    factories.make_network_contact(world.client, organisation="Diakonissalaitos", topic="Muu")
    sign_in(client, world.expert)
    html = client.get(f"/clients/{world.client.id}/network/?q=sosiaali&lang=en",
                      headers=htmx_headers("network-list")).get_data(as_text=True)
    assert "Tuki" in html and "Diakonissalaitos" not in html


@pytest.mark.parametrize(("who", "statuses"), REFUSED)
def test_others_are_refused_everywhere(client, world, services, who, statuses):
    social, _police = services
    record = factories.make_network_contact(world.client, service=social)
    base = f"/clients/{world.client.id}/network"
    sign_in(client, world.actor(who))
    for method, url in [("get", f"{base}/"), ("get", f"{base}/new"), ("post", f"{base}/new"),
                        ("get", f"{base}/{record.id}/edit"), ("post", f"{base}/{record.id}/edit"),
                        ("post", f"{base}/{record.id}/delete")]:
        for headers in (None, htmx_headers("network-list")):
            response = getattr(client, method)(url, data=form_data(social), headers=headers)
            # An expert of another pair is refused by role (403) where only professionals
            # may go; elsewhere she is outside the scope (404).
            allowed = statuses + ((403,) if who == "other_expert" else ())
            assert response.status_code in allowed, (method, url, response.status_code)
    assert count(NetworkContact) == 1


def test_an_expert_before_the_confidentiality_agreement_gets_404(client, world):
    sign_in(client, world.unconfirmed_pair.expert)
    assert client.get(f"/clients/{world.unconfirmed_client.id}/network/").status_code == 404


def test_without_her_consent_nothing_new_is_recorded(client, world):
    her = factories.make_client(world.pair, name="Ei suostumusta")
    sign_in(client, world.professional)
    response = client.post(f"/clients/{her.id}/network/new?lang=en",
                           data=form_data(organisation="Kela"))
    assert response.status_code == 403
    assert count(NetworkContact) == 0
