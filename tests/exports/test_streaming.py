"""Large exports stream: the CSV is sent in pieces while the rows are read, a batch at a
time, with the same small number of queries for 50 rows as for 5,000."""

import types

import pytest
import sqlalchemy as sa

from outreach.clients.models import Client
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.core.clock import utcnow
from outreach.extensions import db
from tests.exports.conftest import log_rows, read_csv, read_xlsx


def _many_clients(pair, count: int, start: int = 0) -> None:
    now = utcnow()
    db.session.execute(sa.insert(Client), [
        {"pair_id": pair.id, "code": f"X-{start + n:06d}", "name": f"Nainen Äö {start + n}",
         "usual_place": "Rautatientori", "created_by_id": pair.professional_id,
         "created_at": now, "last_record_at": now, "version": 1}
        for n in range(count)
    ])
    db.session.commit()


def _selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("path", ["/clients/export", "/clients/export?format=xlsx"])
def test_query_count_does_not_grow_with_the_rows(client, sign_in, world, count_queries, path):
    sign_in(world.pro)
    _many_clients(world.pair, 50)
    with count_queries() as few:
        response = client.get(path)
        response.get_data()
    _many_clients(world.pair, 4950, start=50)
    with count_queries() as many:
        response = client.get(path)
        data = response.get_data()
    assert len(_selects(many)) == len(_selects(few))
    if "xlsx" in path:
        assert len(read_xlsx(response).rows) == 5001
    else:
        assert data.decode("utf-8-sig").count("\r\n") == 5001


def test_the_csv_is_a_stream_written_while_sent(client, sign_in, world, count_queries):
    sign_in(world.pro)
    _many_clients(world.pair, 5000)
    with count_queries() as statements:
        response = client.get("/clients/export?lang=en")
        assert response.is_streamed
        # The body is a generator that reads the rows batch by batch as it is sent.
        assert not isinstance(response.response, (list, tuple, bytes))
        pieces = list(response.response)
    assert len(pieces) > 3  # sent in pieces of about 64 KB, not as one body
    assert pieces[0].startswith("\ufeff".encode())
    # One query for the 5,000 rows (and their overdue tasks), fetched from one cursor.
    assert len([s for s in _selects(statements) if "FROM client" in s]) == 1
    rows = read_csv(types.SimpleNamespace(
        status_code=200, mimetype="text/csv",
        headers={"Content-Type": "text/csv; charset=utf-8"},
        get_data=lambda: b"".join(pieces)))
    assert len(rows) == 5001 and rows[-1][0].startswith("Nainen Äö")


def test_rows_are_fetched_in_batches(client, sign_in, world, monkeypatch):
    """The rows come from a yield_per iteration (a server-side cursor on PostgreSQL)."""
    from outreach import exports

    seen = []
    original = exports.stream_batches

    def spy(query, **kwargs):
        for batch in original(query, **kwargs):
            seen.append(len(batch))
            yield batch

    monkeypatch.setattr(exports, "stream_batches", spy)
    sign_in(world.pro)
    _many_clients(world.pair, 2500)
    response = client.get("/clients/export")
    response.get_data()
    assert seen == [1000, 1000, 500]


def test_a_large_export_of_her_contacts_is_logged_once(client, sign_in, world, make_client):
    her = make_client(world.pair, name="Monen Yhteyden Maija")
    now = utcnow()
    db.session.execute(sa.insert(Contact), [
        {"client_id": her.id, "pair_id": world.pair.id, "contacted_at": now,
         "duration_minutes": 10, "channel": Channel.STREET, "participants": Participants.BOTH,
         "topics": [], "note": f"Käynti {n}", "created_by_id": world.expert.id,
         "created_at": now, "version": 1}
        for n in range(5000)
    ])
    db.session.commit()
    sign_in(world.expert)
    before = len(log_rows())
    rows = read_csv(client.get(f"/clients/{her.id}/contacts/export"))
    assert len(rows) == 5001
    assert [(r.client_id, r.action) for r in log_rows()[before:]] == [(her.id, "export")]
