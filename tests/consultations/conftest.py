"""The consultation tests' world: our pair (with its supervisor, the confidentiality
agreement recorded) and two of its clients with a valid consent, another pair with its own
supervisor and client, and a pair without a supervisor."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from outreach.auth.models import Role
from outreach.consultations.models import Consultation
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from tests import factories
from tests.helpers import fresh, log_rows  # noqa: F401 - this package's tests use them

SIGNED = local_today() - timedelta(days=20)


def _pair(name: str, supervisor=None):
    pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name=f"Paula {name}"),
        expert=factories.make_user(Role.EXPERT, name=f"Eeva {name}"),
        supervisor=supervisor,
        starts_on=local_today() - timedelta(days=100),
    )
    factories.make_agreement(pair, confidentiality_signed_on=SIGNED)
    return pair


def _client(pair, name: str):
    client = factories.make_client(pair, name=name, safety_notes="Turvallisuushuomio")
    factories.make_consent(client)
    return client


@pytest.fixture
def world(app):
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sirpa Supervisor")
    other_supervisor = factories.make_user(Role.SUPERVISOR, name="Olli Othersuper")
    pair = _pair("Meidän", supervisor)
    other = _pair("Toinen", other_supervisor)
    lonely = _pair("Yksin")
    return SimpleNamespace(
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        pair=pair,
        pro=pair.professional,
        expert=pair.expert,
        other=other,
        lonely=lonely,
        her=_client(pair, "Tiina Konsultoitava"),
        second=_client(pair, "Toini Samanparin"),
        stranger=_client(other, "Taru Toisenparin"),
        lonely_client=_client(lonely, "Tuula Yksinäinen"),
        admin=factories.make_user(Role.ADMIN),
    )


def make_consultation(client, *, days: int = 7, reason: str = "Vaikea tilanne, tarvitsen tukea",
                      ended: bool = False, expired: bool = False, **fields) -> Consultation:
    """A consultation of her record, opened by her pair's professional to its supervisor."""
    pair = client.pair
    now = utcnow()
    consultation = Consultation(
        client_id=client.id, pair_id=pair.id,
        supervisor_id=fields.pop("supervisor_id", pair.supervisor_id),
        opened_by_id=pair.professional_id, reason=reason,
        opened_at=now - timedelta(days=days + 1 if expired else 0),
        ends_at=now - timedelta(hours=1) if expired else now + timedelta(days=days),
        **fields,
    )
    if ended:
        consultation.ended_at = now
        consultation.ended_by_id = pair.professional_id
    db.session.add(consultation)
    db.session.commit()
    return consultation

