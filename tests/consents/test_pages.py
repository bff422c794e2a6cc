"""Recording, reading and withdrawing her consent; the banner and section on her page; the
timeline; and who may not."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import render_template

from outreach.auth.models import Role
from outreach.clients import timeline
from outreach.clients.models import Client
from outreach.consents.models import Consent, ConsentMedium, WithdrawalEffect
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.services.models import ServiceKind
from tests.factories import make_agreement, make_client, make_consent

TODAY = local_today()


def consents_of(client) -> list[Consent]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(Consent).where(Consent.client_id == client.id)
                           .order_by(Consent.id))
    )


@pytest.fixture
def kela(make_service):
    return make_service(ServiceKind.KELA, name_fi="Kela Kamppi", name_en="Kela, Kamppi")


@pytest.fixture
def housing(make_service):
    return make_service(ServiceKind.HOUSING, name_fi="Asuntopalvelut",
                        name_en="Housing Services")


def valid_data(*services, share=()):
    data = {
        "given_on": (TODAY - timedelta(days=1)).isoformat(),
        "medium": "written",
        "keep_records": "y",
        "expires_on": (TODAY + timedelta(days=365)).isoformat(),
    }
    if services:
        data["contact_services"] = "y"
        data["services"] = [s.id for s in services]
    if share:
        data["share_organisations"] = [s.id for s in share]
    return data


# --- Recording ------------------------------------------------------------------------------


def test_the_form_is_prefilled_with_today_and_lists_the_catalogue(client, auth, pair, her, kela):
    auth.login_as(pair.professional)
    response = client.get(f"/clients/{her.id}/consents/new?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'value="{TODAY.isoformat()}"' in page
    assert "Kela, Kamppi" in page
    assert 'type="checkbox" value="' + str(kela.id) + '"' in page
    assert "She agrees that the pair keeps records about her here" in page


@pytest.mark.parametrize("who", ["professional", "expert"])
def test_either_partner_records_her_consent(client, auth, pair, her, kela, housing, who):
    user = auth.login_as(getattr(pair, who))
    before = her.last_record_at
    response = client.post(f"/clients/{her.id}/consents/new",
                           data=valid_data(kela, share=[housing]))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{her.id}"
    [consent] = consents_of(her)
    assert consent.given_on == TODAY - timedelta(days=1)
    assert consent.form == ConsentMedium.WRITTEN
    assert consent.keep_records is True
    assert consent.contact_services is True
    assert [s.id for s in consent.services] == [kela.id]
    assert [s.id for s in consent.share_organisations] == [housing.id]
    assert consent.expires_on == TODAY + timedelta(days=365)
    assert consent.recorded_by_id == user.id
    assert consent.created_at is not None
    assert consent.withdrawn_on is None
    her_now = db.session.get(Client, her.id)
    assert _aware(her_now.last_record_at) >= _aware(before)


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_a_consent_only_to_keep_records(client, auth, pair, her):
    auth.login_as(pair.professional)
    data = valid_data()
    data.update(medium="verbal", expires_on="")
    assert client.post(f"/clients/{her.id}/consents/new", data=data).status_code == 302
    [consent] = consents_of(her)
    assert consent.form == ConsentMedium.VERBAL
    assert (consent.contact_services, consent.services, consent.share_organisations) == (
        False, [], [])
    assert consent.expires_on is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"given_on": (TODAY + timedelta(days=1)).isoformat()}, "given_on",
         "The date cannot be in the future."),
        ({"given_on": ""}, "given_on", "Enter the date she gave her consent."),
        ({"expires_on": (TODAY - timedelta(days=2)).isoformat()}, "expires_on",
         "The consent cannot end before the day she gave it."),
        ({"keep_records": ""}, "keep_records",
         "A consent always includes keeping records here. If she does not agree to that, "
         "record only anonymous encounters."),
        ({"medium": ""}, "medium", "Choose whether she gave it verbally or in writing."),
        ({"medium": "telepathic"}, "medium", "Choose whether she gave it verbally or in writing."),
        ({"contact_services": "y", "services": []}, "services",
         "Choose the services she agreed the pair may contact."),
        ({"contact_services": "", "services": "KELA"}, "services",
         "Tick that she agrees to contacting services, or clear the chosen services."),
        ({"contact_services": "y", "services": "999999"}, "services",
         "Choose services from the list: one of them is no longer offered."),
    ],
)
def test_invalid_consent_answers_422_with_the_message(
    client, auth, pair, her, kela, change, field, message
):
    auth.login_as(pair.professional)
    data = valid_data(kela)
    data.update({k: (kela.id if v == "KELA" else v) for k, v in change.items()})
    if data.get("keep_records") == "":
        del data["keep_records"]
    if data.get("contact_services") == "":
        del data["contact_services"]
    response = client.post(f"/clients/{her.id}/consents/new?lang=en", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    assert "Please correct the marked fields." in page
    assert consents_of(her) == []


def test_an_inactive_service_is_not_offered(client, auth, pair, her, make_service):
    gone = make_service(ServiceKind.BANK, name_fi="Suljettu pankki", active=False)
    auth.login_as(pair.professional)
    page = client.get(f"/clients/{her.id}/consents/new?lang=en").get_data(as_text=True)
    assert "Suljettu pankki" not in page
    response = client.post(f"/clients/{her.id}/consents/new?lang=en", data=valid_data(gone))
    assert response.status_code == 422
    assert consents_of(her) == []


# --- Her page: the banner and the section ------------------------------------------------------


def her_page(client, her) -> str:
    response = client.get(f"/clients/{her.id}?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_her_page_says_first_that_no_consent_is_recorded(client, auth, pair, her):
    auth.login_as(pair.professional)
    page = her_page(client, her)
    assert '<section id="consent" aria-labelledby="consent-heading"' in page
    assert "No consent recorded: record her consent before anything else is saved." in page
    assert f'href="/clients/{her.id}/consents/new"' in page
    # First of all her page's sections (the phone's waiting list comes before the page).
    first_section = page.index("<section id=", page.index("<h1>"))
    assert page.index('<section id="consent"') == first_section


def test_her_page_shows_a_valid_consent_without_a_banner(client, auth, pair, her, kela):
    make_consent(her, services=[kela], expires_on=TODAY + timedelta(days=30),
                 recorded_by=pair.expert)
    auth.login_as(pair.professional)
    page = her_page(client, her)
    assert "consent-banner" not in page
    assert "Valid" in page
    assert "Kela, Kamppi" in page
    assert pair.expert.name in page
    assert f'href="/clients/{her.id}/consents/withdraw"' in page
    assert f'href="/clients/{her.id}/consents/"' in page


def test_her_page_lists_each_service_and_organisation_once_in_name_order(
        client, auth, pair, her, kela, housing, make_service):
    # Loaded with her record through flat joins: two lists of two multiply to four rows.
    police = make_service(ServiceKind.POLICE, name_fi="Poliisi", name_en="Police")
    make_consent(her, services=[kela, housing], share_organisations=[police, kela],
                 expires_on=TODAY + timedelta(days=30))
    # An older consent's scope is not hers any more (the police only there: once, above).
    make_consent(her, given_on=TODAY - timedelta(days=300), services=[police])
    auth.login_as(pair.professional)
    page = her_page(client, her)
    section = page[page.index('id="consent-heading"'):page.index("Consent history")]
    assert section.count("Housing Services") == 1
    assert section.count("Police") == 1
    assert section.count("Kela, Kamppi") == 2  # once in each list
    # Each list in the catalogue's (Finnish) name order: Asuntopalvelut before Kela Kamppi,
    # then the organisations: Kela Kamppi before Poliisi.
    assert section.index("Housing Services") < section.index("Kela, Kamppi") \
        < section.index("Police")
    assert section.index("Kela, Kamppi", section.index("Housing Services")) < \
        section.rindex("Kela, Kamppi") < section.index("Police")


def test_her_page_warns_when_her_consent_has_expired(client, auth, pair, her):
    make_consent(her, given_on=TODAY - timedelta(days=200), expires_on=TODAY - timedelta(days=1))
    auth.login_as(pair.expert)
    page = her_page(client, her)
    assert "consent-banner" in page
    assert "Her consent expired on" in page
    assert "nothing new can be recorded about her" in page
    assert "What is already saved stays." in page
    assert "Record a new consent" in page


def test_her_page_warns_when_she_withdrew_and_shows_erasure_requested(client, auth, pair, her):
    make_consent(her, withdrawn_on=TODAY, withdrawal_effect=WithdrawalEffect.ERASE,
                 withdrawn_at=utcnow())
    auth.login_as(pair.professional)
    page = her_page(client, her)
    assert "She withdrew her consent on" in page
    assert "Erasure requested" in page
    assert f'href="/clients/{her.id}/consents/withdraw"' not in page


# --- Withdrawing ------------------------------------------------------------------------------


def test_withdrawing_asks_first(client, auth, pair, her):
    make_consent(her)
    auth.login_as(pair.expert)
    response = client.get(f"/clients/{her.id}/consents/withdraw?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Withdraw her consent given on" in page
    assert "Otherwise nothing already saved is removed." in page
    assert "Yes, withdraw her consent" in page
    assert f'value="{TODAY.isoformat()}"' in page
    assert consents_of(her)[0].withdrawn_on is None


@pytest.mark.parametrize("effect", ["keep", "erase"])
def test_either_partner_withdraws_her_consent(client, auth, pair, her, effect):
    make_consent(her, given_on=TODAY - timedelta(days=30))
    user = auth.login_as(pair.expert)
    response = client.post(
        f"/clients/{her.id}/consents/withdraw",
        data={"withdrawn_on": (TODAY - timedelta(days=1)).isoformat(),
              "withdrawal_effect": effect},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{her.id}"
    [consent] = consents_of(her)
    assert consent.withdrawn_on == TODAY - timedelta(days=1)
    assert consent.withdrawn_at is not None
    assert consent.withdrawal_effect == WithdrawalEffect(effect)
    assert consent.withdrawn_by_id == user.id
    history = client.get(f"/clients/{her.id}/consents/?lang=en").get_data(as_text=True)
    assert ("Erasure requested" in history) == (effect == "erase")
    if effect == "keep":
        assert "Keep what is already recorded" in history


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"withdrawn_on": (TODAY + timedelta(days=1)).isoformat(), "withdrawal_effect": "keep"},
         "The date cannot be in the future."),
        ({"withdrawn_on": (TODAY - timedelta(days=31)).isoformat(), "withdrawal_effect": "keep"},
         "The withdrawal cannot be before the day she gave it."),
        ({"withdrawn_on": TODAY.isoformat()},
         "Choose what she wants done with what is recorded."),
        ({"withdrawn_on": "", "withdrawal_effect": "keep"},
         "Enter the date she withdrew her consent."),
    ],
)
def test_invalid_withdrawal_answers_422(client, auth, pair, her, data, message):
    make_consent(her, given_on=TODAY - timedelta(days=30))
    auth.login_as(pair.professional)
    response = client.post(f"/clients/{her.id}/consents/withdraw?lang=en", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert consents_of(her)[0].withdrawn_on is None


def test_there_is_nothing_to_withdraw_twice(client, auth, pair, her):
    auth.login_as(pair.professional)
    page = client.get(f"/clients/{her.id}/consents/withdraw?lang=en")
    assert page.status_code == 200
    assert "She has no consent to withdraw." in page.get_data(as_text=True)
    make_consent(her, withdrawn_on=TODAY - timedelta(days=2),
                 withdrawal_effect=WithdrawalEffect.KEEP)
    response = client.post(f"/clients/{her.id}/consents/withdraw?lang=en",
                           data={"withdrawn_on": TODAY.isoformat(), "withdrawal_effect": "erase"})
    assert response.status_code == 409
    assert "Her consent has already been withdrawn" in response.get_data(as_text=True)
    [consent] = consents_of(her)
    assert consent.withdrawn_on == TODAY - timedelta(days=2)
    assert consent.withdrawal_effect == WithdrawalEffect.KEEP


# --- History and timeline ---------------------------------------------------------------------


def test_history_lists_every_consent_newest_first(client, auth, pair, her, kela):
    old = make_consent(her, given_on=TODAY - timedelta(days=300),
                       expires_on=TODAY - timedelta(days=100))
    new = make_consent(her, given_on=TODAY - timedelta(days=5), services=[kela])
    auth.login_as(pair.expert)
    page = client.get(f"/clients/{her.id}/consents/?lang=en").get_data(as_text=True)
    assert page.index(f'id="consent-{new.id}"') < page.index(f'id="consent-{old.id}"')
    assert "Replaced by a newer consent" in page
    assert "Kela, Kamppi" in page


def test_the_timeline_shows_consents_given_and_withdrawn(app, pair, her):
    given = make_consent(her, given_on=TODAY - timedelta(days=40))
    given.created_at = datetime(2026, 1, 5, 10, 0)
    given.withdrawn_on = TODAY - timedelta(days=1)
    given.withdrawn_at = datetime(2026, 2, 5, 10, 0)
    given.withdrawn_by_id = pair.expert_id
    given.withdrawal_effect = WithdrawalEffect.ERASE
    db.session.commit()
    page = timeline.page([her.id], kinds=["consent", "consent_withdrawal"])
    assert [(e.kind.name, e.record.id, e.actor_id) for e in page.entries] == [
        ("consent_withdrawal", given.id, pair.expert_id),
        ("consent", given.id, given.recorded_by_id),
    ]
    with app.test_request_context("/?lang=en"):
        from flask import session

        session["lang"] = "en"
        withdrawal = render_template(page.entries[0].kind.template, entry=page.entries[0])
        recorded = render_template(page.entries[1].kind.template, entry=page.entries[1])
    assert "Consent withdrawn" in withdrawal
    assert "Erasure requested" in withdrawal
    assert f'href="/clients/{her.id}/consents/#consent-{given.id}"' in withdrawal
    assert "Consent recorded" in recorded
    assert "verbal" in recorded
    # Another client's consents are not in her timeline.
    make_consent(make_client(pair))
    assert len(timeline.page([her.id], kinds=["consent"]).entries) == 1


# --- Who may not ------------------------------------------------------------------------------


def routes(her):
    base = f"/clients/{her.id}/consents"
    return [("get", f"{base}/"), ("get", f"{base}/new"), ("post", f"{base}/new"),
            ("get", f"{base}/withdraw"), ("post", f"{base}/withdraw")]


POST_DATA = {"given_on": TODAY.isoformat(), "medium": "verbal", "keep_records": "y",
             "withdrawn_on": TODAY.isoformat(), "withdrawal_effect": "erase"}


def _refused(role, method, url):
    """The supervisor may read her consents through a consultation (tests/consultations);
    without one her record is outside her scope (404). Every change: 403."""
    reads = role == Role.SUPERVISOR and method == "get" and url.endswith("/consents/")
    return 404 if reads else 403


def assert_untouched(her, consent):
    [saved] = consents_of(her)
    assert saved.id == consent.id
    assert saved.withdrawn_on is None


@pytest.mark.parametrize("who", ["professional", "expert"])
def test_another_pairs_partners_get_404_by_any_url(client, auth, her, other_pair, who):
    consent = make_consent(her)
    auth.login_as(getattr(other_pair, who))
    for method, url in routes(her):
        assert getattr(client, method)(url, data=POST_DATA).status_code == 404, url
        headers = {"HX-Request": "true", "HX-Target": "consent-form"}
        assert getattr(client, method)(url, data=POST_DATA, headers=headers).status_code == 404
    assert_untouched(her, consent)


def test_the_expert_before_the_confidentiality_agreement_gets_404(client, auth, make_pair):
    pair = make_pair()
    make_agreement(pair)  # started, no confidentiality date yet
    her = make_client(pair)
    consent = make_consent(her)
    auth.login_as(pair.expert)
    for method, url in routes(her):
        assert getattr(client, method)(url, data=POST_DATA).status_code == 404, url
    assert_untouched(her, consent)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_supervisor_and_admin_are_refused(client, auth, pair, her, role):
    consent = make_consent(her)
    auth.login_as(role)
    for method, url in routes(her):
        refused = _refused(role, method, url)
        assert getattr(client, method)(url, data=POST_DATA).status_code == refused, url
        headers = {"HX-Request": "true", "HX-Target": "withdraw-form"}
        assert getattr(client, method)(url, data=POST_DATA,
                                       headers=headers).status_code == refused
    assert_untouched(her, consent)


def test_the_pairs_supervisor_is_refused_too(client, auth, make_pair, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    pair = make_pair(supervisor=supervisor)
    her = make_client(pair)
    consent = make_consent(her)
    auth.login_as(supervisor)
    for method, url in routes(her):
        refused = _refused(Role.SUPERVISOR, method, url)
        assert getattr(client, method)(url, data=POST_DATA).status_code == refused, url
    assert_untouched(her, consent)


def test_signed_out_users_are_sent_to_sign_in(client, her):
    consent = make_consent(her)
    for method, url in routes(her):
        response = getattr(client, method)(url, data=POST_DATA)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login")
    assert_untouched(her, consent)
