"""The consent state and what follows from it: can anything new be recorded about her, and
does her consent cover a service."""

from datetime import timedelta

import pytest
from flask_login import login_user
from werkzeug.exceptions import HTTPException

from outreach.consents.models import WithdrawalEffect
from outreach.consents.queries import (
    ConsentStatus,
    can_record,
    consent_covers,
    consent_state,
    consent_statuses,
    require_consent,
)
from outreach.consents.record import RECORD
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.services.models import ServiceKind
from tests.factories import make_client, make_consent

TODAY = local_today()


def test_without_a_consent_nothing_can_be_recorded(her):
    state = consent_state(her)
    assert state.status == ConsentStatus.NONE
    assert state.consent is None
    assert not state.is_valid
    assert not state.can_withdraw
    assert can_record(her) is False


def test_valid_then_expired_by_date_then_withdrawn(her):
    consent = make_consent(her, given_on=TODAY - timedelta(days=30),
                           expires_on=TODAY + timedelta(days=5))
    assert consent_state(her).status == ConsentStatus.VALID
    assert consent_state(her).consent.id == consent.id
    assert can_record(her) is True
    # The expiry day itself is the last valid day.
    assert consent_state(her, TODAY + timedelta(days=5)).status == ConsentStatus.VALID
    assert can_record(her, TODAY + timedelta(days=5)) is True
    assert consent_state(her, TODAY + timedelta(days=6)).status == ConsentStatus.EXPIRED
    assert can_record(her, TODAY + timedelta(days=6)) is False

    consent.withdrawn_on = TODAY
    consent.withdrawal_effect = WithdrawalEffect.KEEP
    db.session.commit()
    assert consent_state(her).status == ConsentStatus.WITHDRAWN
    assert consent_state(her, TODAY + timedelta(days=6)).status == ConsentStatus.WITHDRAWN
    assert can_record(her) is False
    assert not consent_state(her).can_withdraw


def test_the_newest_consent_is_the_current_one(her):
    old = make_consent(her, given_on=TODAY - timedelta(days=400),
                       expires_on=TODAY - timedelta(days=35))
    assert consent_state(her).status == ConsentStatus.EXPIRED
    new = make_consent(her, given_on=TODAY - timedelta(days=2))
    state = consent_state(her)
    assert state.consent.id == new.id != old.id
    assert state.status == ConsentStatus.VALID
    # A consent recorded later but given earlier does not replace the newer one.
    make_consent(her, given_on=TODAY - timedelta(days=300))
    assert consent_state(her).consent.id == new.id


def test_a_new_consent_after_a_withdrawal_makes_recording_possible_again(her):
    make_consent(her, given_on=TODAY - timedelta(days=60), withdrawn_on=TODAY - timedelta(days=3),
                 withdrawal_effect=WithdrawalEffect.KEEP)
    assert can_record(her) is False
    make_consent(her, given_on=TODAY)
    assert can_record(her) is True


def test_consent_covers_only_services_her_valid_consent_names(her, make_service):
    kela = make_service(ServiceKind.KELA)
    housing = make_service(ServiceKind.HOUSING)
    shelter = make_service(ServiceKind.SHELTER)
    police = make_service(ServiceKind.POLICE)
    assert not consent_covers(her, kela)  # no consent at all

    consent = make_consent(her, services=[kela, housing], share_organisations=[shelter])
    assert consent_covers(her, kela)
    assert consent_covers(her, housing.id)
    assert consent_covers(her, shelter)  # sharing with a named organisation
    assert not consent_covers(her, police)

    consent.expires_on = TODAY - timedelta(days=1)
    db.session.commit()
    assert not consent_covers(her, kela)

    consent.expires_on = None
    consent.withdrawn_on = TODAY
    consent.withdrawal_effect = WithdrawalEffect.ERASE
    db.session.commit()
    assert not consent_covers(her, kela)
    assert not consent_covers(her, shelter)


def test_services_are_covered_for_contact_only_with_contact_in_the_scope(her, make_service):
    kela = make_service(ServiceKind.KELA)
    make_consent(her, services=[kela], contact_services=False)
    assert not consent_covers(her, kela)


def test_consent_statuses_for_many_clients_in_one_query(pair, her, count_queries):
    valid = make_client(pair)
    expired = make_client(pair)
    withdrawn = make_client(pair)
    make_consent(valid)
    make_consent(expired, given_on=TODAY - timedelta(days=100),
                 expires_on=TODAY - timedelta(days=1))
    make_consent(expired, given_on=TODAY - timedelta(days=200))  # older, not current
    make_consent(withdrawn, withdrawn_on=TODAY, withdrawal_effect=WithdrawalEffect.KEEP)
    ids = [her.id, valid.id, expired.id, withdrawn.id]
    with count_queries() as statements:
        statuses = consent_statuses(ids)
    assert len(statements) == 1
    assert statuses == {
        her.id: ConsentStatus.NONE,
        valid.id: ConsentStatus.VALID,
        expired.id: ConsentStatus.EXPIRED,
        withdrawn.id: ConsentStatus.WITHDRAWN,
    }
    assert consent_statuses([]) == {}


@pytest.mark.parametrize("services", [0, 6])
def test_the_client_page_section_runs_a_fixed_number_of_queries(
    her, pair, make_service, count_queries, services
):
    named = [make_service() for _ in range(services)]
    make_consent(her, given_on=TODAY - timedelta(days=9), withdrawn_on=TODAY,
                 withdrawal_effect=WithdrawalEffect.KEEP, recorded_by=pair.expert)
    make_consent(her, given_on=TODAY, services=named, share_organisations=named,
                 recorded_by=pair.professional)
    db.session.expire_all()
    user = pair.professional
    assert her.id and user.id  # loaded before counting
    with count_queries() as statements:
        [section] = RECORD.sections  # her page's consent section, as declared
        context = section.context(her, user, None)
        state = context["consent_state"]
        names = [s.name_fi for s in state.consent.services + state.consent.share_organisations]
        _ = (state.consent.recorded_by.name, state.consent.withdrawn_by)
    assert len(names) == 2 * services
    assert len(statements) <= 4


def test_require_consent_refuses_with_a_clear_403_page(app, her, pair):
    with app.test_request_context("/?lang=en"):
        from flask import session

        session["lang"] = "en"
        login_user(pair.professional)
        with pytest.raises(HTTPException) as refused:
            require_consent(her)
        response = refused.value.get_response()
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "Her consent is needed first" in page
        assert "No consent recorded: record her consent before anything else is saved." in page
        assert f'href="/clients/{her.id}/consents/new"' in page

        consent = make_consent(her)
        assert require_consent(her).id == consent.id
