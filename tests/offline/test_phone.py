"""The phone's side of the server (issue 16): the worker at the root with the shell's
hashed URLs, the manifest on every page, the offline shell without client data, what the
phone may keep (first names and codes of the women met in the last week, at most 20, of
the user's own pairs), the home page's quick log and the "More" menu."""

import json
import re
from datetime import timedelta

import pytest

from outreach.core.clock import utcnow
from tests import factories
from tests.helpers import sign_in
from tests.world import make_world


@pytest.fixture
def world(app):
    return make_world()


def test_the_worker_is_served_at_the_root_for_the_whole_app(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    urls = json.loads(re.search(r"const URLS = (\[.*?\]);", body).group(1))
    assert "/offline" in urls
    # The shell under its content-hashed names, and nothing else.
    assert all(re.fullmatch(r"/static/[\w/.-]+\?v=[0-9a-f]{12}", url) for url in urls
               if url != "/offline")
    assert "/static/css/app.css" in {url.split("?")[0] for url in urls}


def test_every_page_links_the_manifest_and_loads_the_offline_script(client, world):
    for who in (None, world.expert):
        sign_in(client, who)
        html = client.get("/" if who else "/login").get_data(as_text=True)
        assert re.search(r'<link rel="manifest" href="/static/manifest.json\?v=\w+">', html)
        assert re.search(r'<script src="/static/js/offline.js\?v=\w+" defer></script>', html)
    response = client.get("/static/manifest.json")
    manifest = json.loads(response.get_data(as_text=True))
    response.close()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}


def test_the_offline_shell_holds_no_client_data(client, world):
    factories.make_contact(world.client)
    sign_in(client, world.expert)
    html = client.get("/offline?lang=en").get_data(as_text=True)
    assert "No connection" in html and 'id="offline-queue"' in html
    assert world.client.name not in html and world.client.code not in html


def test_the_phone_keeps_first_names_and_codes_of_the_last_week_at_most_20(
        client, world, count_queries):
    her = world.client
    factories.make_contact(her)
    old = factories.make_client(world.pair, name="Vanha Tuttu")
    factories.make_contact(old, contacted_at=utcnow() - timedelta(days=8))
    factories.make_contact(world.other_client)
    sign_in(client, world.expert)
    with count_queries() as few:
        state = client.get("/offline/state").get_json()
    assert state["user"] == world.expert.id and state["csrf"]
    assert state["women"] == [{"id": her.id, "name": her.name.split(" ")[0], "code": her.code}]
    for n in range(25):
        factories.make_contact(factories.make_client(world.pair, name=f"Nainen {n} Sukunimi"))
    with count_queries() as many:
        state = client.get("/offline/state").get_json()
    assert len(state["women"]) == 20
    assert all(" " not in woman["name"] for woman in state["women"])
    assert len(many) == len(few)


def test_home_offers_the_quick_log_for_the_women_met_lately_and_a_search(client, world):
    factories.make_contact(world.client)
    sign_in(client, world.expert)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'id="home-quick-log"' in html
    assert f'action="/clients/{world.client.id}/contacts/quick"' in html
    assert 'name="channel" value="street"' in html
    assert 'action="/clients/" class="inline search"' in html
    # One tap: the form posts the street contact and lands on her page.
    response = client.post(f"/clients/{world.client.id}/contacts/quick",
                           data={"channel": "street"})
    assert response.headers["Location"] == f"/clients/{world.client.id}#quick-log"
    sign_in(client, world.supervisor)
    assert 'id="home-quick-log"' not in client.get("/").get_data(as_text=True)


def test_the_more_page_lists_every_link_and_sign_out(client, world):
    sign_in(client, world.expert)
    html = client.get("/more?lang=en").get_data(as_text=True)
    for href in ("/tasks/week", "/encounters/", "/profile"):
        assert f'href="{href}' in html
    assert 'action="/logout"' in html
    page = client.get("/?lang=en").get_data(as_text=True)
    assert re.search(r'<nav class="bottom-bar"[^>]*>', page)
    assert 'href="/more"' in page


def test_a_quick_log_updates_latest_contacts_out_of_band(client, world):
    sign_in(client, world.expert)
    response = client.post(f"/clients/{world.client.id}/contacts/quick?lang=en",
                           data={"channel": "phone"},
                           headers={"HX-Request": "true", "HX-Target": "quick-log"})
    html = response.get_data(as_text=True)
    assert '<div id="latest-contacts" data-hx-swap-oob="true">' in html
    assert "Phone call" in html or "Phone" in html
