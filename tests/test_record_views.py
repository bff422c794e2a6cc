"""The record-view base (outreach.core.record_views): a write that carries a key made on
the phone is created once. The base stores no keys; the phone's key store overrides
`find_replay` and `remember`, so these tests plug a store of their own into the seam."""

import pytest
import sqlalchemy as sa

from outreach.core.record_views import IDEMPOTENCY_FIELD, IDEMPOTENCY_HEADER, RecordViews
from outreach.core.time import local_today
from outreach.encounters.models import AnonymousEncounter
from outreach.extensions import db

ENCOUNTER = {
    "met_on": local_today().isoformat(),
    "area": "Kallio",
    "people_count": "1",
    "age_group": "unknown",
    "met_by": "both",
}


@pytest.fixture
def keys(monkeypatch):
    """A key store in the seam: key → record id, per user."""
    store: dict[tuple[int, str], int] = {}

    def find_replay(self, user, key):
        ident = store.get((user.id, key))
        return None if ident is None else db.session.get(self.model, ident)

    def remember(self, user, key, record):
        assert record.id is not None  # the base flushes first, so the store can keep the id
        store[(user.id, key)] = record.id

    monkeypatch.setattr(RecordViews, "find_replay", find_replay)
    monkeypatch.setattr(RecordViews, "remember", remember)
    return store


def count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(AnonymousEncounter.id)))


def test_a_write_sent_again_with_its_key_is_created_once(client, auth, make_pair, keys):
    pair = make_pair()
    assert auth.login(pair.expert.email).status_code == 302
    first = client.post("/encounters/new", data=ENCOUNTER, headers={IDEMPOTENCY_HEADER: "k-1"})
    again = client.post("/encounters/new", data=ENCOUNTER, headers={IDEMPOTENCY_HEADER: "k-1"})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert count() == 1
    # The key may also come as a form field (a form posted without JavaScript).
    client.post("/encounters/new", data={**ENCOUNTER, IDEMPOTENCY_FIELD: "k-2"})
    client.post("/encounters/new", data={**ENCOUNTER, IDEMPOTENCY_FIELD: "k-2"})
    assert count() == 2
    assert set(keys) == {(pair.expert_id, "k-1"), (pair.expert_id, "k-2")}


def test_writes_without_a_key_or_by_someone_else_are_not_replays(client, auth, make_pair, keys):
    pair = make_pair()
    auth.login(pair.expert.email)
    client.post("/encounters/new", data=ENCOUNTER)
    client.post("/encounters/new", data=ENCOUNTER)
    client.post("/encounters/new", data=ENCOUNTER, headers={IDEMPOTENCY_HEADER: "k-1"})
    assert count() == 3
    # The same key from her partner is the partner's own write.
    auth.logout()
    auth.login(pair.professional.email)
    client.post("/encounters/new", data=ENCOUNTER, headers={IDEMPOTENCY_HEADER: "k-1"})
    assert count() == 4


def test_without_a_key_store_every_write_is_created(client, auth, make_pair):
    """The base alone stores nothing: the seam answers "no earlier write"."""
    pair = make_pair()
    auth.login(pair.expert.email)
    for _ in range(2):
        client.post("/encounters/new", data=ENCOUNTER, headers={IDEMPOTENCY_HEADER: "k-1"})
    assert count() == 2
