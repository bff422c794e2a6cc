"""The professional opens her record to the supervisor and ends the consultation; the expert
sees it but does neither; nobody else reaches it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.consultations.models import Consultation
from outreach.core.time import aware
from outreach.extensions import db
from tests.consultations.conftest import make_consultation
from tests.helpers import fresh


def _consultations(client=None) -> list[Consultation]:
    db.session.expire_all()
    query = sa.select(Consultation).order_by(Consultation.id)
    if client is not None:
        query = query.where(Consultation.client_id == client.id)
    return list(db.session.scalars(query))


def test_the_professional_opens_her_record_to_the_supervisor(client, world, sign_in):
    sign_in(world.pro)
    page = client.get(f"/clients/{world.client.id}")
    assert f'href="/clients/{world.client.id}/consultation"' in page.get_data(as_text=True)
    form = client.get(f"/clients/{world.client.id}/consultation?lang=en")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Sanna Supervisor" in html
    assert '<option selected value="7">' in html or 'value="7" selected' in html

    response = client.post(f"/clients/{world.client.id}/consultation",
                           data={"reason": "  Hän on vaarassa menettää asuntonsa  ", "days": "3"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/clients/{world.client.id}#consultation")
    [consultation] = _consultations()
    assert (consultation.client_id, consultation.pair_id) == (world.client.id, world.pair.id)
    assert consultation.supervisor_id == world.supervisor.id
    assert consultation.opened_by_id == world.pro.id
    assert consultation.reason == "Hän on vaarassa menettää asuntonsa"
    assert aware(consultation.ends_at) - aware(consultation.opened_at) == timedelta(days=3)
    assert consultation.ended_at is None

    html = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert "Her record is open to Sanna Supervisor until" in html
    assert f'action="/consultations/{consultation.id}/end"' in html


@pytest.mark.parametrize("data, message", [
    ({"reason": "   ", "days": "7"}, "Write the reason for the consultation."),
    ({"reason": "Syy", "days": "15"}, "Choose from 1 to 14 days."),
    ({"reason": "Syy", "days": "0"}, "Choose from 1 to 14 days."),
    ({"reason": "x" * 2001, "days": "7"}, "At most 2000 characters."),
])
def test_an_invalid_form_is_sent_back_and_nothing_is_opened(client, world, sign_in, data,
                                                           message):
    sign_in(world.pro)
    response = client.post(f"/clients/{world.client.id}/consultation?lang=en", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _consultations() == []


def test_a_pair_without_a_supervisor_is_told_so(client, lonely, sign_in):
    sign_in(lonely.pair.professional)
    page = client.get(f"/clients/{lonely.id}?lang=en").get_data(as_text=True)
    assert "Your pair has no supervisor, so her record cannot be opened" in page
    assert f'href="/clients/{lonely.id}/consultation"' not in page
    response = client.get(f"/clients/{lonely.id}/consultation?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Your pair has no supervisor" in html and "<textarea" not in html
    response = client.post(f"/clients/{lonely.id}/consultation",
                           data={"reason": "Syy", "days": "7"})
    assert response.status_code == 409
    assert _consultations() == []


def test_one_consultation_at_a_time(client, world, sign_in):
    make_consultation(world.client)
    sign_in(world.pro)
    response = client.post(f"/clients/{world.client.id}/consultation?lang=en",
                           data={"reason": "Toinen syy", "days": "7"})
    assert response.status_code == 409
    assert "already open to Sanna Supervisor" in response.get_data(as_text=True)
    assert len(_consultations()) == 1


def test_the_expert_sees_the_consultation_but_neither_opens_nor_ends_it(client, world, sign_in,
                                                                       second):
    consultation = make_consultation(world.client)
    sign_in(world.expert)
    for method in ("get", "post"):
        url = f"/clients/{second.id}/consultation"
        assert getattr(client, method)(url, data={"reason": "Syy", "days": "7"}).status_code == 403
        url = f"/consultations/{consultation.id}/end"
        assert getattr(client, method)(url).status_code == 403
    html = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert "Her record is open to Sanna Supervisor until" in html
    assert "Vaikea tilanne" in html
    assert "/end" not in html and "/consultation\"" not in html
    assert fresh(Consultation, consultation.id).ended_at is None
    assert len(_consultations(second)) == 0


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_and_administrators_open_and_end_nothing(client, world, sign_in, who):
    consultation = make_consultation(world.client)
    sign_in(getattr(world, who))
    for method in ("get", "post"):
        url = f"/clients/{world.client.id}/consultation"
        assert getattr(client, method)(url, data={"reason": "Syy", "days": "7"}).status_code == 403
        assert getattr(client, method)(f"/consultations/{consultation.id}/end").status_code == 403
    assert fresh(Consultation, consultation.id).ended_at is None
    assert len(_consultations()) == 1


def test_another_pairs_professional_gets_404(client, world, sign_in):
    consultation = make_consultation(world.client)
    sign_in(world.other_pair.professional)
    assert client.get(f"/clients/{world.client.id}/consultation").status_code == 404
    response = client.post(f"/clients/{world.client.id}/consultation",
                           data={"reason": "Syy", "days": "7"})
    assert response.status_code == 404
    assert client.get(f"/consultations/{consultation.id}/end").status_code == 404
    assert client.post(f"/consultations/{consultation.id}/end").status_code == 404
    assert fresh(Consultation, consultation.id).ended_at is None
    assert len(_consultations()) == 1


def test_the_professional_ends_it_after_confirming(client, world, sign_in):
    consultation = make_consultation(world.client)
    sign_in(world.pro)
    confirm = client.get(f"/consultations/{consultation.id}/end?lang=en")
    assert confirm.status_code == 200
    assert "End the consultation now? Sanna Supervisor can no longer read her record." in \
        confirm.get_data(as_text=True)
    assert fresh(Consultation, consultation.id).ended_at is None  # asking changes nothing
    response = client.post(f"/consultations/{consultation.id}/end")
    assert response.status_code == 302
    ended = fresh(Consultation, consultation.id)
    assert ended.ended_at is not None and ended.ended_by_id == world.pro.id
    html = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert "Ended early by Paula Pro" in html
    assert f'href="/clients/{world.client.id}/consultation"' in html  # a new one may be opened
    again = client.post(f"/consultations/{consultation.id}/end?lang=en")
    assert again.status_code == 409
    assert "This consultation has already ended." in again.get_data(as_text=True)
