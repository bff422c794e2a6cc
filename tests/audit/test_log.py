"""The access log: one row for every request that reads or changes her data, page, htmx
fragment or export alike, written with the change, denied attempts included."""

import hashlib

import pytest
import sqlalchemy as sa

from outreach.audit.log import record_access
from outreach.audit.models import AccessLog
from outreach.audit.schema import create_append_only_triggers, drop_append_only_triggers
from outreach.auth.models import Role
from outreach.clients.models import Client
from outreach.extensions import db
from tests.audit.conftest import log_inserts, log_rows
from tests.helpers import edit_data, fresh
from tests.helpers import htmx_headers as htmx_to


def test_opening_her_page_leaves_exactly_one_row(client, world, sign_in, her):
    sign_in(world.pro)
    assert client.get(f"/clients/{her.id}").status_code == 200
    [row] = log_rows()
    assert (row.client_id, row.part, row.action) == (her.id, "record", "read")
    assert (row.user_id, row.role, row.basis, row.outcome) == (
        world.pro.id, "professional", "own_pair", "allowed")
    assert row.path == f"/clients/{her.id}"
    assert row.remote_addr == "127.0.0.1"
    token = db.session.get(type(world.pro), world.pro.id).session_token
    assert row.session_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.session_hash, row.path)
    assert row.at.tzinfo is not None or db.engine.dialect.name == "sqlite"


def test_a_fragment_leaves_one_row_and_the_path_has_no_query(client, world, sign_in, her):
    sign_in(world.pro)
    response = client.get(f"/clients/{her.id}/timeline?kind=client&lang=en",
                          headers=htmx_to("timeline-entries"))
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    [row] = log_rows()
    assert (row.client_id, row.part, row.action) == (her.id, "timeline", "read")
    assert row.path == f"/clients/{her.id}/timeline"


@pytest.mark.parametrize("url", ["/clients/{id}/export", "/clients/{id}/export.json"])
def test_an_export_leaves_one_row_marked_export(client, world, sign_in, her, url):
    sign_in(world.pro)
    assert client.get(url.format(id=her.id)).status_code == 200
    [row] = log_rows()
    assert (row.client_id, row.part, row.action, row.outcome) == (
        her.id, "export", "export", "allowed")


def test_the_experts_reads_are_logged(client, world, sign_in, her):
    sign_in(world.expert)
    assert client.get(f"/clients/{her.id}/mappings/").status_code == 200
    [row] = log_rows()
    assert (row.user_id, row.role, row.part, row.action) == (
        world.expert.id, "expert", "mapping", "read")


@pytest.mark.parametrize("url", [
    "/clients/{id}", "/clients/{id}/timeline", "/clients/{id}/mappings/",
    "/clients/{id}/contacts/", "/clients/{id}/edit",
])
def test_another_pairs_client_leaves_one_denied_row(client, world, sign_in, theirs, url):
    sign_in(world.pro)
    assert client.get(url.format(id=theirs.id)).status_code == 404
    [row] = log_rows()
    assert (row.client_id, row.outcome, row.user_id) == (theirs.id, "denied", world.pro.id)


def test_a_client_that_does_not_exist_is_logged_as_denied(client, world, sign_in):
    sign_in(world.pro)
    assert client.get("/clients/999999").status_code == 404
    [row] = log_rows()
    assert (row.client_id, row.outcome) == (999999, "denied")


def test_a_change_leaves_one_row_in_its_own_insert(client, world, sign_in, her, count_queries):
    sign_in(world.pro)
    with count_queries() as statements:
        response = client.post(f"/clients/{her.id}/edit",
                               data=edit_data(her, usual_place="Kallion kirjasto"))
    assert response.status_code == 302
    assert fresh(Client, her.id).usual_place == "Kallion kirjasto"
    [row] = log_rows()
    assert (row.client_id, row.part, row.action) == (her.id, "record", "update")
    assert len(log_inserts(statements)) == 1


def test_a_refused_form_is_logged_as_a_read(client, world, sign_in, her):
    sign_in(world.pro)
    response = client.post(f"/clients/{her.id}/edit", data=edit_data(her, name=""))
    assert response.status_code == 422
    [row] = log_rows()
    assert (row.action, row.outcome) == ("read", "allowed")


@pytest.mark.parametrize("headers", [{}, htmx_to("timeline-entries")])
def test_logging_adds_one_statement_to_a_page(client, world, sign_in, her, count_queries,
                                             headers):
    sign_in(world.pro)
    client.get(f"/clients/{her.id}/timeline", headers=headers)  # warm-up
    with count_queries() as statements:
        client.get(f"/clients/{her.id}/timeline", headers=headers)
    assert len(log_inserts(statements)) == 1
    assert sum("access_log" in s.lower() for s in statements) == 1


def test_the_log_row_is_written_in_the_transaction_of_the_change(app, world, her):
    """Rolled back: neither the change nor its row. Committed: both, with one INSERT."""
    with app.test_request_context(f"/clients/{her.id}/edit", method="POST"):
        record_access(her.id, "record", "update", user=world.pro)
        db.session.get(Client, her.id).usual_place = "Ei tallennu"
        db.session.flush()
        db.session.rollback()
        assert log_rows() == []
        assert fresh(Client, her.id).usual_place != "Ei tallennu"

    with app.test_request_context(f"/clients/{her.id}/edit", method="POST"):
        record_access(her.id, "record", "update", user=world.pro)
        statements = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            db.session.get(Client, her.id).usual_place = "Tallentuu"
            db.session.commit()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        assert len(log_inserts(statements)) == 1
    [row] = log_rows()
    assert (row.client_id, row.action, row.path) == (her.id, "update", f"/clients/{her.id}/edit")
    assert fresh(Client, her.id).usual_place == "Tallentuu"


def test_a_command_logs_as_the_system(app, her):
    record_access(her.id, "record", "anonymise", basis="system", user=None)
    db.session.commit()
    [row] = log_rows()
    assert (row.user_id, row.role, row.basis, row.action, row.path) == (
        None, None, "system", "anonymise", None)


def test_pages_without_a_client_leave_no_rows(client, world, sign_in, her):
    sign_in(world.pro)
    assert client.get("/clients/").status_code == 200
    assert client.get("/").status_code == 200
    assert log_rows() == []


def test_no_route_updates_or_deletes_the_log(app):
    """Append-only in the code: nothing but the log itself writes to the table."""
    from pathlib import Path

    import outreach

    root = Path(outreach.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("update(AccessLog", "delete(AccessLog", "AccessLog).delete",
                          "AccessLog).update"):
            assert forbidden not in text, f"{path} changes the access log"


def test_triggers_refuse_update_and_delete(app, world, her):
    db.session.execute(sa.insert(AccessLog), [{"client_id": her.id, "part": "record",
                                                "action": "read", "basis": "own_pair",
                                                "outcome": "allowed"}])
    db.session.commit()
    with db.engine.begin() as connection:
        create_append_only_triggers(connection)
    try:
        for statement in (sa.update(AccessLog).values(action="update"), sa.delete(AccessLog)):
            with (pytest.raises(sa.exc.DatabaseError, match="append-only"),
                  db.engine.begin() as connection):
                connection.execute(statement)
        with db.engine.begin() as connection:  # adding rows still works
            connection.execute(sa.insert(AccessLog), [{
                "client_id": her.id, "part": "record", "action": "read",
                "basis": "own_pair", "outcome": "allowed"}])
        assert len(log_rows()) == 2
    finally:
        db.session.rollback()  # PostgreSQL: DROP TRIGGER waits for readers of the table
        with db.engine.begin() as connection:
            drop_append_only_triggers(connection)
    db.session.execute(sa.delete(AccessLog))  # the test schema clears tables again
    db.session.commit()
    assert log_rows() == []


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.EXPERT])
def test_one_row_per_request_even_when_she_is_loaded_twice(client, world, sign_in, her, role):
    """A stale edit loads her twice (the check and the 409 page): still one row."""
    sign_in(world.pro if role == Role.PROFESSIONAL else world.expert)
    data = edit_data(her, usual_place="X")
    data["version"] = "0"
    response = client.post(f"/clients/{her.id}/edit", data=data)
    assert response.status_code == 409
    assert len(log_rows()) == 1
