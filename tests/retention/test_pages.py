"""Her consent withdrawn with "erase" anonymises her at once; the administrator's settings
page shows the retention period and how many records are due; nobody else may see it."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from outreach.audit.models import AccessLog
from outreach.auth.models import Role
from outreach.clients.choices import AnonymisationReason, ClientStatus
from outreach.clients.models import Client
from outreach.consents.models import Consent, WithdrawalEffect
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.retention.service import retention_cutoff
from tests import factories
from tests.helpers import sign_in
from tests.retention.conftest import find_everywhere, make_woman

TODAY = local_today()


# --- Erasure on withdrawal --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["professional", "expert"])
def test_withdrawal_with_erase_anonymises_her_at_once(client, pairs, who):
    pair, _ = pairs
    woman = make_woman(pair, marker="Poistettava", year=TODAY.year - 1)
    user = getattr(pair, who)
    sign_in(client, user)
    response = client.post(
        f"/clients/{woman.client.id}/consents/withdraw?lang=en",
        data={"withdrawn_on": TODAY.isoformat(), "withdrawal_effect": "erase"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    her = db.session.get(Client, woman.client.id)
    assert her.anonymised_reason == AnonymisationReason.ERASURE
    assert her.name == her.code and her.status == ClientStatus.ACTIVE
    for text in (woman.marker, woman.name, woman.phone, woman.place):
        assert find_everywhere(text) == [], text
    [consent] = db.session.scalars(sa.select(Consent).where(Consent.client_id == her.id))
    assert consent.withdrawal_effect == WithdrawalEffect.ERASE
    assert consent.withdrawn_by_id == user.id
    # One log row for the request: the anonymisation, by the user who recorded it.
    [entry] = db.session.scalars(sa.select(AccessLog).where(AccessLog.client_id == her.id))
    assert (entry.action, entry.user_id, entry.basis) == ("anonymise", user.id, "own_pair")
    page = client.get(f"/clients/{her.id}?lang=en", follow_redirects=True)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert her.code in text and woman.name not in text


def test_withdrawal_that_keeps_her_data_anonymises_nothing(client, pairs):
    pair, _ = pairs
    woman = make_woman(pair, marker="Pidettava", year=TODAY.year - 1)
    sign_in(client, pair.professional)
    response = client.post(
        f"/clients/{woman.client.id}/consents/withdraw",
        data={"withdrawn_on": TODAY.isoformat(), "withdrawal_effect": "keep"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    her = db.session.get(Client, woman.client.id)
    assert her.anonymised_at is None and her.name == woman.name
    assert find_everywhere(woman.marker)


def test_the_withdrawal_page_says_erasing_happens_at_once(client, pairs):
    pair, _ = pairs
    her = factories.make_client(pair)
    factories.make_consent(her)
    sign_in(client, pair.expert)
    page = client.get(f"/clients/{her.id}/consents/withdraw?lang=en").get_data(as_text=True)
    assert "they are erased at once" in page


# --- The administrator's settings -------------------------------------------------------------


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"RETENTION_YEARS": 3}], indirect=True)
def test_settings_show_the_period_and_how_many_are_due(client, auth, pairs, count_queries):
    pair, _ = pairs
    factories.make_client(pair, status=ClientStatus.CLOSED, closed_on=date(TODAY.year - 4, 1, 1))
    factories.make_client(pair, status=ClientStatus.CLOSED, closed_on=TODAY - timedelta(days=3))
    done = factories.make_client(pair, status=ClientStatus.CLOSED,
                                 closed_on=date(TODAY.year - 9, 1, 1))
    done.anonymised_at = done.created_at
    db.session.commit()
    auth.login_as(Role.ADMIN)
    with count_queries() as statements:
        response = client.get("/admin/settings?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<dd id="retention-years">3</dd>' in page
    assert '<span id="retention-due">1</span>' in page
    assert f"(closed on or before {retention_cutoff(TODAY, 3):%-d %b %Y})" in page
    assert '<dd id="retention-anonymised">1</dd>' in page
    assert "outreach retention --dry-run" in page and "outreach backup PATH" in page
    # Counts only: no client's code or name is shown to the administrator.
    assert done.code not in page
    assert len(statements) <= 6
    users = client.get("/admin/users?lang=en").get_data(as_text=True)
    assert 'href="/admin/settings"' in users


def test_settings_show_the_default_period_in_finnish(client, auth):
    auth.login_as(Role.ADMIN, language="fi")
    response = client.get("/admin/settings")
    assert response.status_code == 200
    assert "RETENTION_YEARS" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.PROFESSIONAL, Role.EXPERT])
def test_only_the_administrator_sees_the_settings(client, auth, role):
    auth.login_as(role)
    assert client.get("/admin/settings").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/settings")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
