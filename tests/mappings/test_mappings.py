"""Situation mappings: the professional makes them, the pair reads them, none is overwritten."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from outreach.clients import timeline
from outreach.clients.choices import LifeDomain
from outreach.clients.models import Client
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.mappings.models import Mapping
from tests import factories
from tests.helpers import REFUSED, htmx_headers, sign_in
from tests.world import give_consent, make_world

D = LifeDomain


@pytest.fixture
def world(app):
    return make_world()


def form_data(**fields) -> dict:
    """What a browser sends: every domain's rating and notes, empty unless given."""
    data = {"mapped_on": local_today().isoformat(), "what_matters_most": ""}
    for domain in LifeDomain:
        data[f"rating_{domain.value}"] = ""
        data[f"notes_{domain.value}"] = ""
    data.update({k: str(v) for k, v in fields.items()})
    return data


def mappings_of(client) -> list[Mapping]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(Mapping).where(Mapping.client_id == client.id).order_by(Mapping.id)
    ))


def ratings(mapping: Mapping) -> dict:
    return {r.domain: r.rating for r in mapping.ratings}


def checked(page: str, domain: LifeDomain) -> str | None:
    """The value of the checked radio button of a domain's rating on the form."""
    for tag in re.findall(rf'<input[^>]*name="rating_{domain.value}"[^>]*>', page):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


# --- Creating ---------------------------------------------------------------------------


def test_professional_makes_a_mapping(client, world):
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/mappings/new?lang=en").get_data(as_text=True)
    assert "1 = acute crisis, 5 = stable" in page
    # One block per domain, its name as the legend of the radio buttons.
    assert page.count("<fieldset") == 10
    assert "<legend>Housing</legend>" in page
    assert page.count('name="rating_housing"') == 6  # 1-5 and "not assessed"
    before = db.session.get(Client, world.client.id).last_record_at

    response = client.post(
        f"/clients/{world.client.id}/mappings/new?lang=en",
        data=form_data(
            mapped_on=(local_today() - timedelta(days=1)).isoformat(),
            what_matters_most="Oma rauha ja että koira saa olla mukana.",
            rating_housing=1, notes_housing="Nukkuu rappukäytävissä.",
            rating_mental_health=3, rating_strengths_wishes=5,
        ),
    )
    assert response.status_code == 302
    [mapping] = mappings_of(world.client)
    assert response.headers["Location"] == (
        f"/clients/{world.client.id}/mappings/{mapping.id}"
    )
    assert mapping.mapped_on == local_today() - timedelta(days=1)
    assert mapping.created_by_id == world.professional.id
    assert mapping.what_matters_most == "Oma rauha ja että koira saa olla mukana."
    assert len(mapping.ratings) == 10
    assert ratings(mapping) == {
        **dict.fromkeys(LifeDomain), D.HOUSING: 1, D.MENTAL_HEALTH: 3, D.STRENGTHS_WISHES: 5,
    }
    assert mapping.rating_for(D.HOUSING).notes == "Nukkuu rappukäytävissä."
    assert mapping.rating_for(D.INCOME_DEBTS).notes is None
    assert db.session.get(Client, world.client.id).last_record_at > before

    shown = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "The situation mapping was saved." in shown
    assert "Oma rauha ja että koira saa olla mukana." in shown
    assert "Nukkuu rappukäytävissä." in shown


def test_a_new_mapping_starts_from_the_last_one_and_keeps_it(client, world):
    old = factories.make_mapping(
        world.client, mapped_on=local_today() - timedelta(days=60),
        ratings={D.HOUSING: 2, D.SUBSTANCE_USE: 4}, notes={D.HOUSING: "Ensisuoja"},
        what_matters_most="Lapset",
    )
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/mappings/new?lang=en").get_data(as_text=True)
    assert checked(page, D.HOUSING) == "2"
    assert checked(page, D.SUBSTANCE_USE) == "4"
    assert checked(page, D.MENTAL_HEALTH) == ""  # not assessed last time
    assert "Ensisuoja</textarea>" in page
    assert "Lapset</textarea>" in page
    assert f'value="{local_today().isoformat()}"' in page

    response = client.post(
        f"/clients/{world.client.id}/mappings/new",
        data=form_data(rating_housing=3, notes_housing="Tukiasunto", rating_substance_use=4),
    )
    assert response.status_code == 302
    first, second = mappings_of(world.client)
    assert first.id == old.id
    assert ratings(first)[D.HOUSING] == 2
    assert first.rating_for(D.HOUSING).notes == "Ensisuoja"
    assert first.what_matters_most == "Lapset"
    assert ratings(second)[D.HOUSING] == 3
    assert second.rating_for(D.HOUSING).notes == "Tukiasunto"

    # The newer mapping shows what changed since the one before.
    shown = client.get(f"/clients/{world.client.id}/mappings/{second.id}?lang=en")
    text = shown.get_data(as_text=True)
    assert "Previous (" in text
    assert f"/clients/{world.client.id}/mappings/{first.id}" in text


def test_the_first_mapping_starts_empty(client, world):
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/mappings/new?lang=en").get_data(as_text=True)
    for domain in LifeDomain:
        assert checked(page, domain) == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rating_housing": "7"}, "Choose a rating from 1 to 5, or “Not assessed”."),
        ({"rating_housing": "0"}, "Choose a rating from 1 to 5, or “Not assessed”."),
        ({"rating_housing": "two"}, "Choose a rating from 1 to 5, or “Not assessed”."),
        ({"rating_housing": "", "rating_daily_basics": ""}, "Rate at least one life domain."),
        ({"mapped_on": ""}, "Enter the date of the mapping."),
        ({"mapped_on": "31.2.2026"}, "Enter a valid date. You entered: 31.2.2026"),
        ({"mapped_on": (local_today() + timedelta(days=1)).isoformat()},
         "The date cannot be in the future."),
        ({"notes_housing": "x" * 5001}, "At most 5000 characters."),
    ],
)
def test_invalid_mapping_is_refused_with_422_and_input_kept(client, world, change, message):
    sign_in(client, world.professional)
    data = form_data(rating_housing=2, rating_daily_basics=4, notes_daily_basics="Väsynyt",
                     what_matters_most="Saada nukkua")
    data.update(change)
    response = client.post(f"/clients/{world.client.id}/mappings/new?lang=en", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert str(escape(message)) in page
    assert "Väsynyt</textarea>" in page
    assert "Saada nukkua</textarea>" in page
    if "rating_daily_basics" not in change:
        assert checked(page, D.DAILY_BASICS) == "4"
    assert mappings_of(world.client) == []


def test_invalid_rating_is_marked_on_its_domain(client, world):
    sign_in(client, world.professional)
    response = client.post(f"/clients/{world.client.id}/mappings/new?lang=en",
                           data=form_data(rating_housing=9, rating_mental_health=2))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="rating_housing-error"' in page
    assert 'aria-invalid="true"' in page
    assert checked(page, D.HOUSING) is None
    assert checked(page, D.MENTAL_HEALTH) == "2"


# --- Reading and the chart --------------------------------------------------------------


def test_expert_reads_mappings_but_does_not_make_them(client, world):
    mapping = factories.make_mapping(world.client, ratings={D.HOUSING: 2})
    sign_in(client, world.expert)
    index = client.get(f"/clients/{world.client.id}/mappings/?lang=en")
    assert index.status_code == 200
    assert "New mapping" not in index.get_data(as_text=True)
    assert client.get(f"/clients/{world.client.id}/mappings/{mapping.id}").status_code == 200
    assert client.get(f"/clients/{world.client.id}/mappings/new").status_code == 403
    response = client.post(f"/clients/{world.client.id}/mappings/new",
                           data=form_data(rating_housing=3))
    assert response.status_code == 403
    assert len(mappings_of(world.client)) == 1


def test_mapping_list_shows_the_chart_and_its_table(client, world):
    today = local_today()
    factories.make_mapping(world.client, mapped_on=today - timedelta(days=150),
                           ratings={D.HOUSING: 1, D.MENTAL_HEALTH: 2})
    factories.make_mapping(world.client, mapped_on=today - timedelta(days=60),
                           ratings={D.HOUSING: 2})
    factories.make_mapping(world.client, mapped_on=today - timedelta(days=14),
                           ratings={D.HOUSING: 4, D.MENTAL_HEALTH: 3})
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/mappings/?lang=en").get_data(as_text=True)
    assert page.count('role="img"') == 10
    assert page.count('class="chart-point"') == 3 + 2
    assert "Show as a table" in page
    table = page[page.index("<table>"):page.index("</table>")]
    assert table.count('<th scope="col">') == 1 + 3
    assert table.count('<th scope="row">') == 10
    assert "New mapping" in page


@pytest.mark.parametrize("role", ["professional", "expert"])
def test_mapping_list_runs_a_fixed_number_of_queries(client, world, count_queries, role):
    sign_in(client, world.actor(role))

    def load() -> int:
        with count_queries() as statements:
            response = client.get(f"/clients/{world.client.id}/mappings/")
        assert response.status_code == 200
        return len(statements)

    for n in range(2):
        factories.make_mapping(world.client, mapped_on=local_today() - timedelta(days=10 * n),
                               ratings={D.HOUSING: 1 + n})
    with_two = load()
    for n in range(2, 6):
        factories.make_mapping(world.client, mapped_on=local_today() - timedelta(days=10 * n),
                               ratings={D.HOUSING: 1 + n % 5, D.SAFETY_VIOLENCE: 3})
    assert load() == with_two
    assert with_two <= 8


# --- Who may do what --------------------------------------------------------------------


def _urls(world, mapping) -> list[tuple[str, str]]:
    base = f"/clients/{world.client.id}/mappings"
    return [("get", f"{base}/"), ("get", f"{base}/new"), ("post", f"{base}/new"),
            ("get", f"{base}/{mapping.id}")]


def _expected(actor: str, url: str, statuses: tuple) -> tuple:
    # Experts may never make a mapping: the role is refused before the client is looked up.
    return (403,) if actor.endswith("expert") and url.endswith("/new") else statuses


@pytest.mark.parametrize(("actor", "statuses"), REFUSED)
@pytest.mark.parametrize("fragment", [False, True])
def test_outsiders_cannot_open_her_mappings(client, world, actor, statuses, fragment):
    mapping = factories.make_mapping(world.client, ratings={D.HOUSING: 2},
                                     what_matters_most="Salaisuus")
    sign_in(client, world.actor(actor))
    headers = htmx_headers("main") if fragment else {}
    for method, url in _urls(world, mapping):
        data = form_data(rating_housing=3) if method == "post" else None
        response = getattr(client, method)(url, data=data, headers=headers)
        assert response.status_code in _expected(actor, url, statuses), (url, response.status_code)
        assert "Salaisuus" not in response.get_data(as_text=True)
    assert len(mappings_of(world.client)) == 1


def test_another_clients_mapping_is_not_found_through_her_url(client, world):
    """A mapping id of another pair's client under our client's URL is 404 too."""
    theirs = factories.make_mapping(world.other_client, ratings={D.HOUSING: 2})
    sign_in(client, world.professional)
    assert client.get(f"/clients/{world.client.id}/mappings/{theirs.id}").status_code == 404
    assert client.get(f"/clients/{world.other_client.id}/mappings/{theirs.id}").status_code == 404


def test_expert_before_the_confidentiality_agreement_gets_404(client, world):
    mapping = factories.make_mapping(world.unconfirmed_client, ratings={D.HOUSING: 2})
    base = f"/clients/{world.unconfirmed_client.id}/mappings"
    sign_in(client, world.unconfirmed_pair.expert)
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/{mapping.id}").status_code == 404
    # Her professional works with her already.
    sign_in(client, world.unconfirmed_pair.professional)
    assert client.get(f"{base}/{mapping.id}").status_code == 200


@pytest.mark.parametrize("fragment", [False, True])
def test_signed_out_user_is_sent_to_sign_in(client, world, fragment):
    mapping = factories.make_mapping(world.client, ratings={D.HOUSING: 2})
    for method, url in _urls(world, mapping):
        if fragment:
            response = getattr(client, method)(url, headers=htmx_headers("main"))
            assert response.headers["HX-Redirect"].startswith("/login")
        else:
            response = getattr(client, method)(url)
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/login")


# --- Consent ----------------------------------------------------------------------------


def test_without_a_valid_consent_no_mapping_is_made(client, world):
    without = factories.make_client(world.pair, name="Ilman suostumusta")
    expired = factories.make_client(world.pair, name="Vanhentunut")
    give_consent(expired, given_on=local_today() - timedelta(days=400),
                 expires_on=local_today() - timedelta(days=1))
    old = factories.make_mapping(expired, ratings={D.HOUSING: 3})
    sign_in(client, world.professional)
    for her in (without, expired):
        base = f"/clients/{her.id}/mappings"
        page = client.get(f"{base}/new?lang=en")
        assert page.status_code == 403
        response = client.post(f"{base}/new", data=form_data(rating_housing=2))
        assert response.status_code == 403
        listing = client.get(f"{base}/?lang=en")
        assert listing.status_code == 200
        assert "New mapping" not in listing.get_data(as_text=True)
    assert mappings_of(without) == []
    # What was saved before the consent expired stays readable.
    assert [m.id for m in mappings_of(expired)] == [old.id]
    assert client.get(f"/clients/{expired.id}/mappings/{old.id}").status_code == 200


# --- Timeline ---------------------------------------------------------------------------


def test_mappings_are_on_her_timeline(world):
    mapping = factories.make_mapping(world.client, ratings={D.HOUSING: 2})
    factories.make_mapping(world.other_client, ratings={D.HOUSING: 2})
    page = timeline.page([world.client.id], ["mapping"])
    assert [(e.kind.name, e.record.id, e.actor_id) for e in page.entries] == [
        ("mapping", mapping.id, world.professional.id)
    ]


# --- Her page ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["professional", "expert"])
def test_her_page_shows_the_latest_mapping_and_the_chart(client, world, role):
    factories.make_mapping(world.client, mapped_on=date(2026, 1, 5), ratings={D.HOUSING: 1})
    latest = factories.make_mapping(world.client, mapped_on=date(2026, 3, 9),
                                    ratings={D.HOUSING: 3})
    sign_in(client, world.actor(role))
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    section = page[page.index('<section id="mappings"'):]
    section = section[:section.index("</section>")]
    assert '<h2 id="mappings-heading">Situation mappings</h2>' in section
    assert f'/clients/{world.client.id}/mappings/{latest.id}">9 Mar 2026</a>' in section
    assert section.count('class="chart-point"') == 2
    assert "Show as a table" in section
    assert ("New mapping" in section) == (role == "professional")


def test_her_page_without_mappings(client, world):
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert "No situation mappings yet." in page
    assert "<svg" not in page


def test_mappings_show_on_her_timeline_page(client, world):
    mapping = factories.make_mapping(world.client, mapped_on=date(2026, 2, 1),
                                     ratings={D.HOUSING: 2})
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}/timeline?lang=en").get_data(as_text=True)
    assert (f'/clients/{world.client.id}/mappings/{mapping.id}">Situation mapping of 1 Feb 2026'
            in page)
