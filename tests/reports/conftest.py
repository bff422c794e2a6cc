"""A small world with known figures for the funder report, and readers for its HTML tables
and its XLSX file.

Last year (the report's default), pairs A and B (supervisor Sanna) and pair C (supervisor
Olli): the one test world's pair, second pair and other pair. Pair A and B's figures,
worked out by hand:

- women reached with consent: w1, w2, w3 (pair A), w4 (pair B) = 4. w5 has no consent
  (her contact counts, she does not), w6 did not come to her accompaniment.
- contacts: street 3 (w1 30+30 by the professional, w5 15 by the expert) = 75 min, phone 1
  (w1, both, 60), text message 1 (w3, expert, 5), office 1 (w4, professional, 45): 6, 185 min.
- accompaniments: Kela done (w2, expert, 90 min), housing she did not come (w6, both, 30).
- by role: professional 3 contacts 105 min; expert 2 contacts 20 min + 1 accompaniment 90;
  both 1 contact 60 + 1 accompaniment 30.
- anonymous encounters (pair A): 2, with 1 + 3 = 4 people.
- living situation, first → last known: w1 street → temporary housing, w2 street → street
  (her move after the year does not count), w3 emergency shelter → supported housing (her
  record is from this year), w4 own lease → own lease (no history: her current one).
- life domains (women mapped twice or more in the year): housing w1 1→3, w2 2→4, w4 3→4:
  n 3, first 2.0, last 3.67, change +1.67; mental health w1 2→2, w2 3→4, w4 1→3: n 3,
  2.0 → 3.0; income rated only at w1's last mapping: n 0. w3 mapped once.
- peer-support groups: pair A's group 2 recorded sessions (5 + 4), pair B's 1 (2): 2 groups,
  3 sessions, 11 participants.
- evaluations: a round of each pair, all four forms submitted: part A n 4, mean 3.0
  (pair A's professional 4, expert 2; pair B's both 3); each part B n 2.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from outreach.accompaniments.models import Outcome
from outreach.clients.choices import LifeDomain
from outreach.clients.choices import LivingSituation as L
from outreach.clients.models import LivingSituationChange
from outreach.contacts.choices import Channel, Participants
from outreach.core.time import local_today
from outreach.evaluations import items as form_items
from outreach.evaluations.items import FormRole
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.services.models import ServiceKind
from tests import factories
from tests.factories import make_form, make_group, make_round, make_session
from tests.helpers import NS, page_tables, row_of, xlsx_rows, xlsx_text  # noqa: F401 - this package's tests use them
from tests.world import World, make_world

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on a Helsinki wall clock, in UTC as stored."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HELSINKI).astimezone(UTC)


def situation(client, value: L, moment: datetime) -> LivingSituationChange:
    """A row of her living situation's history (what the client pages write)."""
    row = LivingSituationChange(client_id=client.id, living_situation=value, at=moment)
    db.session.add(row)
    client.living_situation = value
    db.session.commit()
    return row


def woman(pair: Pair, name: str, *, consent: bool = True, created: datetime | None = None,
          living: L = L.UNKNOWN):
    client = factories.make_client(pair, name=name, living_situation=living,
                                   **({"created_at": created} if created else {}))
    if consent:
        factories.make_consent(client, given_on=date(2015, 1, 1))
    return client


def contact(client, moment: datetime, minutes: int, channel: Channel, who: Participants):
    return factories.make_contact(client, contacted_at=moment, duration_minutes=minutes,
                                  channel=channel, participants=who)


def accompaniment(client, moment: datetime, minutes: int, kind: ServiceKind, outcome: Outcome,
                  who: Participants):
    return factories.make_accompaniment(
        client, service=factories.make_service(kind), took_place_at=moment,
        minutes_spent=minutes, outcome=outcome, who_went=who)


def mapping(client, day: date, **ratings):
    return factories.make_mapping(client, mapped_on=day,
                                  ratings={LifeDomain(k): v for k, v in ratings.items()})


def submitted_forms(pair: Pair, opened: datetime, professional: int, expert: int) -> None:
    evaluation_round = make_round(pair, opened_at=opened)
    for user, value in ((pair.professional, professional), (pair.expert, expert)):
        role = FormRole.PROFESSIONAL if user.id == pair.professional_id else FormRole.EXPERT
        make_form(evaluation_round, user, {i.key: value for i in form_items.statements(role)})


def last_year() -> int:
    """The report's default year: the last full one."""
    return local_today().year - 1


@pytest.fixture
def year(app) -> int:
    return last_year()


@pytest.fixture
def world(app, year) -> World:
    """The one test world (tests/world.py) with our supervisor's second pair, every pair
    started long ago: pair A is its pair, B its second pair, C the other pair."""
    w = make_world(confirmed=False, clients=False, other_supervisor="Olli Other",
                   second_pair=True, starts_on=date(year - 2, 1, 1))
    a, b, c = w.pair, w.second_pair, w.other_pair

    def day(month, d):
        return date(year, month, d)

    before = at(date(year - 1, 6, 1))
    w1 = woman(a, "Nimiyksi", created=before)
    w2 = woman(a, "Nimikaksi", created=before)
    w3 = woman(a, "Nimikolme", created=at(day(3, 1)))
    w4 = woman(b, "Nimineljä", living=L.OWN_LEASE, created=before)
    w5 = woman(b, "Nimiviisi", consent=False, created=before)
    w6 = woman(b, "Nimikuusi", created=before)
    stranger = woman(c, "Nimivieras", created=before)

    contact(w1, at(day(2, 1)), 30, Channel.STREET, Participants.PROFESSIONAL)
    contact(w1, at(day(5, 1)), 30, Channel.STREET, Participants.PROFESSIONAL)
    contact(w1, at(day(6, 1)), 60, Channel.PHONE, Participants.BOTH)
    contact(w3, at(day(4, 1)), 5, Channel.TEXT_MESSAGE, Participants.EXPERT)
    contact(w4, at(day(7, 1)), 45, Channel.OFFICE, Participants.PROFESSIONAL)
    contact(w5, at(day(8, 1)), 15, Channel.STREET, Participants.EXPERT)
    contact(w1, at(date(year - 1, 11, 1)), 600, Channel.VIDEO, Participants.BOTH)  # before
    contact(stranger, at(day(3, 3)), 120, Channel.VIDEO, Participants.BOTH)  # pair C
    accompaniment(w2, at(day(9, 1)), 90, ServiceKind.KELA, Outcome.DONE, Participants.EXPERT)
    accompaniment(w6, at(day(9, 2)), 30, ServiceKind.HOUSING, Outcome.DID_NOT_COME,
                  Participants.BOTH)
    accompaniment(stranger, at(day(9, 3)), 45, ServiceKind.POLICE, Outcome.DONE,
                  Participants.BOTH)
    # Planned only (no outcome): not yet an accompaniment that took place.
    factories.make_accompaniment(w2, planned_at=at(day(10, 1)))

    factories.make_encounter(a, met_on=day(1, 10), people_count=1)
    factories.make_encounter(a, met_on=day(12, 31), people_count=3)
    factories.make_encounter(a, met_on=date(year + 1, 1, 1), people_count=5)  # after
    factories.make_encounter(c, met_on=day(5, 5), people_count=7)

    situation(w1, L.STREET, before)
    situation(w1, L.EMERGENCY_SHELTER, at(day(3, 1)))
    situation(w1, L.TEMPORARY_HOUSING, at(day(8, 1)))
    situation(w2, L.STREET, before)
    situation(w2, L.OWN_LEASE, at(date(year + 1, 1, 1), 10))  # after the year
    situation(w3, L.EMERGENCY_SHELTER, at(day(3, 1)))
    situation(w3, L.SUPPORTED_HOUSING, at(day(11, 1)))
    situation(stranger, L.STREET, before)

    mapping(w1, date(year - 1, 12, 1), housing=5, mental_health=5)  # before: not her first
    mapping(w1, day(2, 1), housing=1, mental_health=2)
    mapping(w1, day(6, 1), housing=2, mental_health=1)  # between: neither first nor last
    mapping(w1, day(9, 1), housing=3, mental_health=2, income_debts=4)
    mapping(w2, day(3, 1), housing=2, mental_health=3)
    mapping(w2, day(10, 1), housing=4, mental_health=4)
    mapping(w3, day(5, 1), housing=1, mental_health=1)
    mapping(w4, day(2, 2), housing=3, mental_health=1)
    mapping(w4, day(12, 31), housing=4, mental_health=3)
    mapping(stranger, day(2, 2), housing=1)
    mapping(stranger, day(12, 2), housing=5)

    group_a = make_group(a)
    make_session(group_a, held_on=day(4, 4), participants=5)
    make_session(group_a, held_on=day(4, 11), participants=4)
    make_session(group_a, held_on=day(4, 18))  # not recorded
    make_session(group_a, held_on=date(year - 1, 4, 4), participants=9)  # before
    make_session(make_group(b), held_on=day(5, 5), participants=2)
    make_session(make_group(c), held_on=day(5, 5), participants=8)

    submitted_forms(a, at(day(6, 1)), professional=4, expert=2)
    submitted_forms(b, at(day(6, 2)), professional=3, expert=3)
    submitted_forms(c, at(day(6, 3)), professional=5, expert=5)
    return w



# --- Reading what the report shows -----------------------------------------------------------


@pytest.fixture
def english(app):
    """A request context in English, for calling the queries directly (labels translate)."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield
