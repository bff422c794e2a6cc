"""Her timeline: newest first, filtered by kind, paged by a cursor; more loads with htmx
and, without JavaScript, as a plain "Older entries" link."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from outreach.clients.choices import ClientStatus
from outreach.clients.models import ClientStatusChange
from outreach.extensions import db
from tests.helpers import htmx_headers as htmx_to

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {"PAGE_SIZE": 3})


@pytest.fixture
def her(world, make_client):
    """Her record (created first), then seven closings and reopenings a day apart."""
    record = make_client(world.pair, name="Jonna", created_at=START)
    for n in range(7):
        status = ClientStatus.CLOSED if n % 2 == 0 else ClientStatus.ACTIVE
        db.session.add(ClientStatusChange(
            client_id=record.id, status=status, day=date(2026, 1, 6 + n),
            reason=f"syy {n}" if status == ClientStatus.CLOSED else None,
            created_by_id=world.expert.id, created_at=START + timedelta(days=n + 1)))
    db.session.commit()
    return record


def days_in(html: str) -> list[str]:
    """The entries' timestamps, in page order."""
    return re.findall(r'<time datetime="([^"]+)"', html)


def cursor_link(html: str) -> str | None:
    match = re.search(r'<a class="button" href="([^"]+)" data-hx-get="([^"]+)"', html)
    if match is None:
        return None
    assert match.group(1) == match.group(2)  # the same URL with and without JavaScript
    return match.group(1).replace("&amp;", "&")


def test_pages_newest_first_with_a_plain_link_to_older_entries(client, world, sign_in, her):
    sign_in(world.pro)
    seen = []
    url = f"/clients/{her.id}/timeline?lang=en"
    pages = 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += days_in(html)
        url = cursor_link(html)
        pages += 1
        if pages > 1:
            assert "Back to the newest entries" in html
    assert pages == 3
    assert len(seen) == 8 and len(set(seen)) == 8
    assert seen == sorted(seen, reverse=True)
    assert "Record " + her.code + " created" in html  # the oldest entry comes last


def test_load_more_with_htmx_appends_entries_and_replaces_the_button(client, world, sign_in,
                                                                     her):
    sign_in(world.expert)
    page = client.get(f"/clients/{her.id}/timeline?lang=en").get_data(as_text=True)
    assert '<ol id="timeline-entries" class="timeline">' in page
    assert 'data-hx-target="#timeline-entries" data-hx-swap="beforeend"' in page
    more = cursor_link(page)
    response = client.get(more, headers=htmx_to("timeline-entries"))
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in fragment and "<ol" not in fragment and "<h1" not in fragment
    assert fragment.count("<li>") == 3
    assert set(days_in(fragment)).isdisjoint(days_in(page))
    # The next button arrives out of band, replacing the old one.
    assert '<div id="timeline-more" data-hx-swap-oob="true">' in fragment
    last = client.get(cursor_link(fragment), headers=htmx_to("timeline-entries"))
    last_html = last.get_data(as_text=True)
    assert last_html.count("<li>") == 2
    assert '<div id="timeline-more" data-hx-swap-oob="true"></div>' in last_html
    assert "Older entries" not in last_html


def test_filter_by_kind(client, world, sign_in, her):
    sign_in(world.pro)
    only_record = client.get(f"/clients/{her.id}/timeline?kind=client&lang=en").get_data(
        as_text=True)
    assert len(days_in(only_record)) == 1
    assert f"Record {her.code} created" in only_record
    assert 'value="client" checked' in only_record
    statuses = client.get(f"/clients/{her.id}/timeline?kind=status&lang=en").get_data(
        as_text=True)
    assert len(days_in(statuses)) == 3 and "created" not in statuses
    more = cursor_link(statuses)
    assert "kind=status" in more  # the filter travels with the cursor
    assert len(days_in(client.get(more).get_data(as_text=True))) == 3
    both = client.get(f"/clients/{her.id}/timeline?kind=status&kind=client&kind=bogus")
    assert len(days_in(both.get_data(as_text=True))) == 3
    empty = client.get(f"/clients/{her.id}/timeline?kind=merge&lang=en").get_data(as_text=True)
    assert "Nothing of the chosen kinds has been recorded about her." in empty


def test_every_kind_can_be_chosen(client, world, sign_in, her):
    from outreach.clients import timeline

    sign_in(world.pro)
    page = client.get(f"/clients/{her.id}/timeline?lang=en").get_data(as_text=True)
    for name in ("client", "status", "merge", "transfer", *timeline.all_kinds()):
        assert f'name="kind" value="{name}"' in page


@pytest.mark.parametrize("app_config", [{}], indirect=True)
def test_a_new_record_has_its_creation_on_the_timeline(client, world, sign_in):
    sign_in(world.pro)
    client.post("/clients/new", data={"name": "Outi", "living_situation": "unknown"})
    page = client.get("/clients/1/timeline?lang=en").get_data(as_text=True)
    assert "Record A-" in page and "Paula Pro" in page


def test_a_broken_cursor_starts_from_the_newest(client, world, sign_in, her):
    sign_in(world.pro)
    html = client.get(f"/clients/{her.id}/timeline?before=garbage").get_data(as_text=True)
    assert len(days_in(html)) == 3


def test_the_timeline_runs_a_fixed_number_of_queries(client, world, sign_in, her,
                                                     count_queries):
    sign_in(world.pro)
    with count_queries() as first:
        client.get(f"/clients/{her.id}/timeline")
    for n in range(10):
        db.session.add(ClientStatusChange(
            client_id=her.id, status=ClientStatus.ACTIVE, day=date(2026, 2, 1),
            created_by_id=world.pro.id, created_at=START + timedelta(days=30 + n)))
    db.session.commit()
    with count_queries() as later:
        client.get(f"/clients/{her.id}/timeline")
    assert len(later) == len(first)
