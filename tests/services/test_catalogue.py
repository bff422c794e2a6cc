"""The service catalogue: administrators manage it, every signed-in role reads it."""

import pytest
import sqlalchemy as sa
from markupsafe import escape

from outreach.auth.models import Role
from outreach.extensions import db
from outreach.services.models import Service, ServiceKind
from outreach.services.queries import active_services

NON_ADMINS = [Role.SUPERVISOR, Role.PROFESSIONAL, Role.EXPERT]

VALID = {
    "kind": "kela",
    "name_fi": "Kela, Kampin palvelupiste",
    "name_sv": "FPA, servicestället i Kampen",
    "name_en": "Kela, Kamppi service point",
    "address": "Salomonkatu 17 A, 00100 Helsinki",
    "opening_hours": "Ma–pe klo 9–16.\nAjanvarauksella myös muulloin.",
}


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def reload(service: Service) -> Service:
    db.session.expire_all()
    return db.session.get(Service, service.id)


def service_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(Service.id)))


# --- Administrator: create, edit, deactivate, reactivate --------------------------------


def test_admin_adds_a_service(client, auth):
    auth.login_as(Role.ADMIN)
    assert client.get("/services/new?lang=en").status_code == 200
    response = client.post("/services/new", data=VALID)
    assert response.status_code == 302
    service = db.session.scalar(sa.select(Service))
    assert response.headers["Location"] == f"/services/{service.id}"
    assert service.kind == ServiceKind.KELA
    assert (service.name_fi, service.name_sv, service.name_en) == (
        VALID["name_fi"], VALID["name_sv"], VALID["name_en"]
    )
    assert service.address == VALID["address"]
    assert service.opening_hours == VALID["opening_hours"]
    assert service.active is True
    page = client.get(f"/services/{service.id}?lang=en").get_data(as_text=True)
    assert "The service has been added." in page
    assert "Kela, Kamppi service point" in page
    assert "Ma–pe klo 9–16.<br>Ajanvarauksella myös muulloin." in page


def test_empty_optional_fields_are_stored_as_nothing(client, auth):
    auth.login_as(Role.ADMIN)
    data = {"kind": "police", "name_fi": "  Pasilan poliisitalo  ", "name_sv": " ",
            "name_en": "", "address": "", "opening_hours": "  "}
    assert client.post("/services/new", data=data).status_code == 302
    service = db.session.scalar(sa.select(Service))
    assert service.name_fi == "Pasilan poliisitalo"
    assert (service.name_sv, service.name_en, service.address, service.opening_hours) == (
        None, None, None, None
    )
    page = client.get(f"/services/{service.id}?lang=en").get_data(as_text=True)
    assert "Not given: the Finnish name is shown." in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name_fi": ""}, "name_fi", "Enter the name in Finnish."),
        ({"name_fi": "   "}, "name_fi", "Enter the name in Finnish."),
        ({"kind": ""}, "kind", "Choose the kind of service."),
        ({"kind": "dragon"}, "kind", "Not a valid choice"),
        ({"name_sv": "x" * 201}, "name_sv", "At most 200 characters."),
        ({"address": "x" * 201}, "address", "At most 200 characters."),
        ({"opening_hours": "x" * 2001}, "opening_hours", "At most 2000 characters."),
    ],
)
def test_invalid_input_is_refused_with_a_message_and_kept(client, auth, change, field, message):
    auth.login_as(Role.ADMIN)
    data = {**VALID, **change}
    response = client.post("/services/new?lang=en", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    assert f'id="{field}-error"' in text
    assert 'aria-invalid="true"' in text
    # Nothing typed is lost.
    for name, value in VALID.items():
        if name not in change and name != "kind":
            assert str(escape(value)) in text, name
    assert service_count() == 0


def test_admin_edits_a_service(client, auth, make_service):
    service = make_service(ServiceKind.OTHER, name_fi="Vanha nimi", name_sv="Gammalt namn",
                           address="Vanha katu 1")
    auth.login_as(Role.ADMIN)
    form = client.get(f"/services/{service.id}/edit?lang=en").get_data(as_text=True)
    assert 'value="Vanha nimi"' in form
    assert 'value="Gammalt namn"' in form
    response = client.post(
        f"/services/{service.id}/edit",
        data={"kind": "housing", "name_fi": "Uusi nimi", "name_sv": "", "name_en": "New name",
              "address": "Työpajankatu 8, 00580 Helsinki", "opening_hours": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/services/{service.id}"
    service = reload(service)
    assert service.kind == ServiceKind.HOUSING
    assert (service.name_fi, service.name_sv, service.name_en) == ("Uusi nimi", None, "New name")
    assert service.address == "Työpajankatu 8, 00580 Helsinki"
    assert "The changes have been saved." in client.get(
        f"/services/{service.id}?lang=en").get_data(as_text=True)


def test_invalid_edit_changes_nothing_and_keeps_the_input(client, auth, make_service):
    service = make_service(name_fi="Kallion terveysasema")
    auth.login_as(Role.ADMIN)
    response = client.post(
        f"/services/{service.id}/edit?lang=en",
        data={**VALID, "name_fi": "", "address": "Sturenkatu 2 A"},
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Enter the name in Finnish." in text
    assert 'value="Sturenkatu 2 A"' in text
    assert reload(service).name_fi == "Kallion terveysasema"


def test_deactivate_and_reactivate_ask_first(client, auth, make_service):
    service = make_service(name_fi="Uudenmaan TE-toimisto")
    auth.login_as(Role.ADMIN)
    page = client.get(f"/services/{service.id}?lang=en").get_data(as_text=True)
    assert "Deactivate this service?" in page
    assert f'action="/services/{service.id}/deactivate"' in page

    response = client.post(f"/services/{service.id}/deactivate")
    assert response.status_code == 302
    assert reload(service).active is False
    page = client.get(f"/services/{service.id}?lang=en").get_data(as_text=True)
    assert "This service is inactive" in page
    assert "Reactivate this service?" in page
    assert f'action="/services/{service.id}/reactivate"' in page

    assert client.post(f"/services/{service.id}/reactivate").status_code == 302
    assert reload(service).active is True


def test_deactivated_service_stays_but_leaves_the_default_list(client, auth, make_service):
    kept = make_service(name_fi="Kallion terveysasema")
    gone = make_service(name_fi="Uudenmaan TE-toimisto")
    auth.login_as(Role.ADMIN)
    client.post(f"/services/{gone.id}/deactivate")
    assert service_count() == 2  # never deleted: later records refer to it
    listed = client.get("/services/?lang=en").get_data(as_text=True)
    assert kept.name_fi in listed and gone.name_fi not in listed
    inactive = client.get("/services/?status=inactive&lang=en").get_data(as_text=True)
    assert gone.name_fi in inactive and kept.name_fi not in inactive
    both = client.get("/services/?status=all&lang=en").get_data(as_text=True)
    assert gone.name_fi in both and kept.name_fi in both
    assert [s.id for s in active_services()] == [kept.id]


def test_there_is_no_delete(app, client, auth, make_service):
    service = make_service()
    auth.login_as(Role.ADMIN)
    assert client.delete(f"/services/{service.id}").status_code == 405
    rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("services.")]
    assert not any("delete" in rule for rule in rules)
    assert service_count() == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/services/{id}"), ("get", "/services/{id}/edit"),
     ("post", "/services/{id}/edit"), ("post", "/services/{id}/deactivate"),
     ("post", "/services/{id}/reactivate")],
)
def test_unknown_service_is_404(client, auth, method, path):
    auth.login_as(Role.ADMIN)
    assert getattr(client, method)(path.format(id=9999), data=VALID).status_code == 404


# --- Who may do what --------------------------------------------------------------------

ADMIN_ROUTES = [
    ("get", "/services/new"),
    ("post", "/services/new"),
    ("get", "/services/{id}/edit"),
    ("post", "/services/{id}/edit"),
    ("post", "/services/{id}/deactivate"),
    ("post", "/services/{id}/reactivate"),
]


@pytest.mark.parametrize("role", NON_ADMINS)
@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_only_admins_change_the_catalogue(client, auth, make_service, role, method, path):
    active = not path.endswith("reactivate")  # so that each action would change something
    service = make_service(ServiceKind.BANK, name_fi="Nordea", active=active)
    auth.login_as(role)
    response = getattr(client, method)(path.format(id=service.id), data=VALID)
    assert response.status_code == 403
    after = reload(service)
    assert (after.name_fi, after.kind) == ("Nordea", ServiceKind.BANK)
    assert after.active is active
    assert service_count() == 1


@pytest.mark.parametrize(("method", "path"), [("get", "/services/"), ("get", "/services/{id}"),
                                              *ADMIN_ROUTES])
def test_signed_out_users_are_sent_to_sign_in(client, make_service, method, path):
    service = make_service()
    response = getattr(client, method)(path.format(id=service.id), data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert service_count() == 1


@pytest.mark.parametrize("role", NON_ADMINS)
def test_every_role_reads_the_list_and_a_service_without_admin_controls(
    client, auth, make_service, role
):
    service = make_service(ServiceKind.PHARMACY, name_fi="Yliopiston Apteekki",
                           address="Mannerheimintie 96, 00250 Helsinki",
                           opening_hours="Avoinna ympäri vuorokauden.")
    auth.login_as(role)
    listed = client.get("/services/?lang=en")
    assert listed.status_code == 200
    text = listed.get_data(as_text=True)
    assert "Yliopiston Apteekki" in text and "Pharmacy" in text
    assert "/services/new" not in text
    page = client.get(f"/services/{service.id}?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Mannerheimintie 96, 00250 Helsinki" in text
    assert "Avoinna ympäri vuorokauden." in text
    assert f"/services/{service.id}/edit" not in text
    assert "/deactivate" not in text


def test_admin_sees_the_controls(client, auth, make_service):
    service = make_service()
    auth.login_as(Role.ADMIN)
    assert 'href="/services/new"' in client.get("/services/").get_data(as_text=True)
    page = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert f'href="/services/{service.id}/edit"' in page


@pytest.mark.parametrize("role", list(Role))
def test_services_are_in_every_roles_navigation(client, auth, role):
    auth.login_as(role)
    text = client.get("/?lang=en").get_data(as_text=True)
    assert '<a href="/services/"' in text
    assert ">Services</a>" in text


# --- Search, filters, paging ------------------------------------------------------------


@pytest.fixture
def catalogue(make_service):
    return {
        "kela": make_service(ServiceKind.KELA, name_fi="Kela, Itäkeskus",
                             name_sv="FPA, Östra centrum", name_en="Kela, Itakeskus office",
                             address="Turunlinnantie 8"),
        "court": make_service(ServiceKind.COURT, name_fi="Helsingin käräjäoikeus",
                              name_sv="Helsingfors tingsrätt", name_en="Helsinki District Court",
                              address="Porkkalankatu 13"),
        "health": make_service(ServiceKind.HEALTH_CENTRE, name_fi="Kallion terveysasema",
                               address="Sturenkatu 2 A"),
        "closed": make_service(ServiceKind.KELA, name_fi="Kela, Kallio (suljettu)",
                               active=False),
    }


def listed_names(client, query: str) -> set[str]:
    import re

    text = client.get(f"/services/?lang=fi&{query}").get_data(as_text=True)
    return set(re.findall(r'<a href="/services/\d+"[^>]*>([^<]+)</a>', text))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Kela, Itäkeskus", "Helsingin käräjäoikeus", "Kallion terveysasema"}),
        ("q=HELSINGIN%20K", {"Helsingin käräjäoikeus"}),  # Finnish name, any case
        ("q=tingsr", {"Helsingin käräjäoikeus"}),  # Swedish name
        ("q=district", {"Helsingin käräjäoikeus"}),  # English name
        ("q=sturenkatu", {"Kallion terveysasema"}),  # address
        ("q=%25", set()),  # a literal percent sign, not a wildcard
        ("q=kela", {"Kela, Itäkeskus"}),
        ("q=kela&status=all", {"Kela, Itäkeskus", "Kela, Kallio (suljettu)"}),
        ("kind=court", {"Helsingin käräjäoikeus"}),
        ("kind=kela&status=inactive", {"Kela, Kallio (suljettu)"}),
        ("kind=dragon", {"Kela, Itäkeskus", "Helsingin käräjäoikeus", "Kallion terveysasema"}),
        ("status=nonsense", {"Kela, Itäkeskus", "Helsingin käräjäoikeus", "Kallion terveysasema"}),
    ],
)
def test_search_and_filters(client, auth, catalogue, query, expected):
    auth.login_as(Role.EXPERT)
    assert listed_names(client, query) == expected


def test_no_match_says_so(client, auth, catalogue):
    auth.login_as(Role.PROFESSIONAL)
    text = client.get("/services/?q=nothing-like-this&lang=en").get_data(as_text=True)
    assert "No services match the search." in text
    assert "0 services" in text


def test_filters_stay_selected(client, auth, catalogue):
    auth.login_as(Role.ADMIN)
    text = client.get("/services/?q=kela&kind=kela&status=all").get_data(as_text=True)
    assert 'value="kela"' in text
    assert '<option selected value="kela">' in text
    assert '<option selected value="all">' in text


def test_active_search_answers_with_the_list_only(client, auth, catalogue):
    auth.login_as(Role.PROFESSIONAL)
    response = client.get(
        "/services/?q=sturen&lang=en",
        headers={"HX-Request": "true", "HX-Target": "service-list"},
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<html" not in text and "<form" not in text
    assert "Kallion terveysasema" in text and "Helsingin käräjäoikeus" not in text
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2}], indirect=True)
def test_paging_keeps_the_search(client, auth, make_service):
    for n in range(5):
        make_service(ServiceKind.BANK, name_fi=f"Pankki {n}")
    make_service(ServiceKind.POLICE, name_fi="Poliisi")
    auth.login_as(Role.SUPERVISOR)
    first = client.get("/services/?kind=bank&lang=en").get_data(as_text=True)
    assert "Page 1 of 3 (5 in all)" in first
    assert "Pankki 0" in first and "Pankki 1" in first and "Pankki 2" not in first
    assert 'href="/services/?kind=bank&amp;lang=en&amp;page=2"' in first
    last = client.get("/services/?kind=bank&page=3&lang=en").get_data(as_text=True)
    assert "Pankki 4" in last and "Pankki 0" not in last and "Poliisi" not in last
    assert "No services match" in client.get("/services/?kind=bank&page=9&lang=en").get_data(
        as_text=True)


def test_list_runs_a_fixed_number_of_queries(client, auth, make_service, count_queries):
    auth.login_as(Role.EXPERT)
    for n in range(3):
        make_service(ServiceKind.KELA, name_fi=f"Kela {n}")
    with count_queries() as few:
        assert client.get("/services/").status_code == 200
    for n in range(20):
        make_service(ServiceKind.SHELTER, name_fi=f"Ensisuoja {n}", name_sv=f"Härbärge {n}")
    with count_queries() as many:
        assert client.get("/services/?lang=sv").status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 4


# --- Names in the user's language -------------------------------------------------------


def test_name_for_falls_back_to_finnish():
    service = Service(kind=ServiceKind.KELA, name_fi="Kela", name_sv="FPA", name_en=None)
    assert service.name_for("fi") == "Kela"
    assert service.name_for("sv") == "FPA"
    assert service.name_for("en") == "Kela"
    assert service.name_for("de") == "Kela"
    service.name_en = "  "
    assert service.name_for("en") == "Kela"
    assert service.name_language_for("en") == "fi"
    assert service.name_language_for("sv") == "sv"


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [("fi", "Sosiaalipäivystys", "Socialjouren"),
     ("sv", "Socialjouren", "Sosiaalipäivystys"),
     ("en", "Sosiaalipäivystys", "Socialjouren")],
)
def test_list_shows_names_in_the_users_language(client, auth, make_service, lang, shown, hidden):
    make_service(ServiceKind.SOCIAL_SERVICES, name_fi="Sosiaalipäivystys",
                 name_sv="Socialjouren")
    auth.login_as(Role.PROFESSIONAL)
    text = client.get(f"/services/?lang={lang}").get_data(as_text=True)
    assert shown in text
    assert hidden not in text
    if lang == "en":
        # The Finnish fallback is marked as Finnish for screen readers.
        assert 'lang="fi">Sosiaalipäivystys</a>' in text
        assert "Social services" in text


def test_users_own_language_choice_picks_the_name(client, auth, make_service):
    service = make_service(ServiceKind.COURT, name_fi="Helsingin käräjäoikeus",
                           name_sv="Helsingfors tingsrätt")
    auth.login_as(Role.EXPERT, language="sv")
    text = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "<h1 lang=\"sv\">Helsingfors tingsrätt</h1>" in text


def test_list_is_sorted_by_the_shown_name(client, auth, make_service):
    make_service(ServiceKind.BANK, name_fi="Aaa pankki", name_sv="Öbanken")
    make_service(ServiceKind.COURT, name_fi="Käräjäoikeus", name_sv="Tingsrätten")
    auth.login_as(Role.PROFESSIONAL)
    fi = client.get("/services/?lang=fi").get_data(as_text=True)
    assert fi.index("Aaa pankki") < fi.index("Käräjäoikeus")
    sv = client.get("/services/?lang=sv").get_data(as_text=True)
    assert sv.index("Tingsrätten") < sv.index("Öbanken")


# --- For later issues' select lists -----------------------------------------------------


def test_active_services_by_kind_then_finnish_name(make_service):
    police = make_service(ServiceKind.POLICE, name_fi="Poliisi")
    kela_b = make_service(ServiceKind.KELA, name_fi="Kela, Kamppi")
    make_service(ServiceKind.KELA, name_fi="Kela, Kallio", active=False)
    kela_a = make_service(ServiceKind.KELA, name_fi="Kela, Itäkeskus")
    other = make_service(ServiceKind.OTHER, name_fi="Aaa muu")
    health = make_service(ServiceKind.HEALTH_CENTRE, name_fi="Kallion terveysasema")
    assert [s.id for s in active_services()] == [kela_a.id, kela_b.id, health.id, police.id,
                                                 other.id]
