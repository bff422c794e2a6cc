"""Property: after any sequence of creates, edits and deletes of the four kinds of records,
committed in any grouping, the rollup maintained on write equals a rebuild from scratch,
the daily, monthly and yearly ones and the yearly totals alike, all of them the days summed."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach.accompaniments.models import Accompaniment, Outcome
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.dashboard import rollup
from outreach.encounters.models import AnonymousEncounter, MetBy
from outreach.extensions import db
from outreach.network.models import NetworkChannel, NetworkContact
from outreach.services.models import ServiceKind
from tests import factories

# Moments around Helsinki midnights and the summer-time changes of 2026.
BASE = datetime(2026, 3, 27, 20, 0, tzinfo=UTC)
moments = st.integers(min_value=0, max_value=96).map(lambda h: BASE + timedelta(hours=h))
days = moments.map(lambda m: m.date())

create = st.tuples(
    st.just("create"),
    st.sampled_from(["contact", "accompaniment", "network", "encounter"]),
    st.integers(0, 1),  # pair
    moments,
    st.sampled_from(list(Participants)),
    st.integers(0, 120),
    st.sampled_from([None, *Outcome]),
)
edit = st.tuples(
    st.just("edit"), st.integers(0, 50), st.integers(0, 1), moments,
    st.sampled_from(list(Participants)), st.integers(0, 120), st.sampled_from([None, *Outcome]),
)
delete = st.tuples(st.just("delete"), st.integers(0, 50))
commit = st.tuples(st.just("commit"))
operations = st.lists(st.one_of(create, create, edit, edit, delete, commit), max_size=25)


@pytest.fixture
def scene(app):
    pairs = [factories.make_pair(), factories.make_pair()]
    clients = [factories.make_client(pair) for pair in pairs]
    services = [factories.make_service(ServiceKind.KELA), factories.make_service(ServiceKind.BANK)]
    return pairs, clients, services


def _create(kind, pair, client, moment, who, minutes, outcome, service):
    if kind == "contact":
        return Contact(client_id=client.id, pair_id=pair.id, contacted_at=moment,
                       duration_minutes=minutes, channel=Channel.PHONE, participants=who,
                       created_by_id=pair.professional_id)
    if kind == "accompaniment":
        return Accompaniment(client_id=client.id, pair_id=pair.id, service_id=service.id,
                             purpose="x", planned_at=moment,
                             took_place_at=moment if outcome else None, outcome=outcome,
                             minutes_spent=minutes, who_went=who,
                             created_by_id=pair.expert_id)
    if kind == "network":
        return NetworkContact(client_id=client.id, pair_id=pair.id, organisation="Ry",
                              channel=NetworkChannel.PHONE, topic="x", contacted_at=moment,
                              created_by_id=pair.professional_id)
    return AnonymousEncounter(pair_id=pair.id, met_on=moment.date(), area="Kallio",
                              people_count=1 + minutes % 4, met_by=MetBy(who.value),
                              created_by_id=pair.professional_id)


def _edit(record, pair, moment, who, minutes, outcome):
    record.pair_id = pair.id
    if isinstance(record, Contact):
        record.contacted_at, record.participants, record.duration_minutes = moment, who, minutes
    elif isinstance(record, Accompaniment):
        record.outcome = outcome
        record.took_place_at = moment if outcome else None
        record.who_went, record.minutes_spent = who, minutes
    elif isinstance(record, NetworkContact):
        record.contacted_at = moment
    else:
        record.met_on, record.people_count = moment.date(), 1 + minutes % 4


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=operations)
def test_maintained_rollup_equals_a_rebuild(scene, operations):
    pairs, clients, services = scene
    records = []
    for operation in operations:
        match operation:
            case ("create", kind, p, moment, who, minutes, outcome):
                record = _create(kind, pairs[p], clients[p], moment, who, minutes, outcome,
                                 services[minutes % 2])
                db.session.add(record)
                records.append(record)
            case ("edit", index, p, moment, who, minutes, outcome) if records:
                record = records[index % len(records)]
                if record in db.session:
                    _edit(record, pairs[p], moment, who, minutes, outcome)
            case ("delete", index) if records:
                record = records.pop(index % len(records))
                if record in db.session.new:
                    db.session.expunge(record)
                elif record in db.session:
                    db.session.delete(record)
            case ("commit",):
                db.session.commit()
    db.session.commit()
    maintained, maintained_months = rollup.rollup_rows(), rollup.month_rows()
    maintained_years, maintained_totals = rollup.year_rows(), rollup.year_total_rows()
    rollup.rebuild()
    assert maintained == rollup.rollup_rows()
    assert maintained_months == rollup.month_rows()
    assert maintained_years == rollup.year_rows()
    assert maintained_totals == rollup.year_total_rows()
    # The months and the years are the days summed.
    assert maintained_months == rollup.months_of_daily_rows()
    assert maintained_years == rollup.years_of_daily_rows()
    assert maintained_totals == rollup.year_totals_of_daily_rows()
    # Clean slate for the next example.
    for model in (Contact, Accompaniment, NetworkContact, AnonymousEncounter):
        db.session.query(model).delete()
    db.session.commit()
    assert rollup.rollup_rows() == []
    assert rollup.month_rows() == []
    assert rollup.year_rows() == []
    assert rollup.year_total_rows() == []
