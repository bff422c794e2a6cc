"""`outreach generate-scale`: a small run fills the configured database with the asked
numbers, the same seed gives the same data, the per-client figures the lists rely on are
right, the accounts sign in, every record stays inside its pair, and a database that has
clients is refused unless --force."""

import hashlib
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from outreach.accompaniments.models import Accompaniment
from outreach.auth.models import Role, User
from outreach.clients.models import Client, ClientStatusChange
from outreach.consents.models import Consent
from outreach.contacts.models import Contact
from outreach.contacts.queries import latest_contact_moment
from outreach.core.time import aware
from outreach.encounters.models import AnonymousEncounter
from outreach.extensions import db
from outreach.mappings.models import Mapping, MappingRating
from outreach.meetings.models import PairMeeting
from outreach.network.models import NetworkContact
from outreach.pairs.models import AgreementState, Pair, PairAgreement, agreement_state
from outreach.scale import BENCH_PASSWORD, rollup_module
from outreach.steps.models import Challenge, Step
from outreach.tasks.models import Task, TaskStatus
from outreach.wellbeing.models import CheckIn
from tests.database import clear_database

TODAY = "2026-03-16"
SMALL = ("generate-scale", "--pairs", "2", "--clients", "50", "--contacts", "2000",
         "--seed", "1", "--today", TODAY)


@pytest.fixture
def schema(cli_app):
    """The schema of every model (as the tests build it), on the command's empty database."""
    rollup_module()  # the dashboard's rollup table, when the app has one
    with cli_app.app_context():
        db.create_all()
        db.session.remove()


@pytest.fixture
def generate(cli_app, schema, run_command):
    def generate(*extra):
        result = run_command(*SMALL, *extra)
        with cli_app.app_context():
            db.session.remove()
        return result

    return generate


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def checksum() -> str:
    """Some columns of the main tables, in id order."""
    digest = hashlib.sha256()
    queries = [
        sa.select(User.id, User.email, User.name, User.role).order_by(User.id),
        sa.select(Pair.id, Pair.professional_id, Pair.expert_id, Pair.starts_on)
        .order_by(Pair.id),
        sa.select(Client.id, Client.pair_id, Client.code, Client.name, Client.living_situation,
                  Client.status, Client.closed_on, Client.last_contact_at,
                  Client.last_record_at).order_by(Client.id),
        sa.select(Contact.id, Contact.client_id, Contact.contacted_at, Contact.channel,
                  Contact.participants, Contact.duration_minutes, Contact.topics)
        .order_by(Contact.id),
        sa.select(Accompaniment.id, Accompaniment.service_id, Accompaniment.took_place_at,
                  Accompaniment.outcome).order_by(Accompaniment.id),
        sa.select(Task.id, Task.client_id, Task.status, Task.due_on).order_by(Task.id),
        sa.select(MappingRating.id, MappingRating.domain, MappingRating.rating)
        .order_by(MappingRating.id),
    ]
    for query in queries:
        for row in db.session.execute(query):
            values = [aware(v).isoformat() if isinstance(v, datetime) else v for v in row]
            digest.update(repr(values).encode())
    return digest.hexdigest()


def test_a_small_run_fills_the_tables_with_the_asked_numbers(cli_app, generate):
    result = generate()
    assert result.exit_code == 0, result.output
    assert "2 pairs, 50 clients, 2,000 contacts, seed 1" in result.output
    assert "Done in" in result.output
    assert BENCH_PASSWORD in result.output
    with cli_app.app_context():
        assert count(Pair) == 2
        assert count(Client) == 50
        assert count(Contact) == 2000
        roles = dict(db.session.execute(
            sa.select(User.role, sa.func.count()).group_by(User.role)).all())
        assert roles == {Role.ADMIN: 1, Role.SUPERVISOR: 1, Role.PROFESSIONAL: 2,
                         Role.EXPERT: 2}
        # Shares of the contacts' volume; every client has her consent.
        assert count(NetworkContact) == 100
        assert count(AnonymousEncounter) == 40
        assert 200 <= count(Accompaniment) <= 215  # 10 %, and a few planned ahead
        assert count(Consent) == 50
        assert count(MappingRating) == 10 * count(Mapping) > 0
        assert count(Challenge) > 0 and count(Step) > 0
        assert count(PairMeeting) > 0 and count(CheckIn) > 0
        # Most clients active, some closed, each closing recorded.
        closed = db.session.scalar(sa.select(sa.func.count()).where(Client.status == "closed"))
        assert 0 < closed < 25
        assert count(ClientStatusChange) == closed
        # Tasks open, done and overdue.
        today = date.fromisoformat(TODAY)
        tasks = db.session.execute(sa.select(Task.status, Task.due_on)).all()
        assert {status for status, _due in tasks} >= {TaskStatus.OPEN, TaskStatus.DONE}
        assert any(s == TaskStatus.OPEN and due and due < today for s, due in tasks)
        assert any(s == TaskStatus.OPEN and due and due >= today for s, due in tasks)
        # Complete start-up agreements: the experts may open the clients.
        agreements = list(db.session.scalars(sa.select(PairAgreement)))
        assert len(agreements) == 2
        assert all(agreement_state(a) == AgreementState.COMPLETE for a in agreements)
        assert all(a.confidentiality_recorded_on(today) for a in agreements)
        # Contacts over about two years before the day, none after it.
        first, last = db.session.execute(
            sa.select(sa.func.min(Contact.contacted_at), sa.func.max(Contact.contacted_at))
        ).one()
        first, last = (aware(v) if isinstance(v, datetime) else datetime.fromisoformat(v)
                       for v in (first, last))
        assert (today - first.date()).days > 365
        assert last.date() < today
        db.session.remove()


def test_every_record_belongs_to_a_client_of_its_pair(cli_app, generate):
    assert generate().exit_code == 0
    with cli_app.app_context():
        for model in (Contact, Accompaniment, NetworkContact, Task):
            outside = db.session.scalar(
                sa.select(sa.func.count()).select_from(model)
                .join(Client, Client.id == model.client_id)
                .where(Client.pair_id != model.pair_id))
            assert outside == 0, model
        db.session.remove()


def test_the_same_seed_gives_the_same_data(cli_app, generate):
    assert generate().exit_code == 0
    with cli_app.app_context():
        first = checksum()
        clear_database()
        db.session.remove()
    assert generate().exit_code == 0
    with cli_app.app_context():
        assert count(Contact) == 2000
        assert checksum() == first
        clear_database()
        db.session.remove()
    assert generate("--seed", "2").exit_code == 0
    with cli_app.app_context():
        assert checksum() != first
        db.session.remove()


def test_per_client_figures_equal_a_recomputation(cli_app, generate):
    assert generate().exit_code == 0
    with cli_app.app_context():
        clients = list(db.session.scalars(sa.select(Client).order_by(Client.id)))
        # Her last record: the newest moment anything about her was recorded.
        recorded: dict[int, list] = {c.id: [c.created_at] for c in clients}
        for model, columns in (
            (Contact, ("created_at",)),
            (Accompaniment, ("created_at", "outcome_recorded_at")),
            (NetworkContact, ("created_at",)),
            (Mapping, ("created_at",)),
            (Challenge, ("created_at",)),
            (Step, ("created_at", "decision_recorded_at")),
            (Task, ("created_at", "done_at")),
            (Consent, ("created_at",)),
            (ClientStatusChange, ("created_at",)),
        ):
            for name in columns:
                query = sa.select(model.client_id, getattr(model, name)).where(
                    model.client_id.is_not(None))
                for client_id, moment in db.session.execute(query):
                    if moment is not None:
                        recorded[client_id].append(moment)
        if (history := db.metadata.tables.get("living_situation_change")) is not None:
            # Her living situation's history: the newest row is her current situation.
            newest = {}
            for client_id, situation, at in db.session.execute(
                    sa.select(history.c.client_id, history.c.living_situation, history.c.at)
                    .order_by(history.c.at, history.c.id)):
                newest[client_id] = situation
                recorded[client_id].append(at)
            assert newest == {c.id: c.living_situation for c in clients}
        for client in clients:
            # As the app counts it again after an edit (contacts.queries.refresh_last_contact).
            expected = db.session.scalar(sa.select(latest_contact_moment(client.id)))
            if isinstance(expected, str):  # SQLite hands back text for an aggregate
                expected = datetime.fromisoformat(expected)
            assert aware(client.last_contact_at) == aware(expected), client.code
            assert aware(client.last_record_at) == max(aware(m) for m in recorded[client.id])
            assert client.last_record_at >= (client.last_contact_at or client.last_record_at)
        assert sum(1 for c in clients if c.last_contact_at is not None) > 40
        db.session.remove()


def test_the_generated_accounts_sign_in_with_the_bench_password(cli_app, generate):
    assert generate().exit_code == 0
    with cli_app.app_context():
        # Hashed once and shared.
        assert len(set(db.session.scalars(sa.select(User.password_hash)))) == 1
        db.session.remove()
    client = cli_app.test_client()
    for email in ("admin@scale.test", "supervisor1@scale.test", "pro1@scale.test",
                  "expert2@scale.test"):
        response = client.post("/login", data={"email": email, "password": BENCH_PASSWORD})
        assert response.status_code == 302, email
        client.post("/logout")
    wrong = client.post("/login", data={"email": "pro2@scale.test", "password": "wrong-pass-1"})
    assert wrong.status_code == 422
    with cli_app.app_context():
        db.session.remove()


def test_a_database_with_clients_is_refused_unless_forced(cli_app, generate):
    assert generate().exit_code == 0
    again = generate()
    assert again.exit_code != 0
    assert "already has 50 clients" in again.output
    assert "--force" in again.output
    with cli_app.app_context():
        assert (count(Client), count(Contact), count(User)) == (50, 2000, 6)
        db.session.remove()

    forced = generate("--force")
    assert forced.exit_code == 0, forced.output
    assert "adding alongside them" in forced.output
    with cli_app.app_context():
        assert (count(Client), count(Contact), count(User)) == (100, 4000, 12)
        # The second run's accounts have their own addresses, its clients new codes.
        assert db.session.scalar(
            sa.select(User.id).where(User.email == "pro1@run2.scale.test")) is not None
        assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Client.code)))) == 100
        # The app goes on adding records after the load (PostgreSQL's sequences moved on).
        pair = db.session.scalar(sa.select(Pair).order_by(Pair.id))
        client = Client(pair_id=pair.id, code="A-2099-0001", name="Uusi")
        db.session.add(client)
        db.session.flush()
        db.session.add(Contact(client_id=client.id, pair_id=pair.id, channel="phone",
                               participants="both", created_by_id=pair.professional_id))
        db.session.commit()
        assert count(Contact) == 4001
        db.session.remove()


def test_contacts_without_clients_are_refused(cli_app, schema, run_command):
    result = run_command("generate-scale", "--pairs", "1", "--clients", "0",
                         "--contacts", "10")
    assert result.exit_code != 0
    assert "Contacts need clients" in result.output
    with cli_app.app_context():
        assert count(User) == 0
        db.session.remove()


def test_an_empty_database_is_migrated_first(cli_app, run_command):
    result = run_command(*SMALL)
    assert "Migrating the database to the newest schema." in result.output
    with cli_app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        assert "alembic_version" in tables
        assert (count(Client), count(Contact)) == (50, 2000)
        if "work_rollup" in tables or rollup_module() is None:
            assert result.exit_code == 0, result.output
        else:  # the migration of the rollup table is not written yet
            assert "rollup is not" in result.output
        db.session.remove()
