"""Her strain stays hers: no supervisor or administrator page, fragment, export or report
carries a strain value unless the expert shares her monthly trend; sharing and withdrawing
take effect at once, from her check-in page."""

import io
import zipfile

import pytest

from outreach.extensions import db
from outreach.wellbeing.models import CheckIn
from tests.helpers import sign_in

# Her answers 5 and 4: the monthly mean 4.5 is the value that must not leak.
MEAN_TEXTS = ("4.5", "4,5")
STRAIN_MARKS = ("strain-by-month", "Mean strain", "Kuormituksen keskiarvo")
HTMX = {"HX-Request": "true", "HX-Target": "dashboard-figures"}


def _record(world):
    for strain in (5, 4):
        db.session.add(CheckIn(pair_id=world.pair.id, expert_id=world.expert.id,
                               strain=strain, note="yksityinen"))
    db.session.commit()


def _pages(world):
    pair = world.pair.id
    return [
        ("/", {}), ("/dashboard/", {}), (f"/dashboard/?pair={pair}", {}),
        (f"/dashboard/?pair={pair}", HTMX), (f"/pairs/{pair}", {}),
        ("/reports/funder", {}), ("/reports/funder.xlsx", {}),
    ]


def _text(response) -> str:
    if response.mimetype.endswith("spreadsheetml.sheet"):
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            return " ".join(book.read(name).decode() for name in book.namelist()
                            if name.endswith(".xml"))
    return response.get_data(as_text=True)


def _carries_strain(client, world) -> list[str]:
    found = []
    for url, headers in _pages(world):
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}lang=en", headers=headers)
        assert response.status_code == 200, url
        text = _text(response)
        if any(mark in text for mark in (*STRAIN_MARKS, *MEAN_TEXTS)):
            found.append(url)
    return found


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_no_strain_for_supervisor_or_admin_by_default(client, world, role):
    _record(world)
    sign_in(client, world.actor(role))
    assert _carries_strain(client, world) == []


def test_the_supervisor_sees_counts_only_by_default(client, world):
    _record(world)
    sign_in(client, world.supervisor)
    html = client.get(f"/dashboard/?pair={world.pair.id}&lang=en").get_data(as_text=True)
    assert "Check-ins recorded in the period: 2." in html
    assert "Check-ins waiting for the professional: 2" in html
    assert "has not chosen to share" in html


def test_sharing_and_withdrawing_take_effect_at_once(client, world):
    _record(world)
    other = client.application.test_client()
    sign_in(other, world.supervisor)
    sign_in(client, world.expert)
    page = client.get("/checkins?lang=en").get_data(as_text=True)
    assert "Your supervisor sees only how many check-ins wait" in page
    assert client.post("/checkins/sharing", data={"share": "1"}).status_code == 302
    assert "You share your monthly trend" in client.get("/checkins?lang=en").get_data(
        as_text=True)
    assert f"/dashboard/?pair={world.pair.id}" in _carries_strain(other, world)
    # The administrator still sees none of it.
    admin = client.application.test_client()
    sign_in(admin, world.admin)
    assert _carries_strain(admin, world) == []
    # Withdrawn: the supervisor's next page has nothing.
    assert client.post("/checkins/sharing", data={"share": "0"}).status_code == 302
    assert _carries_strain(other, world) == []


@pytest.mark.parametrize("role", ["supervisor", "admin", "professional"])
def test_only_she_chooses(client, world, role):
    sign_in(client, world.actor(role))
    expected = 403 if role == "professional" else 404
    assert client.post("/checkins/sharing", data={"share": "1"}).status_code == expected
