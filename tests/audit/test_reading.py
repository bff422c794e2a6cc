"""Reading the log (the professional, the administrator, her own copy) and her data."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.audit.models import AccessLog
from outreach.auth.models import Role
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from tests import factories
from tests.audit.conftest import log_rows

CLIENT_URLS = [
    "/clients/{id}/access-log",
    "/clients/{id}/access-log/hers",
    "/clients/{id}/access-log/hers.csv",
    "/clients/{id}/export",
    "/clients/{id}/export.json",
]


@pytest.mark.parametrize("url", CLIENT_URLS)
@pytest.mark.parametrize("who, status", [
    ("pro", 200), ("expert", 403), ("supervisor", 403), ("admin", 403), ("pro2", 404),
])
def test_only_the_pairs_professional_reads_her_log_and_data(client, world, sign_in, her, url,
                                                            who, status):
    sign_in(getattr(world, who))
    assert client.get(url.format(id=her.id)).status_code == status


@pytest.mark.parametrize("who, status", [
    ("admin", 200), ("pro", 403), ("expert", 403), ("supervisor", 403),
])
def test_only_the_administrator_searches_the_whole_log(client, world, sign_in, who, status):
    sign_in(getattr(world, who))
    assert client.get("/admin/access-log").status_code == status


def test_signed_out_users_are_sent_to_sign_in(client, her):
    for url in [*CLIENT_URLS, "/admin/access-log"]:
        response = client.get(url.format(id=her.id))
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_her_page_links_the_log_and_export_for_the_professional(client, world, sign_in, her):
    sign_in(world.pro)
    page = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    assert f'href="/clients/{her.id}/access-log"' in page
    assert f'href="/clients/{her.id}/export"' in page
    sign_in(world.expert)
    page = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    assert f"/clients/{her.id}/export" not in page
    assert "Her data and who has read it" in page


def test_the_professional_sees_who_read_what(client, world, sign_in, her, theirs):
    sign_in(world.expert)
    client.get(f"/clients/{her.id}")
    sign_in(world.pro2)
    client.get(f"/clients/{her.id}")  # denied
    sign_in(world.pro)
    page = client.get(f"/clients/{her.id}/access-log?lang=en").get_data(as_text=True)
    assert "Eeva Expert" in page and "Experience expert" in page
    assert "Pirjo Pro2" in page and "Denied" in page
    assert "Her record" in page and "Read" in page and "Own pair" in page
    assert theirs.name not in page


def test_her_log_is_paged(client, world, sign_in, her, app):
    rows = [{"client_id": her.id, "user_id": world.expert.id, "role": "expert",
             "part": "record", "action": "read", "basis": "own_pair", "outcome": "allowed",
             "at": utcnow() - timedelta(minutes=n)} for n in range(30)]
    db.session.execute(sa.insert(AccessLog), rows)
    db.session.commit()
    sign_in(world.pro)
    first = client.get(f"/clients/{her.id}/access-log?lang=en").get_data(as_text=True)
    assert 'rel="next"' in first
    second = client.get(f"/clients/{her.id}/access-log?page=2&lang=en").get_data(as_text=True)
    assert "Page 2 of 2" in second


def test_her_log_page_has_a_fixed_number_of_queries(client, world, sign_in, her,
                                                    count_queries):
    url = f"/clients/{her.id}/access-log"
    sign_in(world.pro)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    users = [factories.make_user(Role.EXPERT) for _ in range(5)]
    db.session.execute(sa.insert(AccessLog), [
        {"client_id": her.id, "user_id": user.id, "role": "expert", "part": "record",
         "action": "read", "basis": "own_pair", "outcome": "allowed"} for user in users
    ])
    db.session.commit()
    with count_queries() as many:
        client.get(url)
    assert len(few) == len(many)


# --- Her own copy ------------------------------------------------------------------------


def _read_by_expert(client, sign_in, world, her):
    sign_in(world.expert)
    client.get(f"/clients/{her.id}")
    client.get(f"/clients/{her.id}/timeline?kind=client")
    sign_in(world.pro)


@pytest.mark.parametrize("lang, role, part", [
    ("fi", "Kokemusasiantuntija", "Aikajana"),
    ("sv", "Erfarenhetsexpert", "Tidslinje"),
    ("en", "Experience expert", "Timeline"),
])
def test_her_csv_is_in_her_language_with_a_bom(client, world, sign_in, her, lang, role, part):
    _read_by_expert(client, sign_in, world, her)
    response = client.get(f"/clients/{her.id}/access-log/hers.csv?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert role in text and part in text and "Työpari" in text
    lines = text.strip().splitlines()
    assert len(lines) == 3  # the header and the expert's two reads (not this download)
    for private in ("Eeva Expert", world.expert.email, "/clients", "127.0.0.1", "Paula Pro"):
        assert private not in text


@pytest.mark.parametrize("app_config", [{"ORGANISATION_NAME": "Helsingin kaupunki"}])
def test_her_copy_names_the_configured_organisation(client, world, sign_in, her):
    _read_by_expert(client, sign_in, world, her)
    text = client.get(f"/clients/{her.id}/access-log/hers.csv").get_data().decode("utf-8-sig")
    assert "Helsingin kaupunki" in text


def test_her_printable_page_is_in_her_language_without_staff_details(client, world, sign_in,
                                                                     her):
    _read_by_expert(client, sign_in, world, her)
    client.get(f"/clients/{her.id}?lang=en")  # the professional works in English
    page = client.get(f"/clients/{her.id}/access-log/hers?lang=sv").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Erfarenhetsexpert" in page and "Tidslinje" in page
    table = page[page.index("<table"):page.index("</table>")]
    for private in ("Eeva Expert", "/clients/", "127.0.0.1"):
        assert private not in table
    # Her language is for her copy; the professional's own pages stay in English.
    assert '<html lang="en">' in client.get(f"/clients/{her.id}").get_data(as_text=True)


def test_her_log_leaves_out_denied_attempts(client, world, sign_in, her):
    sign_in(world.pro2)
    client.get(f"/clients/{her.id}")
    sign_in(world.pro)
    text = client.get(f"/clients/{her.id}/access-log/hers.csv?lang=en").get_data(as_text=True)
    assert len(text.strip().splitlines()) == 1


# --- Her data ----------------------------------------------------------------------------


@pytest.fixture
def everything(world, her):
    from outreach.clients.choices import LifeDomain
    from outreach.steps.models import Decision

    service = factories.make_service(name_fi="Naisten Linja")
    factories.make_consent(her, services=[service])
    factories.make_mapping(her, ratings={LifeDomain.HOUSING: 2},
                           notes={LifeDomain.HOUSING: "Asuu ystävällä"},
                           what_matters_most="Oma koti")
    challenge = factories.make_challenge(her, description="Asunnon haku")
    factories.make_step(challenge, proposal="Soitetaan asuntotoimistoon",
                        decision=Decision.AGREED)
    factories.make_contact(her, note="Tavattiin kirjastolla")
    factories.make_accompaniment(her, service=service, purpose="Kela-asiointi")
    factories.make_network_contact(her, topic="Asumisneuvonta")
    factories.make_task(world.pair, client_id=her.id, title="Varaa aika")
    return her


def test_the_json_export_has_every_domain(client, world, sign_in, everything):
    her = everything
    sign_in(world.pro)
    response = client.get(f"/clients/{her.id}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    parts = data["parts"]
    assert data["client"]["code"] == her.code
    assert parts["record"][0]["name"] == "Hanna Hänninen"
    assert parts["record"][0]["safety_notes"] == "Ei kotikäyntejä"
    assert parts["consents"][0]["services"] == ["Naisten Linja"]
    ratings = parts["mappings"][0]["ratings"]
    assert {"domain": "housing", "rating": 2, "notes": "Asuu ystävällä"}.items() <= next(
        r for r in ratings if r["domain"] == "housing").items()
    step = parts["challenges"][0]["steps"][0]
    assert step["proposal"] == "Soitetaan asuntotoimistoon"
    assert step["decisions"][0]["decision"] == "agreed"
    assert parts["contacts"][0]["note"] == "Tavattiin kirjastolla"
    assert parts["accompaniments"][0]["purpose"] == "Kela-asiointi"
    assert parts["network"][0]["topic"] == "Asumisneuvonta"
    assert parts["tasks"][0]["title"] == "Varaa aika"
    kinds = {row["kind"] for row in parts["timeline"]}
    assert {"client", "consent", "mapping", "contact"} <= kinds
    # Dates are ISO.
    assert parts["consents"][0]["given_on"][4] == "-"
    assert "T" in parts["record"][0]["created_at"]
    assert "session_token" not in response.get_data(as_text=True)


def test_the_printable_export_shows_everything(client, world, sign_in, everything):
    her = everything
    sign_in(world.pro)
    page = client.get(f"/clients/{her.id}/export?lang=en").get_data(as_text=True)
    for text in ("Hanna Hänninen", "Ei kotikäyntejä", "Naisten Linja", "Asuu ystävällä",
                 "Soitetaan asuntotoimistoon", "Tavattiin kirjastolla", "Kela-asiointi",
                 "Asumisneuvonta", "Varaa aika", "Situation mappings", "Timeline"):
        assert text in page, text


def _one_of_each(her):
    factories.make_contact(her)
    factories.make_step(factories.make_challenge(her))
    factories.make_mapping(her)
    factories.make_consent(her, services=[factories.make_service()],
                           share_organisations=[factories.make_service()])
    factories.make_accompaniment(her)
    factories.make_network_contact(her, service=factories.make_service())
    factories.make_task(her.pair, client_id=her.id)


def test_the_export_has_a_fixed_number_of_queries(client, world, sign_in, her, count_queries):
    """Selectinload skips a child query when there are no parents: compare one of each
    with several of each."""
    url = f"/clients/{her.id}/export.json"
    _one_of_each(her)
    sign_in(world.pro)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for _n in range(3):
        _one_of_each(her)
    with count_queries() as many:
        client.get(url)
    assert len(few) == len(many)


# --- The administrator's search ------------------------------------------------------------


@pytest.fixture
def logged(world, her, theirs):
    now = utcnow()
    rows = [
        (world.pro, her, "allowed", now),
        (world.expert, her, "allowed", now - timedelta(days=3)),
        (world.pro2, her, "denied", now - timedelta(days=10)),
        (world.pro2, theirs, "allowed", now),
    ]
    db.session.execute(sa.insert(AccessLog), [
        {"user_id": user.id, "role": str(user.role), "client_id": client.id, "part": "record",
         "action": "read", "basis": "own_pair", "outcome": outcome, "at": at,
         "path": f"/clients/{client.id}", "remote_addr": "10.0.0.1"}
        for user, client, outcome, at in rows
    ])
    db.session.commit()
    return rows


def _results(client, query: str) -> str:
    page = client.get(f"/admin/access-log?lang=en&{query}").get_data(as_text=True)
    return page[page.index('id="log-results"'):]


def test_admin_searches_by_user_code_date_and_outcome(client, world, sign_in, her, theirs,
                                                     logged):
    sign_in(world.admin)
    everything = _results(client, "")
    assert everything.count("<tr") == 5  # header + 4
    assert her.name not in everything and theirs.name not in everything
    assert her.code in everything
    by_user = _results(client, "user=Pirjo")
    assert by_user.count("<tr") == 3 and "Eeva Expert" not in by_user
    by_code = _results(client, f"code={theirs.code.lower()}")
    assert by_code.count("<tr") == 2 and her.code not in by_code
    denied = _results(client, "outcome=denied")
    assert denied.count("<tr") == 2 and "Pirjo Pro2" in denied
    today = local_today()
    since, until = today - timedelta(days=5), today + timedelta(days=1)
    recent = _results(client, f"since={since}&until={until}")
    assert recent.count("<tr") == 4
    old = _results(client, f"until={today - timedelta(days=7)}")
    assert old.count("<tr") == 2


def test_admin_search_with_a_bad_date_answers_422(client, world, sign_in, logged):
    sign_in(world.admin)
    response = client.get("/admin/access-log?since=2026-13-40&lang=en")
    assert response.status_code == 422
    assert "Enter a valid date." in response.get_data(as_text=True)
    response = client.get("/admin/access-log?since=2026-05-10&until=2026-05-01&lang=en")
    assert response.status_code == 422


def test_admin_search_as_an_htmx_fragment(client, world, sign_in, logged):
    sign_in(world.admin)
    response = client.get("/admin/access-log?outcome=denied",
                          headers={"HX-Request": "true", "HX-Target": "log-results"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "<table" in html


def test_reading_the_log_is_logged_but_the_admins_search_is_not_about_a_client(
        client, world, sign_in, her, logged):
    sign_in(world.admin)
    client.get("/admin/access-log")
    assert len(log_rows()) == 4
    sign_in(world.pro)
    client.get(f"/clients/{her.id}/access-log")
    [row] = log_rows(part="access_log")
    assert (row.client_id, row.action) == (her.id, "read")
