"""The client list: search, filters, sort, paging, flags, and a fixed number of queries."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from outreach.clients.choices import ClientStatus, LivingSituation
from outreach.core.time import local_today
from tests.helpers import htmx_headers as htmx_to


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def days_ago(days: int) -> datetime:
    """Noon in Helsinki `days` calendar days ago: the list counts days where the users are."""
    noon = datetime.combine(local_today() - timedelta(days=days), time(12),
                            tzinfo=ZoneInfo("Europe/Helsinki"))
    return noon.astimezone(UTC)


def names_in(response) -> list[str]:
    """The client names in the list's rows, in order."""
    html = response.get_data(as_text=True)
    return re.findall(r'<th scope="row"><a href="/clients/\d+">([^<]+)</a></th>', html)


@pytest.fixture
def clients(world, make_client):
    make = make_client
    return {
        "tiina": make(world.pair, name="Tiina", usual_place="Kampin kauppakeskus",
                      living_situation=LivingSituation.STREET, last_record_at=days_ago(2)),
        "maikki": make(world.pair, name="Maikki", usual_place="Rautatieasema",
                       living_situation=LivingSituation.EMERGENCY_SHELTER,
                       last_record_at=days_ago(30), safety_notes="Do not call after 20."),
        "anu": make(world.pair, name="Anu", usual_place="Hakaniemen tori",
                    living_situation=LivingSituation.STREET, last_record_at=days_ago(10),
                    last_contact_at=days_ago(20)),
        "pirkko": make(world.pair, name="Pirkko", usual_place="Kallion kirjasto",
                       status=ClientStatus.CLOSED, last_record_at=days_ago(60)),
        "elsewhere": make(world.other, name="Tiina Muualla", usual_place="Kampin kauppakeskus"),
    }


def test_lists_the_active_clients_of_the_users_pairs_by_name(client, world, sign_in, clients):
    sign_in(world.pro)
    response = client.get("/clients/?lang=en")
    assert response.status_code == 200
    assert names_in(response) == ["Anu", "Maikki", "Tiina"]
    page = response.get_data(as_text=True)
    assert clients["tiina"].code in page
    assert "Kampin kauppakeskus" in page
    assert "Emergency shelter" in page
    assert '<caption class="visually-hidden">Clients of your pairs</caption>' in page
    assert '<th scope="col">Days since contact</th>' in page


def test_expert_sees_the_same_list(client, world, sign_in, clients):
    sign_in(world.expert)
    assert names_in(client.get("/clients/")) == ["Anu", "Maikki", "Tiina"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=tii", ["Tiina"]),  # name, any case
        ("q=hakaniemen", ["Anu"]),  # where she is usually met
        ("q=A-", ["Anu", "Maikki", "Tiina"]),  # code
        ("q=100%25", []),  # LIKE wildcards are taken literally
        ("status=closed", ["Pirkko"]),
        ("status=all", ["Anu", "Maikki", "Pirkko", "Tiina"]),
        ("status=nonsense", ["Anu", "Maikki", "Tiina"]),
        ("living=street", ["Anu", "Tiina"]),
        ("living=street&q=anu", ["Anu"]),
        # Anu's last contact (20 days) counts, not her later record (10 days).
        ("no_contact=y", ["Anu", "Maikki"]),
        ("no_contact=y&days=25", ["Maikki"]),
        ("no_contact=y&days=2", ["Anu", "Maikki", "Tiina"]),
        ("no_contact=y&days=abc", ["Anu", "Maikki"]),  # a bad number falls back to 14
        ("days=25", ["Anu", "Maikki", "Tiina"]),  # N alone only changes the flag
        ("sort=oldest_contact", ["Maikki", "Anu", "Tiina"]),
        ("sort=newest_contact", ["Tiina", "Anu", "Maikki"]),
        ("sort=nonsense", ["Anu", "Maikki", "Tiina"]),
    ],
)
def test_search_filters_and_sort(client, world, sign_in, clients, query, expected):
    sign_in(world.pro)
    assert names_in(client.get(f"/clients/?{query}")) == expected


def test_sort_by_code(client, world, sign_in, clients):
    sign_in(world.pro)
    # Codes run in the order the records were made: Tiina, Maikki, Anu.
    assert names_in(client.get("/clients/?sort=code")) == ["Tiina", "Maikki", "Anu"]


def test_a_professional_in_two_pairs_sees_both(client, world, sign_in, make_pair, make_client,
                                               clients):
    second_pair = make_pair(professional=world.pro)
    make_client(second_pair, name="Bea")
    sign_in(world.pro)
    assert names_in(client.get("/clients/")) == ["Anu", "Bea", "Maikki", "Tiina"]


def test_flags_show_quiet_closed_and_safety_notes(client, world, sign_in, clients):
    sign_in(world.pro)
    page = client.get("/clients/?status=all&lang=en").get_data(as_text=True)
    rows = dict(re.findall(
        r'<th scope="row"><a href="/clients/\d+">([^<]+)</a></th>(.*?)</tr>', page, re.S))
    assert "No contact in 14 days" in rows["Maikki"]
    assert "No contact in 14 days" in rows["Anu"]
    assert "No contact" not in rows["Tiina"]
    assert "Safety notes" in rows["Maikki"] and "Safety notes" not in rows["Tiina"]
    assert "Do not call" not in page  # the notes themselves are on her page only
    assert "Closed" in rows["Pirkko"]
    assert "No contact" not in rows["Pirkko"]  # closed records are not chased
    # Days since the last contact, falling back to the last record.
    assert re.search(r"<td>20</td>", rows["Anu"])
    assert re.search(r"<td>2</td>", rows["Tiina"])


@pytest.mark.parametrize("app_config", [{"NO_CONTACT_DAYS": 25}], indirect=True)
def test_the_default_number_of_days_comes_from_the_configuration(client, world, sign_in,
                                                                  clients):
    sign_in(world.pro)
    response = client.get("/clients/?lang=en")
    assert "No contact in 25 days" in response.get_data(as_text=True)
    assert 'value="25"' in response.get_data(as_text=True)
    assert names_in(client.get("/clients/?no_contact=y")) == ["Maikki"]


def test_the_configuration_reads_the_environment(monkeypatch, tmp_path):
    from outreach.config import default_config

    monkeypatch.setenv("NO_CONTACT_DAYS", "21")
    assert default_config(str(tmp_path), with_secret=False)["NO_CONTACT_DAYS"] == 21


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2}], indirect=True)
def test_pages_keep_the_filters(client, world, sign_in, clients):
    sign_in(world.pro)
    first = client.get("/clients/?status=all&lang=en")
    assert names_in(first) == ["Anu", "Maikki"]
    page = first.get_data(as_text=True)
    assert "Page 1 of 2 (4 in all)" in page
    assert re.search(r'href="/clients/\?[^"]*page=2', page)
    assert "status=all" in re.search(r'href="(/clients/\?[^"]*page=2[^"]*)"', page).group(1)
    assert names_in(client.get("/clients/?status=all&page=2")) == ["Pirkko", "Tiina"]
    assert names_in(client.get("/clients/?status=all&page=9")) == []


def test_active_search_answers_with_the_list_only(client, world, sign_in, clients):
    sign_in(world.pro)
    response = client.get("/clients/?q=maik&lang=en", headers=htmx_to("client-list"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert names_in(response) == ["Maikki"]
    assert "HX-Request" in response.headers.get("Vary", "")


def test_the_search_form_works_without_javascript(client, world, sign_in, clients):
    sign_in(world.pro)
    page = client.get("/clients/?lang=en").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/clients/"[^>]*>', page).group(0)
    assert 'data-hx-get="/clients/"' in form
    assert 'data-hx-target="#client-list"' in form
    assert 'role="search"' in form
    for label in ("Search by name, code or place", "Status", "Living situation", "Sort by",
                  "Last contact",
                  "Days without contact"):
        assert label in page


def test_no_clients_yet(client, world, sign_in):
    sign_in(world.pro)
    assert "No active clients yet." in client.get("/clients/?lang=en").get_data(as_text=True)
    assert "No clients match the search." in client.get("/clients/?q=zz&lang=en").get_data(
        as_text=True)


def test_navigation_has_clients_for_partners(client, world, sign_in):
    sign_in(world.expert)
    assert 'href="/clients/"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 50}], indirect=True)
@pytest.mark.parametrize("query", ["", "?status=all&no_contact=y&sort=oldest_contact&q=a"])
def test_the_list_runs_a_fixed_number_of_queries(client, world, sign_in, make_client,
                                                 count_queries, query):
    sign_in(world.pro)
    for n in range(3):
        make_client(world.pair, name=f"Asiakas a{n}", last_record_at=days_ago(40),
                    safety_notes="x" if n % 2 else None)
    with count_queries() as few:
        assert len(names_in(client.get(f"/clients/{query}"))) == 3
    for n in range(3, 25):
        make_client(world.pair, name=f"Asiakas a{n}", last_record_at=days_ago(40),
                    safety_notes="x" if n % 2 else None)
    with count_queries() as many:
        assert len(names_in(client.get(f"/clients/{query}"))) == 25
    assert len(many) == len(few)
    assert len(few) <= 5
