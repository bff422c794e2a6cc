"""Her record: create (with possible duplicates), her page, edit with stale-edit protection,
close and reopen."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.clients.choices import ClientStatus, LivingSituation
from outreach.clients.models import Client, ClientStatusChange
from outreach.core.time import local_today
from outreach.extensions import db
from tests import factories
from tests.helpers import edit_data, fresh


def new_client(client, pair=None, **fields):
    data = {"name": "Tiina", "living_situation": "street"}
    if pair is not None:
        data["pair_id"] = pair.id
    data.update(fields)
    return client.post("/clients/new?lang=en", data=data)


def clients_named(name: str) -> list[Client]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Client).where(Client.name == name)))


# --- create ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pro", "expert"])
def test_partners_create_a_client_with_a_generated_code(client, world, sign_in, who):
    user = sign_in(getattr(world, who))
    page = client.get("/clients/new?lang=en").get_data(as_text=True)
    # One pair: chosen for her, no select to fill.
    assert f'<input type="hidden" name="pair_id" value="{world.pair.id}">' in page
    assert "identity code" not in page.replace("No personal identity code is recorded", "")
    response = new_client(client, name=" Tiina ", birth_year="1979", phone="040 123 4567",
                          usual_place="Kampin kauppakeskus", living_situation="emergency_shelter",
                          safety_notes="Do not contact at the shelter when X is present.")
    assert response.status_code == 302
    [made] = clients_named("Tiina")
    assert response.headers["Location"] == f"/clients/{made.id}"
    assert re.fullmatch(rf"A-{local_today().year}-\d{{4}}", made.code)
    assert made.pair_id == world.pair.id
    assert made.created_by_id == user.id
    assert made.birth_year == 1979
    assert made.phone == "040 123 4567" and made.phone_digits == "0401234567"
    assert made.living_situation == LivingSituation.EMERGENCY_SHELTER
    assert made.status == ClientStatus.ACTIVE
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert f"The record of Tiina was created with the code {made.code}." in page
    assert "Do not contact at the shelter when X is present." in page
    assert "Visible to the pair only." in page


def test_codes_run_on(client, world, sign_in):
    sign_in(world.pro)
    new_client(client, name="Eka")
    new_client(client, name="Toka")
    [first], [second] = clients_named("Eka"), clients_named("Toka")
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1


def test_a_user_in_two_pairs_chooses_the_pair(client, world, sign_in, make_pair):
    second = make_pair(professional=world.pro)
    sign_in(world.pro)
    page = client.get("/clients/new?lang=en").get_data(as_text=True)
    assert '<select' in page and f'value="{second.id}"' in page
    assert f'value="{world.other.id}"' not in page
    assert new_client(client).status_code == 422  # the pair is not chosen for her
    assert new_client(client, world.other).status_code == 422  # not one of hers
    assert clients_named("Tiina") == []
    assert new_client(client, second).status_code == 302
    assert clients_named("Tiina")[0].pair_id == second.id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Enter the name she wants to be called."),
        ({"birth_year": "1899"}, f"Enter a year between 1900 and {local_today().year}."),
        ({"birth_year": str(local_today().year + 1)}, "Enter a year between 1900"),
        ({"birth_year": "eighty"}, "Enter the year with four digits"),
        ({"phone": "call me"}, "Enter a phone number with at least five digits"),
        ({"phone": "12 34"}, "Enter a phone number with at least five digits"),
        ({"living_situation": "castle"}, "Choose a living situation from the list."),
    ],
)
def test_invalid_input_answers_422_and_keeps_it(client, world, sign_in, fields, message):
    sign_in(world.pro)
    response = new_client(client, usual_place="Hakaniemen tori", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Hakaniemen tori"' in page
    assert db.session.scalar(sa.select(sa.func.count(Client.id))) == 0


def test_loose_phone_formats_are_accepted(client, world, sign_in):
    sign_in(world.pro)
    assert new_client(client, phone="+358 (40) 123-4567").status_code == 302
    assert clients_named("Tiina")[0].phone_digits == "0401234567"


# --- possible duplicates ---------------------------------------------------------------------


def test_same_name_and_birth_year_is_shown_before_saving(client, world, sign_in, make_client):
    existing = make_client(world.pair, name="ÄIJÄ Tiina", birth_year=1979)
    make_client(world.pair, name="Äijä Tiina", birth_year=1980)  # another year
    sign_in(world.pro)
    response = new_client(client, name="äijä  tiina", birth_year="1979",
                          usual_place="Rautatieasema")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "She may already have a record" in page
    assert f'href="/clients/{existing.id}"' in page and existing.code in page
    assert page.count("/clients/", page.index("She may already")) >= 1
    assert "born 1980" not in page
    assert 'value="Rautatieasema"' in page  # nothing typed is lost
    assert 'name="create_anyway" value="y"' in page
    assert len(clients_named("äijä  tiina")) == 0


def test_same_phone_in_another_format_is_shown(client, world, sign_in, make_client):
    existing = make_client(world.pair, name="Maikki", phone="+358 40 000 1201")
    sign_in(world.expert)
    page = new_client(client, name="Mari", phone="040-000 1201").get_data(as_text=True)
    assert "She may already have a record" in page
    assert existing.code in page


def test_names_without_birth_years_match_each_other(client, world, sign_in, make_client):
    make_client(world.pair, name="Riikka")
    sign_in(world.pro)
    assert "She may already have a record" in new_client(client, name="riikka").get_data(
        as_text=True)
    assert "She may already have a record" not in new_client(
        client, name="Riikka", birth_year="1990").get_data(as_text=True)


def test_records_outside_the_users_scope_are_never_shown(client, world, sign_in, make_client):
    hidden = make_client(world.other, name="Tiina", birth_year=1979, phone="0401112223")
    sign_in(world.pro)
    response = new_client(client, birth_year="1979", phone="0401112223")
    assert response.status_code == 302
    assert hidden.code not in response.get_data(as_text=True)


def test_create_anyway_saves_a_second_record(client, world, sign_in, make_client):
    make_client(world.pair, name="Tiina", birth_year=1979)
    sign_in(world.pro)
    new_client(client, birth_year="1979")
    assert len(clients_named("Tiina")) == 1
    response = new_client(client, birth_year="1979", create_anyway="y")
    assert response.status_code == 302
    assert len(clients_named("Tiina")) == 2


# --- her page --------------------------------------------------------------------------------


def test_her_page_shows_details_status_and_sections(app, client, world, sign_in, make_client):
    from jinja2 import ChoiceLoader, DictLoader

    from outreach.core import records

    her = make_client(world.pair, name="Heli", birth_year=1985, usual_place="Itäkeskus",
                      living_situation=LivingSituation.INSTITUTION)
    partial = '<h2 id="zz_test-heading">Test section</h2><p>{{ client.code }} {{ greeting }}</p>'
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"zz_test/_section.html": partial}), app.jinja_env.loader]
    )
    declared = records.registered()
    section = records.Section("zz_test", "zz_test/_section.html",
                              lambda c, u, _rows: {"greeting": f"hello {u.name}"}, order=99)
    records.register((*declared, records.RecordKind("zz_test", (), sections=(section,))))
    try:
        sign_in(world.expert)
        page = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    finally:
        records.register(declared)
    assert "Heli" in page and her.code in page and "1985" in page and "Institution" in page
    assert "Paula Pro &amp; Eeva Expert" in page  # her pair
    assert '<section id="zz_test" aria-labelledby="zz_test-heading"' in page
    assert f"{her.code} hello Eeva Expert" in page  # the loader's values reach the partial
    assert f'href="/clients/{her.id}/timeline"' in page
    assert f'href="/clients/{her.id}/merge"' not in page  # merging is the professional's


def test_her_page_runs_a_fixed_number_of_queries(client, world, sign_in, make_client,
                                                 count_queries):
    her = make_client(world.pair, name="Heli")
    sign_in(world.pro)
    with count_queries() as few:
        client.get(f"/clients/{her.id}")
    for n in range(20):
        make_client(world.pair, name=f"Muu {n}")
    with count_queries() as many:
        client.get(f"/clients/{her.id}")
    assert len(many) == len(few)


# --- edit ------------------------------------------------------------------------------------


def test_edit_saves_the_changes(client, world, sign_in, make_client):
    her = make_client(world.pair, name="Sanna", usual_place="Hakaniemen tori")
    sign_in(world.expert)
    form = client.get(f"/clients/{her.id}/edit?lang=en").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    assert 'value="Hakaniemen tori"' in form
    response = client.post(f"/clients/{her.id}/edit",
                           data=edit_data(her, usual_place="Kallion kirjasto", phone="0401234567"))
    assert response.status_code == 302
    saved = fresh(Client, her.id)
    assert saved.usual_place == "Kallion kirjasto"
    assert saved.phone_digits == "0401234567"
    assert saved.version == 2


def test_edit_with_invalid_input_answers_422(client, world, sign_in, make_client):
    her = make_client(world.pair, name="Sanna")
    sign_in(world.pro)
    response = client.post(f"/clients/{her.id}/edit?lang=en",
                           data=edit_data(her, name="", usual_place="Uusi paikka"))
    assert response.status_code == 422
    assert "Enter the name she wants to be called." in response.get_data(as_text=True)
    assert 'value="Uusi paikka"' in response.get_data(as_text=True)
    assert fresh(Client, her.id).name == "Sanna"


def test_two_people_saving_the_same_record(app, world, make_client):
    """Both open the form; the first save wins; the second gets 409 with her current record
    and the unsaved input side by side, and can save again deliberately."""
    her = make_client(world.pair, name="Sanna", usual_place="Hakaniemen tori")
    professional, expert = app.test_client(), app.test_client()
    for browser, user in ((professional, world.pro), (expert, world.expert)):
        browser.post("/login", data={"email": user.email, "password": "correct horse battery"})
        assert browser.get(f"/clients/{her.id}/edit").status_code == 200
    first = professional.post(f"/clients/{her.id}/edit",
                              data=edit_data(her, usual_place="Rautatieasema"))
    assert first.status_code == 302
    second = expert.post(f"/clients/{her.id}/edit?lang=en",
                         data=edit_data(her, usual_place="Kampin kauppakeskus",
                                        safety_notes="Soita ensin"))
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert 'class="stale"' in page
    saved_part = page[page.index("Saved version"):page.index("Your version, not saved yet")]
    mine_part = page[page.index("Your version, not saved yet"):]
    assert "Rautatieasema" in saved_part
    assert "Kampin kauppakeskus" in mine_part
    assert 'value="Kampin kauppakeskus"' in page  # the form keeps her input
    assert "Soita ensin" in page
    assert 'name="version" type="hidden" value="2"' in page  # saving again is deliberate
    assert fresh(Client, her.id).usual_place == "Rautatieasema"
    again = expert.post(f"/clients/{her.id}/edit",
                        data=edit_data(fresh(Client, her.id), usual_place="Kampin kauppakeskus"))
    assert again.status_code == 302
    assert fresh(Client, her.id).usual_place == "Kampin kauppakeskus"


def test_a_record_added_for_her_while_her_record_is_open_is_no_conflict(
        app, world, make_client):
    """Adding a task for her (as a step, a mapping or a consent does) moves her last record,
    not her record's version: the partner who has her record open saves it, and two tasks
    added for her at once both save (each bumped the version, and the second was a 500)."""
    her = make_client(world.pair, name="Sanna", usual_place="Hakaniemen tori")
    factories.make_consent(her)  # tasks may name her
    professional, expert = app.test_client(), app.test_client()
    for browser, user in ((professional, world.pro), (expert, world.expert)):
        browser.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert professional.get(f"/clients/{her.id}/edit").status_code == 200
    # What her form holds as it was opened, the version among it.
    opened = edit_data(her, usual_place="Rautatieasema")
    before = her.last_record_at
    for title in ("Soita asuntoneuvojalle", "Hae Kela-lomake"):
        added = expert.post("/tasks/new", data={
            "title": title, "pair_id": world.pair.id, "client_id": her.id,
            "assignee": "expert"})
        assert added.status_code == 302
    touched = fresh(Client, her.id)
    assert str(touched.version) == opened["version"]
    assert touched.last_record_at > before
    saved = professional.post(f"/clients/{her.id}/edit", data=opened)
    assert saved.status_code == 302
    assert fresh(Client, her.id).usual_place == "Rautatieasema"


def test_nothing_changed(client, world, sign_in, make_client):
    her = make_client(world.pair, name="Sanna")
    sign_in(world.pro)
    response = client.post(f"/clients/{her.id}/edit?lang=en", data=edit_data(her),
                           follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert fresh(Client, her.id).version == 1


# --- close and reopen ------------------------------------------------------------------------


def status_changes(client_id):
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(ClientStatusChange).where(ClientStatusChange.client_id == client_id)
        .order_by(ClientStatusChange.id)))


@pytest.mark.parametrize("who", ["pro", "expert"])
def test_close_asks_first_then_closes_with_reason_and_date(client, world, sign_in, make_client,
                                                           who):
    her = make_client(world.pair, name="Pirkko")
    sign_in(getattr(world, who))
    page = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    assert f'href="/clients/{her.id}/close"' in page
    question = client.get(f"/clients/{her.id}/close?lang=en").get_data(as_text=True)
    assert "Close the record of Pirkko?" in question
    assert fresh(Client, her.id).status == ClientStatus.ACTIVE  # asking changes nothing
    yesterday = local_today() - timedelta(days=1)
    response = client.post(f"/clients/{her.id}/close",
                           data={"closed_on": yesterday.isoformat(), "reason": "Muutti Ouluun"})
    assert response.status_code == 302
    closed = fresh(Client, her.id)
    assert closed.status == ClientStatus.CLOSED
    assert closed.closed_on == yesterday and closed.closed_reason == "Muutti Ouluun"
    [change] = status_changes(her.id)
    assert change.status == ClientStatus.CLOSED and change.reason == "Muutti Ouluun"
    page = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    assert "This record was closed on" in page and "Muutti Ouluun" in page
    assert "Reopen the record" in page


def test_close_needs_a_reason_and_a_date_not_in_the_future(client, world, sign_in, make_client):
    her = make_client(world.pair)
    sign_in(world.pro)
    response = client.post(f"/clients/{her.id}/close?lang=en",
                           data={"closed_on": "", "reason": ""})
    assert response.status_code == 422
    assert "Enter the closing date." in response.get_data(as_text=True)
    assert "Write why the record is closed." in response.get_data(as_text=True)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(f"/clients/{her.id}/close?lang=en",
                           data={"closed_on": tomorrow, "reason": "Later"})
    assert response.status_code == 422
    assert "cannot be in the future" in response.get_data(as_text=True)
    assert fresh(Client, her.id).status == ClientStatus.ACTIVE


def test_closing_a_closed_record_again_is_409(client, world, sign_in, make_client):
    her = make_client(world.pair, status=ClientStatus.CLOSED, closed_on=local_today())
    sign_in(world.pro)
    response = client.post(f"/clients/{her.id}/close",
                           data={"closed_on": local_today().isoformat(), "reason": "Again"})
    assert response.status_code == 409
    assert status_changes(her.id) == []


@pytest.mark.parametrize("who", ["pro", "expert"])
def test_reopen_keeps_the_closing_in_her_history(client, world, sign_in, make_client, who):
    her = make_client(world.pair, name="Pirkko")
    sign_in(getattr(world, who))
    client.post(f"/clients/{her.id}/close",
                data={"closed_on": local_today().isoformat(), "reason": "Muutti"})
    page = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    assert f'action="/clients/{her.id}/reopen"' in page and "<details" in page  # asks first
    assert client.post(f"/clients/{her.id}/reopen").status_code == 302
    reopened = fresh(Client, her.id)
    assert reopened.status == ClientStatus.ACTIVE
    assert reopened.closed_on is None and reopened.closed_reason is None
    assert [c.status for c in status_changes(her.id)] == [ClientStatus.CLOSED,
                                                         ClientStatus.ACTIVE]
    timeline = client.get(f"/clients/{her.id}/timeline?lang=en").get_data(as_text=True)
    assert "Record reopened on" in timeline
    assert "Record closed on" in timeline and "Muutti" in timeline
    # Reopening an active record changes nothing.
    client.post(f"/clients/{her.id}/reopen")
    assert len(status_changes(her.id)) == 2
