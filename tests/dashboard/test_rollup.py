"""The rollup follows every create, edit (moving the day or the pair) and delete of each kind
of record, and always equals a rebuild from scratch."""

from datetime import date, timedelta

import sqlalchemy as sa

from outreach.accompaniments.models import Accompaniment, Outcome
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.dashboard import rollup
from outreach.encounters.models import AnonymousEncounter, MetBy
from outreach.extensions import db
from outreach.network.models import NetworkChannel, NetworkContact
from outreach.services.models import ServiceKind
from tests import factories
from tests.dashboard.conftest import at


def rows(pair_id=None):
    return rollup.rollup_rows(None if pair_id is None else [pair_id])


def assert_same_as_rebuild():
    maintained, months, years = rows(), rollup.month_rows(), rollup.year_rows()
    totals = rollup.year_total_rows()
    rollup.rebuild()
    assert rows() == maintained
    assert rollup.month_rows() == months == rollup.months_of_daily_rows()
    assert rollup.year_rows() == years == rollup.years_of_daily_rows()
    assert rollup.year_total_rows() == totals == rollup.year_totals_of_daily_rows()


def test_contact_create_edit_move_delete(world):
    client = factories.make_client(world.pair)
    contact = factories.make_contact(client, contacted_at=at(2026, 3, 10, 9),
                                     duration_minutes=20, channel=Channel.PHONE,
                                     participants=Participants.EXPERT)
    factories.make_contact(client, contacted_at=at(2026, 3, 10, 23, 30), duration_minutes=10,
                           channel=Channel.PHONE, participants=Participants.EXPERT)
    assert rows() == [(world.pair.id, date(2026, 3, 10), "expert", "contact", "phone", "", 2,
                       30, 0)]
    # Edit: another day (after midnight in Helsinki, still the 10th in UTC) and channel.
    contact = db.session.get(Contact, contact.id)
    contact.contacted_at = at(2026, 3, 11, 0, 30)
    contact.channel = Channel.STREET
    db.session.commit()
    assert rows() == [
        (world.pair.id, date(2026, 3, 10), "expert", "contact", "phone", "", 1, 10, 0),
        (world.pair.id, date(2026, 3, 11), "expert", "contact", "street", "", 1, 20, 0),
    ]
    # Move to another pair (an expired object: its old pair is still known).
    contact.pair_id = world.pair2.id
    db.session.commit()
    assert rows(world.pair.id) == [
        (world.pair.id, date(2026, 3, 10), "expert", "contact", "phone", "", 1, 10, 0)]
    assert rows(world.pair2.id) == [
        (world.pair2.id, date(2026, 3, 11), "expert", "contact", "street", "", 1, 20, 0)]
    db.session.delete(contact)
    db.session.commit()
    assert rows(world.pair2.id) == []
    assert_same_as_rebuild()


def test_accompaniment_counts_once_it_took_place(world):
    client = factories.make_client(world.pair)
    kela = factories.make_service(ServiceKind.KELA)
    housing = factories.make_service(ServiceKind.HOUSING)
    record = factories.make_accompaniment(client, service=kela)  # planned: not counted
    assert rows() == []
    record = db.session.get(Accompaniment, record.id)
    record.outcome = Outcome.DONE
    record.took_place_at = at(2026, 5, 4, 10)
    record.minutes_spent = 90
    record.who_went = "both"
    db.session.commit()
    assert rows() == [(world.pair.id, date(2026, 5, 4), "both", "accompaniment", "kela",
                       "done", 1, 90, 0)]
    record.service_id = housing.id
    record.outcome = Outcome.PARTLY_DONE
    record.took_place_at = at(2026, 5, 6, 10)
    db.session.commit()
    assert rows() == [(world.pair.id, date(2026, 5, 6), "both", "accompaniment", "housing",
                       "partly_done", 1, 90, 0)]
    # The service's kind changes: its accompaniments follow.
    housing.kind = ServiceKind.SOCIAL_SERVICES
    db.session.commit()
    assert rows()[0][4] == "social_services"
    db.session.delete(db.session.get(Accompaniment, record.id))
    db.session.commit()
    assert rows() == []
    assert_same_as_rebuild()


def test_outcome_recorded_with_a_bulk_update(world):
    """record_outcome() is an UPDATE statement, not a flush: the rollup follows it too."""
    from outreach.accompaniments.queries import record_outcome

    client = factories.make_client(world.pair)
    planned = at(2026, 2, 2, 14)
    record = factories.make_accompaniment(client, planned_at=planned)
    assert rows() == []
    assert record_outcome(record, world.expert, Outcome.DONE, 45, True,
                          now=planned + timedelta(hours=2))
    db.session.commit()
    assert rows() == [(world.pair.id, date(2026, 2, 2), "expert", "accompaniment", "other",
                       "done", 1, 45, 0)]
    db.session.execute(sa.delete(Accompaniment).where(Accompaniment.id == record.id))
    db.session.commit()
    assert rows() == []


def test_network_contact_and_encounter(world):
    client = factories.make_client(world.pair)
    network = factories.make_network_contact(client, contacted_at=at(2026, 1, 5),
                                             channel=NetworkChannel.EMAIL)
    encounter = factories.make_encounter(world.pair, met_on=date(2026, 1, 5), people_count=3,
                                         met_by=MetBy.EXPERT)
    assert rows() == [
        (world.pair.id, date(2026, 1, 5), "expert", "encounter", "", "", 1, 0, 3),
        (world.pair.id, date(2026, 1, 5), "professional", "network", "email", "", 1, 0, 0),
    ]
    network = db.session.get(NetworkContact, network.id)
    network.contacted_at = at(2026, 1, 7)
    encounter = db.session.get(AnonymousEncounter, encounter.id)
    encounter.met_on = date(2026, 1, 8)
    encounter.pair_id = world.pair2.id
    encounter.people_count = 2
    db.session.commit()
    assert rows() == [
        (world.pair.id, date(2026, 1, 7), "professional", "network", "email", "", 1, 0, 0),
        (world.pair2.id, date(2026, 1, 8), "expert", "encounter", "", "", 1, 0, 2),
    ]
    db.session.delete(network)
    db.session.delete(encounter)
    db.session.commit()
    assert rows() == []


def test_a_rolled_back_change_leaves_the_rollup_alone(world):
    client = factories.make_client(world.pair)
    factories.make_contact(client, contacted_at=at(2026, 4, 1))
    before = rows()
    contact = db.session.scalar(sa.select(Contact))
    contact.contacted_at = at(2026, 4, 9)
    db.session.flush()
    db.session.rollback()
    factories.make_encounter(world.pair2, met_on=date(2026, 4, 2))
    assert [row for row in rows() if row[0] == world.pair.id] == before
    assert_same_as_rebuild()


def test_days_follow_helsinki_summer_time(world):
    """The night summer time starts and ends: 23.30 and 00.30 local fall on their own days."""
    client = factories.make_client(world.pair)
    moments = [at(2026, 3, 28, 23, 30), at(2026, 3, 29, 0, 30), at(2026, 3, 29, 23, 30),
               at(2026, 10, 24, 23, 30), at(2026, 10, 25, 0, 30), at(2026, 10, 25, 23, 30),
               at(2026, 12, 31, 23, 59), at(2027, 1, 1, 0, 1)]
    for moment in moments:
        factories.make_contact(client, contacted_at=moment, duration_minutes=1)
    expected = {date(2026, 3, 28): 1, date(2026, 3, 29): 2, date(2026, 10, 24): 1,
                date(2026, 10, 25): 2, date(2026, 12, 31): 1, date(2027, 1, 1): 1}
    assert {row[1]: row[6] for row in rows()} == expected
    rollup.rebuild()
    assert {row[1]: row[6] for row in rows()} == expected


def test_rebuild_for_some_pairs_and_paused_sessions(world):
    client = factories.make_client(world.pair)
    client2 = factories.make_client(world.pair2)
    with rollup.paused():
        factories.make_contact(client, contacted_at=at(2026, 6, 1))
        factories.make_contact(client2, contacted_at=at(2026, 6, 1))
    assert rows() == []
    rollup.rebuild([world.pair.id])
    assert [row[0] for row in rows()] == [world.pair.id]
    rollup.rebuild()
    assert [row[0] for row in rows()] == [world.pair.id, world.pair2.id]


def test_cli_rebuild(app, world):
    client = factories.make_client(world.pair)
    with rollup.paused():
        factories.make_contact(client, contacted_at=at(2026, 6, 1))
    from outreach.cli import main

    result = app.test_cli_runner().invoke(main, ["rollup", "rebuild"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert len(rows()) == 1


def months():
    return rollup.month_rows()


def test_monthly_rollup_sums_the_days_and_follows_edits(world):
    """The monthly rows are the daily rows summed per Helsinki month, kept in step on every
    write: a contact moved into the next month (after midnight in Helsinki, still the last
    day of the month in UTC) moves its month's figures with it."""
    client = factories.make_client(world.pair)
    first = factories.make_contact(client, contacted_at=at(2026, 3, 2), duration_minutes=20,
                                   channel=Channel.PHONE, participants=Participants.EXPERT)
    factories.make_contact(client, contacted_at=at(2026, 3, 30), duration_minutes=10,
                           channel=Channel.PHONE, participants=Participants.EXPERT)
    assert months() == [(world.pair.id, date(2026, 3, 1), "expert", "contact", "phone", "",
                         2, 30, 0)]
    first = db.session.get(Contact, first.id)
    first.contacted_at = at(2026, 4, 1, 0, 30)
    db.session.commit()
    assert months() == [
        (world.pair.id, date(2026, 3, 1), "expert", "contact", "phone", "", 1, 10, 0),
        (world.pair.id, date(2026, 4, 1), "expert", "contact", "phone", "", 1, 20, 0),
    ]
    first.pair_id = world.pair2.id
    db.session.commit()
    assert [row[0] for row in months()] == [world.pair.id, world.pair2.id]
    db.session.delete(first)
    db.session.commit()
    assert months() == [(world.pair.id, date(2026, 3, 1), "expert", "contact", "phone", "",
                         1, 10, 0)]
    with rollup.paused():
        factories.make_contact(client, contacted_at=at(2026, 5, 5))
    rollup.rebuild([world.pair.id])
    assert [row[1] for row in months()] == [date(2026, 3, 1), date(2026, 5, 1)]
    assert_same_as_rebuild()


def test_yearly_rollup_and_totals_follow_edits(world):
    """The yearly rows are the monthly rows summed per Helsinki year, and the totals those
    summed over channels, kept in step on every write: a contact moved past midnight on
    New Year's Eve in Helsinki (still the old year in UTC) moves its year's figures with it,
    and deleting it takes them away."""
    client = factories.make_client(world.pair)
    first = factories.make_contact(client, contacted_at=at(2025, 12, 31, 23, 0),
                                   duration_minutes=20, channel=Channel.PHONE,
                                   participants=Participants.EXPERT)
    factories.make_contact(client, contacted_at=at(2025, 6, 1), duration_minutes=10,
                           channel=Channel.PHONE, participants=Participants.EXPERT)
    assert rollup.year_rows() == [
        (world.pair.id, date(2025, 1, 1), "expert", "contact", "phone", "", 2, 30, 0)]
    factories.make_contact(client, contacted_at=at(2025, 6, 2), duration_minutes=5,
                           channel=Channel.STREET, participants=Participants.EXPERT)
    # The totals sum the channels: what the overview of many pairs reads.
    assert rollup.year_total_rows() == [
        (world.pair.id, date(2025, 1, 1), "expert", "contact", "", "", 3, 35, 0)]
    first = db.session.get(Contact, first.id)
    first.contacted_at = at(2026, 1, 1, 0, 30)
    db.session.commit()
    assert rollup.year_rows() == [
        (world.pair.id, date(2025, 1, 1), "expert", "contact", "phone", "", 1, 10, 0),
        (world.pair.id, date(2025, 1, 1), "expert", "contact", "street", "", 1, 5, 0),
        (world.pair.id, date(2026, 1, 1), "expert", "contact", "phone", "", 1, 20, 0),
    ]
    assert rollup.year_total_rows() == [
        (world.pair.id, date(2025, 1, 1), "expert", "contact", "", "", 2, 15, 0),
        (world.pair.id, date(2026, 1, 1), "expert", "contact", "", "", 1, 20, 0),
    ]
    db.session.delete(first)
    db.session.commit()
    assert rollup.year_rows() == [
        (world.pair.id, date(2025, 1, 1), "expert", "contact", "phone", "", 1, 10, 0),
        (world.pair.id, date(2025, 1, 1), "expert", "contact", "street", "", 1, 5, 0),
    ]
    assert [row[1] for row in rollup.year_total_rows()] == [date(2025, 1, 1)]
    assert_same_as_rebuild()
