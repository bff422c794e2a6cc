"""The kinds of client record are declared once (outreach/records.py) and the parts that read
them import no domain."""

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa

from outreach import models  # noqa: F401  (every table in db.metadata)
from outreach.core import records
from outreach.extensions import db
from outreach.records import RECORDS

PACKAGE = Path(__file__).resolve().parent.parent / "outreach"


def undeclared(tables, kinds) -> list[str]:
    """Tables with a client_id column that no kind of record declares."""
    declared = {table for kind in kinds for table in kind.tables}
    return sorted(t.name for t in tables if "client_id" in t.c and t.name not in declared)


def test_every_table_with_a_client_id_is_a_declared_kind_of_record():
    missing = undeclared(db.metadata.sorted_tables, RECORDS)
    assert missing == [], (
        "A model with a client_id and no declaration: declare its kind in its package's "
        "record.py and add it to outreach/records.py (docs/adding-a-record.md)"
    )


def test_the_guard_catches_a_new_table_about_her():
    metadata = sa.MetaData()
    new = sa.Table("visit", metadata, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("client_id", sa.Integer))
    assert undeclared([*db.metadata.sorted_tables, new], RECORDS) == ["visit"]


def test_the_app_factory_registers_the_list_in_its_order(app):
    assert records.registered() == RECORDS
    names = [kind.name for kind in RECORDS]
    assert len(set(names)) == len(names)
    # The demo runs the kinds' loaders in the list's order: her record before what is
    # recorded about her.
    loaders = records.demo_loaders()
    assert loaders[0] is RECORDS[0].demo


def test_a_kind_declared_twice_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        records.register((*RECORDS, RECORDS[0]))


def test_every_scrub_and_draft_names_a_model_its_kind_declares():
    for kind in RECORDS:
        if kind.draft is not None:
            assert kind.draft.model in kind.models, kind.name
        for scrub in kind.scrubs:
            # A child table (ratings, decisions, proposals) is scrubbed with its record.
            assert "client_id" not in scrub.model.__table__.c or scrub.model in kind.models, \
                (kind.name, scrub.model)


# The readers: what they may import from outreach (no package of a kind of record, except
# clients.models/queries/timeline: her record is the subject every reader works on).
READERS = {
    "clients/timeline.py", "clients/sections.py", "drafts/queries.py",
    "retention/service.py", "audit/export.py", "audit/labels.py", "audit/log.py", "demo.py",
}
DOMAINS = {kind.models[0].__module__.split(".")[1] for kind in RECORDS} - {"clients", "audit"}


def test_the_readers_import_no_domain():
    found = []
    for reader in sorted(READERS):
        tree = ast.parse((PACKAGE / reader).read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "outreach" and len(parts) > 1 and parts[1] in DOMAINS:
                    found.append((reader, name))
    assert {"contacts", "accompaniments", "network", "steps", "mappings"} <= DOMAINS
    assert found == []


def test_a_section_loads_its_rows_for_many_clients_in_one_go(app, count_queries):
    """The speed issue's need: the mappings section's rows for any number of clients run
    the same query (the mappings with their ratings joined)."""
    from tests import factories

    pair = factories.make_pair()
    few = [factories.make_client(pair) for _ in range(2)]
    many = [*few, *(factories.make_client(pair) for _ in range(8))]
    for her in many:
        factories.make_mapping(her, ratings={"housing": 2})
    section = next(s for s in records.sections() if s.name == "mappings")
    counts = []
    for clients in (few, many):
        ids = [c.id for c in clients]
        db.session.expire_all()
        with count_queries() as statements:
            by_client = section.rows(ids)
            for mappings in by_client.values():
                [rating.rating for mapping in mappings for rating in mapping.ratings]
        counts.append(len(statements))
        assert sorted(by_client) == sorted(ids)
    assert counts == [1, 1]
    professional = pair.professional
    with app.test_request_context("/?lang=en"):
        contexts = section.load_many(many, professional)
    assert [len(contexts[c.id]["mappings"]) for c in many] == [1] * 10
