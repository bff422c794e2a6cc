"""Merging two records of the same woman: the professional only, within one pair; both
histories end up in the kept record and the merge shows on both timelines."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.clients import timeline
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client, ClientMerge, ClientStatusChange, ClientTransfer
from outreach.clients.queries import client_id_tables, merge_clients
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from tests.helpers import fresh


@pytest.fixture
def records(world, make_client):
    keep = make_client(world.pair, name="Tiina", birth_year=None, phone=None,
                       safety_notes="Soita ensin.")
    other = make_client(world.pair, name="Tiina K", birth_year=1979, phone="0401234567",
                        usual_place="Rautatieasema", safety_notes="Älä jätä viestiä.",
                        last_contact_at=utcnow() - timedelta(days=1))
    # Something recorded about the other record, in two of the tables with client_id.
    db.session.add_all([
        ClientStatusChange(client_id=other.id, status=ClientStatus.CLOSED, day=local_today(),
                           reason="Duplikaatti?", created_by_id=world.pro.id),
        ClientTransfer(client_id=other.id, from_pair_id=world.other.id,
                       to_pair_id=world.pair.id, by_id=world.admin.id),
    ])
    db.session.commit()
    return keep, other


def test_every_table_with_a_client_id_is_moved(app):
    names = {table.name for table in client_id_tables()}
    assert {"client_status_change", "client_transfer"} <= names
    expected = {t.name for t in db.metadata.sorted_tables if "client_id" in t.c}
    assert names == expected  # later domains are covered without changes here


def test_professional_merges_after_choosing_and_confirming(client, world, sign_in, records):
    keep, other = records
    sign_in(world.pro)
    page = client.get(f"/clients/{keep.id}/merge?lang=en").get_data(as_text=True)
    assert f'<option value="{other.id}">{other.code} – Tiina K (1979)</option>' in page
    assert f'<option value="{keep.id}"' not in page
    confirm = client.get(f"/clients/{keep.id}/merge?other={other.id}&lang=en")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert f"Merge {other.code} into {keep.code}?" in text
    assert "Rautatieasema" in text and "Soita ensin." in text
    assert fresh(Client, other.id).merged_into_id is None  # asking changes nothing

    response = client.post(f"/clients/{keep.id}/merge", data={"other_id": other.id})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{keep.id}"

    kept, merged = fresh(Client, keep.id), fresh(Client, other.id)
    assert merged.merged_into_id == keep.id
    assert merged.status == ClientStatus.CLOSED
    assert merged.closed_reason == f"Merged into {keep.code}"
    # What the kept record lacked comes from the other; no safety note is lost.
    assert kept.birth_year == 1979 and kept.phone_digits == "0401234567"
    assert kept.usual_place == "Rautatieasema"
    assert "Soita ensin." in kept.safety_notes and "Älä jätä viestiä." in kept.safety_notes
    assert kept.last_contact_at is not None
    # Her history moved.
    for model in (ClientStatusChange, ClientTransfer):
        owners = set(db.session.scalars(sa.select(model.client_id)))
        assert owners == {keep.id}, model
    [log] = db.session.scalars(sa.select(ClientMerge)).all()
    assert (log.keep_id, log.merged_id, log.by_id) == (keep.id, other.id, world.pro.id)


def test_the_merged_record_leaves_the_lists_and_redirects(client, world, sign_in, records):
    keep, other = records
    sign_in(world.pro)
    client.post(f"/clients/{keep.id}/merge", data={"other_id": other.id})
    client.get(f"/clients/{keep.id}")  # shows the message that names the merged record
    listing = client.get("/clients/?status=all").get_data(as_text=True)
    assert other.code not in listing and keep.code in listing
    response = client.get(f"/clients/{other.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{keep.id}"
    response = client.get(f"/clients/{other.id}/timeline?kind=merge")
    assert response.headers["Location"] == f"/clients/{keep.id}/timeline?kind=merge"
    page = client.get(f"/clients/{keep.id}?lang=en").get_data(as_text=True)
    assert "Merged into this record" in page and other.code in page
    # Nothing can be done with the merged record itself any more.
    assert client.post(f"/clients/{other.id}/reopen").status_code == 404
    assert client.get(f"/clients/{keep.id}/merge?other={other.id}").status_code == 404


def test_the_redirect_only_leads_into_the_users_scope(client, world, sign_in, records):
    keep, other = records
    sign_in(world.pro)
    client.post(f"/clients/{keep.id}/merge", data={"other_id": other.id})
    sign_in(world.pro2)
    assert client.get(f"/clients/{other.id}").status_code == 404


def test_the_merge_is_on_both_timelines(client, world, sign_in, records):
    keep, other = records
    sign_in(world.pro)
    client.post(f"/clients/{keep.id}/merge", data={"other_id": other.id})
    db.session.expire_all()
    for ids in ([keep.id], [other.id], [keep.id, other.id]):
        entries = timeline.page(ids, ["merge"]).entries
        assert [e.kind.name for e in entries] == ["merge"], ids  # one entry, never twice
    page = client.get(f"/clients/{keep.id}/timeline?lang=en").get_data(as_text=True)
    assert f"The record {other.code} (Tiina K) was merged into {keep.code} (Tiina)" in page
    # Both records' creation is in the kept one's history.
    assert f"Record {keep.code} created" in page and f"Record {other.code} created" in page


def test_an_earlier_merge_follows_along(app, world, records, make_client):
    keep, other = records
    third = make_client(world.pair, name="Tiina 3")
    with app.test_request_context():
        merge_clients(other, third, world.pro)
        db.session.commit()
        merge_clients(keep, other, world.pro)
        db.session.commit()
    assert fresh(Client, third.id).merged_into_id == keep.id


def test_experts_cannot_merge(client, world, sign_in, records):
    keep, other = records
    sign_in(world.expert)
    assert client.get(f"/clients/{keep.id}/merge").status_code == 403
    assert client.post(f"/clients/{keep.id}/merge", data={"other_id": other.id}).status_code == 403
    assert fresh(Client, other.id).merged_into_id is None
    assert f'/clients/{keep.id}/merge' not in client.get(f"/clients/{keep.id}").get_data(
        as_text=True)


def test_only_records_of_the_same_pair_merge(client, world, sign_in, make_pair, make_client,
                                            records):
    keep, _other = records
    second_pair = make_pair(professional=world.pro)
    elsewhere = make_client(second_pair, name="Tiina")
    foreign = make_client(world.other, name="Tiina")
    sign_in(world.pro)
    page = client.get(f"/clients/{keep.id}/merge").get_data(as_text=True)
    assert f'value="{elsewhere.id}"' not in page and f'value="{foreign.id}"' not in page
    for target in (elsewhere, foreign, keep):
        assert client.get(f"/clients/{keep.id}/merge?other={target.id}").status_code == 404
        assert client.post(f"/clients/{keep.id}/merge",
                           data={"other_id": target.id}).status_code == 404
    assert client.post(f"/clients/{keep.id}/merge", data={"other_id": "x"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ClientMerge.id))) == 0
