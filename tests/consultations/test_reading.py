"""The supervisor reads the one record a consultation opens to her, and nothing else; every
read is logged with the basis "consultation" and shown to the pair on her page; she changes
nothing; when the consultation ends (by the professional or by time) she gets 404."""

from datetime import timedelta

import pytest

from outreach.audit.models import AccessLog
from outreach.clients.models import Client
from outreach.consultations.models import Consultation
from outreach.contacts.models import Contact
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from tests import factories
from tests.consultations.conftest import make_consultation
from tests.helpers import fresh, log_rows


@pytest.fixture
def records(world, second):
    """Something of each kind recorded about her (and about the second client)."""
    her = world.client
    challenge = factories.make_challenge(her, description="Asunto puuttuu")
    return {
        "mapping": factories.make_mapping(her),
        "challenge": challenge,
        "step": factories.make_step(challenge, proposal="Soitetaan asumisneuvojalle"),
        "contact": factories.make_contact(her, note="Tavattiin asemalla"),
        "accompaniment": factories.make_accompaniment(her),
        "network": factories.make_network_contact(her),
        "second_mapping": factories.make_mapping(second),
    }


def read_urls(client: Client, records: dict | None = None) -> list[tuple[str, str, str | None]]:
    """(url, access-log part, htmx target) of every read route a consultation opens."""
    urls = [
        (f"/clients/{client.id}", "record", None),
        (f"/clients/{client.id}/timeline", "timeline", None),
        (f"/clients/{client.id}/timeline", "timeline", "timeline-entries"),
        (f"/clients/{client.id}/mappings/", "mapping", None),
        (f"/clients/{client.id}/challenges/", "steps", None),
        (f"/clients/{client.id}/contacts/", "contacts", None),
        (f"/clients/{client.id}/contacts/", "contacts", "contact-list"),
        (f"/clients/{client.id}/accompaniments/", "accompaniments", None),
        (f"/clients/{client.id}/network/", "network", None),
        (f"/clients/{client.id}/consents/", "consent", None),
    ]
    if records is not None:
        urls.append((f"/clients/{client.id}/mappings/{records['mapping'].id}", "mapping", None))
    return urls


def _get(client, url, target=None):
    headers = {"HX-Request": "true", "HX-Target": target} if target else {}
    return client.get(url, headers=headers)


def test_the_supervisor_reads_her_whole_record(client, world, sign_in, records, second):
    make_consultation(world.client)
    sign_in(world.supervisor)
    for url, _part, target in read_urls(world.client, records):
        response = _get(client, url, target)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        if target is None:
            assert "Maija" in html, url
        assert second.name not in html and world.other_client.name not in html, url
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert "Turvallisuushuomio" in page  # her safety notes: the consultation is about her
    assert "Tavattiin asemalla" in page
    assert "opened her record to you for a consultation until" in page
    assert "Vaikea tilanne" in page  # the reason
    steps = client.get(f"/clients/{world.client.id}/challenges/").get_data(as_text=True)
    assert "Soitetaan asumisneuvojalle" in steps


def test_she_is_offered_no_changes(client, world, sign_in, records):
    make_consultation(world.client)
    sign_in(world.supervisor)
    for url, _part, target in read_urls(world.client, records):
        if target:
            continue
        html = client.get(url).get_data(as_text=True)
        for fragment in ("/edit", "/new", "/close", "/reopen", "/merge", "/quick", "/withdraw",
                         "/decision", "/outcome", "/tasks/", 'method="post"'):
            # The only form that posts is signing out, in the page header.
            if fragment == 'method="post"':
                assert html.count(fragment) == html.count('action="/logout"'), (url, fragment)
            else:
                assert fragment not in html, (url, fragment)


WRITES = [
    ("get", "/clients/{id}/edit", None),
    ("post", "/clients/{id}/edit", {"name": "Muutettu", "living_situation": "street",
                                    "version": "1"}),
    ("get", "/clients/{id}/close", None),
    ("post", "/clients/{id}/close", {"closed_on": "{today}", "reason": "Ei"}),
    ("post", "/clients/{id}/reopen", None),
    ("get", "/clients/{id}/merge", None),
    ("post", "/clients/{id}/merge", {"other_id": "{second}"}),
    ("get", "/clients/{id}/contacts/new", None),
    ("post", "/clients/{id}/contacts/new", {"channel": "phone", "duration_minutes": "15",
                                            "participants": "both"}),
    ("post", "/clients/{id}/contacts/quick", {"channel": "phone", "duration_minutes": "15",
                                              "participants": "both"}),
    ("post", "/clients/{id}/contacts/{contact}/delete", None),
    ("get", "/clients/{id}/mappings/new", None),
    ("post", "/clients/{id}/mappings/new", {"mapped_on": "{today}"}),
    ("get", "/clients/{id}/challenges/new", None),
    ("post", "/clients/{id}/challenges/new", {"domain": "housing", "description": "Uusi"}),
    ("post", "/clients/{id}/challenges/steps/{step}/decision", {"decision": "declined"}),
    ("get", "/clients/{id}/accompaniments/new", None),
    ("get", "/clients/{id}/network/new", None),
    ("get", "/clients/{id}/consents/new", None),
    ("post", "/clients/{id}/consents/withdraw", {"withdrawn_on": "{today}"}),
    ("get", "/clients/{id}/access-log", None),
    ("get", "/clients/{id}/consultation", None),
    ("post", "/clients/{id}/consultation", {"reason": "Syy", "days": "7"}),
    ("get", "/tasks/new?client={id}", None),
    # Exports of her data are the pair's only.
    ("get", "/clients/{id}/contacts/export?format=csv", None),
    ("get", "/clients/{id}/export", None),
]


def _fill(text: str, world, second, records) -> str:
    return (text.replace("{id}", str(world.client.id)).replace("{second}", str(second.id))
            .replace("{today}", local_today().isoformat())
            .replace("{contact}", str(records["contact"].id))
            .replace("{step}", str(records["step"].id)))


def test_she_cannot_change_anything(client, world, sign_in, records, second):
    make_consultation(world.client)
    sign_in(world.supervisor)
    before = (fresh(Client, world.client.id).version, db.session.query(Contact).count(),
              db.session.query(Consultation).count())
    for method, path, data in WRITES:
        url = _fill(path, world, second, records)
        body = {key: _fill(value, world, second, records) for key, value in (data or {}).items()}
        response = getattr(client, method)(url, data=body)
        assert response.status_code in (403, 404), (method, url, response.status_code)
    db.session.expire_all()
    after = (fresh(Client, world.client.id).version, db.session.query(Contact).count(),
             db.session.query(Consultation).count())
    assert after == before
    assert fresh(Client, world.client.id).name == "Maija"


@pytest.mark.parametrize("whose", ["second", "other_client", "lonely"])
def test_no_other_client_is_open_to_her(client, world, sign_in, records, second, lonely,
                                        whose):
    """Another client of the same pair, another pair's client (whose own supervisor has a
    consultation), a client of a pair without a supervisor: 404 on every read route."""
    make_consultation(world.client)
    make_consultation(world.other_client)  # opened to the other pair's supervisor
    other = {"second": second, "other_client": world.other_client, "lonely": lonely}[whose]
    sign_in(world.supervisor)
    urls = read_urls(other)
    if whose == "second":
        urls.append((f"/clients/{other.id}/mappings/{records['second_mapping'].id}", "", None))
    for url, _part, target in urls:
        response = _get(client, url, target)
        assert response.status_code == 404, url
        assert other.name not in response.get_data(as_text=True)
    # Her own mapping through another client's URL is no way in either.
    assert client.get(f"/clients/{second.id}/mappings/{records['mapping'].id}"
                      ).status_code == 404


def test_a_consultation_opened_to_another_supervisor_opens_nothing_to_her(client, world,
                                                                         sign_in):
    make_consultation(world.client, supervisor_id=world.other_supervisor.id)
    sign_in(world.supervisor)
    assert client.get(f"/clients/{world.client.id}").status_code == 404
    sign_in(world.other_supervisor)  # not the pair's supervisor (any more): nothing either
    assert client.get(f"/clients/{world.client.id}").status_code == 404


def test_without_a_consultation_her_pairs_supervisor_gets_404(client, world, sign_in):
    sign_in(world.supervisor)
    for url, _part, target in read_urls(world.client):
        assert _get(client, url, target).status_code == 404, url


def test_every_read_is_logged_with_the_basis_consultation(client, world, sign_in, records,
                                                          second):
    make_consultation(world.client)
    sign_in(world.supervisor)
    urls = read_urls(world.client, records)
    for url, _part, target in urls:
        assert _get(client, url, target).status_code == 200, url
    rows = log_rows(user_id=world.supervisor.id)
    assert [(row.client_id, row.part, row.action, row.basis, row.outcome) for row in rows] == [
        (world.client.id, part, "read", "consultation", "allowed") for _url, part, _t in urls
    ]
    assert all(row.role == "supervisor" for row in rows)
    # A refused try is logged too, with the same basis.
    assert client.get(f"/clients/{second.id}").status_code == 404
    [denied] = log_rows(user_id=world.supervisor.id, client_id=second.id)
    assert (denied.basis, denied.outcome) == ("consultation", "denied")


def test_the_partners_reads_keep_their_own_basis(client, world, sign_in):
    make_consultation(world.client)
    sign_in(world.pro)
    assert client.get(f"/clients/{world.client.id}").status_code == 200
    [row] = log_rows(user_id=world.pro.id)
    assert (row.basis, row.part) == ("own_pair", "record")


@pytest.mark.parametrize("who", ["pro", "expert"])
def test_the_pair_sees_who_read_her_record(client, world, sign_in, second, who):
    make_consultation(world.client)
    sign_in(world.supervisor)
    client.get(f"/clients/{world.client.id}")
    client.get(f"/clients/{world.client.id}/timeline")
    sign_in(getattr(world, who))
    html = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    section = html[html.index('id="consultation"'):]
    assert "Read through consultations" in section
    reads = section[section.index("consultation-reads"):]
    assert reads.count("Sanna Supervisor") == 2
    assert "Her record" in reads and "Timeline" in reads
    # The other client's page shows no reads.
    other = client.get(f"/clients/{second.id}?lang=en").get_data(as_text=True)
    assert "consultation-reads" not in other


def test_the_supervisor_does_not_see_the_log_of_reads(client, world, sign_in):
    make_consultation(world.client)
    sign_in(world.supervisor)
    client.get(f"/clients/{world.client.id}")
    html = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert "consultation-reads" not in html and "access-log" not in html


def _ends_for_her(client, world):
    for url, _part, target in read_urls(world.client):
        assert _get(client, url, target).status_code == 404, url
    assert "Maija" not in client.get("/consultations").get_data(as_text=True)


def test_ended_by_the_professional_she_gets_404(client, world, sign_in):
    consultation = make_consultation(world.client)
    sign_in(world.supervisor)
    assert client.get(f"/clients/{world.client.id}").status_code == 200
    sign_in(world.pro)
    assert client.post(f"/consultations/{consultation.id}/end").status_code == 302
    sign_in(world.supervisor)
    _ends_for_her(client, world)


def test_ended_by_time_she_gets_404(client, world, sign_in):
    consultation = make_consultation(world.client)
    sign_in(world.supervisor)
    assert client.get(f"/clients/{world.client.id}").status_code == 200
    consultation = fresh(Consultation, consultation.id)
    consultation.opened_at = utcnow() - timedelta(days=7)
    consultation.ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    _ends_for_her(client, world)
    sign_in(world.pro)
    html = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert ">Ended<" in html


def test_the_pairs_end_closes_it_too(client, world, sign_in):
    make_consultation(world.client)
    pair = world.pair
    pair.ends_on = local_today()
    db.session.commit()
    sign_in(world.supervisor)
    _ends_for_her(client, world)


def test_her_list_and_home_panel(client, world, sign_in, second):
    stranger = world.other_client
    make_consultation(world.client, reason="Lapsen huoltajuus")
    make_consultation(second, ended=True)
    make_consultation(stranger)
    sign_in(world.supervisor)
    for url in ("/consultations?lang=en", "/?lang=en"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Consultations open to you" in html
        assert f'href="/clients/{world.client.id}"' in html and "Lapsen huoltajuus" in html
        assert second.name not in html and stranger.name not in html
    sign_in(world.other_supervisor)
    html = client.get("/consultations?lang=en").get_data(as_text=True)
    # Her pair's people are "… Stranger" too ("Opened by"): the link is hers alone.
    assert f'href="/clients/{stranger.id}"' in html and stranger.name in html
    assert "Maija" not in html


@pytest.mark.parametrize("who", ["pro", "expert", "admin"])
def test_the_list_is_the_supervisors(client, world, sign_in, who):
    sign_in(getattr(world, who))
    assert client.get("/consultations").status_code == 403
    assert "consultations-heading" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("lang, words", [
    ("en", ["Consultation with the supervisor", "Open"]),
    ("fi", []),
    ("sv", []),
])
def test_the_section_in_each_language(client, world, sign_in, lang, words):
    """fi and sv show the catalogue's words once the translations are merged; the page
    works in every language either way."""
    make_consultation(world.client)
    for user in (world.pro, world.supervisor):
        sign_in(user)
        response = client.get(f"/clients/{world.client.id}?lang={lang}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}"' in html
        assert 'id="consultation-heading"' in html
        for word in words:
            assert word in html
    response = client.get(f"/consultations?lang={lang}")
    assert response.status_code == 200


def test_the_client_page_runs_a_fixed_number_of_queries(client, world, sign_in, count_queries):
    def page_queries(user) -> int:
        sign_in(user)
        client.get(f"/clients/{world.client.id}")  # warm-up (babel, the user)
        with count_queries() as statements:
            assert client.get(f"/clients/{world.client.id}").status_code == 200
        return len(statements)

    make_consultation(world.client, ended=True)
    make_consultation(world.client)
    few = {who: page_queries(getattr(world, who)) for who in ("pro", "supervisor")}
    for _ in range(6):
        make_consultation(world.client, expired=True)
    db.session.add_all(AccessLog(client_id=world.client.id, user_id=world.supervisor.id,
                                 role="supervisor", part="record", action="read",
                                 basis="consultation", outcome="allowed")
                       for _ in range(40))
    db.session.commit()
    many = {who: page_queries(getattr(world, who)) for who in ("pro", "supervisor")}
    assert many == few
