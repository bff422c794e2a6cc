"""Demo clients: about ten women per demo pair, in varied situations. Idempotent.

Names are nicknames, as the women themselves choose; places are ordinary Helsinki spots
where outreach meets people. Phone numbers are not real (040 000 …)."""

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from outreach.clients.choices import ClientStatus
from outreach.clients.choices import LivingSituation as L
from outreach.clients.models import Client, ClientStatusChange
from outreach.clients.queries import next_client_code
from outreach.core.clock import utcnow
from outreach.core.records import already_loaded
from outreach.extensions import db
from outreach.pairs.models import Pair

SAFETY_SHELTER = (
    "Älä ota yhteyttä asumisyksikössä, jos entinen puoliso on paikalla. "
    "Soita ensin ja kysy, voiko puhua."
)
SAFETY_PHONE = (
    "Puhelin on välillä entisen kumppanin hallussa: älä jätä viestiä, jossa mainitaan "
    "palveluja tai tapaamispaikkoja."
)

# (name, birth year, phone, usual place, living situation, safety notes,
#  created days ago, last record days ago, by the expert?)
PAIR_1 = [
    ("Tiina", 1979, "040 000 1201", "Kampin kauppakeskus", L.STREET, SAFETY_PHONE, 190, 3, False),
    ("Maikki", 1962, None, "Rautatieasema", L.EMERGENCY_SHELTER, None, 175, 21, True),
    ("Sanna", 1991, "040 000 1203", "Hakaniemen tori", L.FRIENDS_RELATIVES, None, 160, 1, False),
    ("Pirkko", 1958, None, "Kallion kirjasto", L.SUPPORTED_HOUSING, None, 150, 40, False),
    ("Jonna", 1996, "040 000 1205", "Sörnäisten metroasema", L.TEMPORARY_HOUSING,
     SAFETY_SHELTER, 120, 6, True),
    ("Riikka", None, None, "Kaisaniemen puisto", L.STREET, None, 95, 16, True),
    ("Heli", 1985, "040 000 1207", "Itäkeskus, kauppakeskuksen aula", L.INSTITUTION, None,
     80, 9, False),
    ("Minna", 1973, None, "Hakaniemen tori", L.OWN_LEASE, None, 60, 2, False),
    ("Kati", None, None, "Rautatieasema", L.UNKNOWN, None, 30, 30, True),
    ("Anu", 1988, "040 000 1210", "Naisten päiväkeskus, Kallio", L.EMERGENCY_SHELTER, None,
     12, 0, False),
]
PAIR_1_CLOSED = ("Pirkko", "Muutti sukulaisten luo Ouluun eikä halua enää yhteydenpitoa.", 25)

PAIR_2 = [
    ("Satu", 1982, "040 000 2201", "Kampin kauppakeskus", L.FRIENDS_RELATIVES, None, 38, 4, False),
    ("Leena", 1969, None, "Rautatieasema", L.STREET, None, 36, 18, True),
    ("Nina", 1999, "040 000 2203", "Sörnäisten metroasema", L.EMERGENCY_SHELTER, None, 33, 2,
     False),
    ("Merja", 1960, None, "Hietalahden tori", L.SUPPORTED_HOUSING, None, 30, 12, False),
    ("Henna", 1993, "040 000 2205", "Kaisaniemen puisto", L.STREET, SAFETY_SHELTER, 27, 1, True),
    ("Tanja", None, None, "Itäkeskus, kauppakeskuksen aula", L.TEMPORARY_HOUSING, None, 22, 15,
     False),
    ("Marja", 1976, None, "Kallion kirjasto", L.INSTITUTION, None, 18, 8, False),
    ("Sirkku", 1955, "040 000 2208", "Hakaniemen tori", L.OWN_LEASE, None, 14, 14, True),
    ("Elina", 1987, None, "Ruoholahden ostoskeskus", L.UNKNOWN, None, 9, 3, False),
    ("Outi", None, None, "Naisten päiväkeskus, Kallio", L.EMERGENCY_SHELTER, None, 5, 5, True),
]


def _moment(days_ago: int, hour: int) -> datetime:
    day = utcnow().date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 15), tzinfo=UTC)


def load_clients() -> bool:
    if already_loaded(Client):
        return False
    pairs = list(db.session.scalars(sa.select(Pair).order_by(Pair.id).limit(2)))
    if not pairs:
        return False
    rows = []
    for pair, people in zip(pairs, (PAIR_1, PAIR_2), strict=False):
        for n, person in enumerate(people):
            rows.append((pair, n, person))
    # Codes run in the order the records were created.
    rows.sort(key=lambda row: -row[2][6])
    by_name = {}
    for pair, n, person in rows:
        name, born, phone, place, living, safety, created, last, by_expert = person
        created_at = _moment(created, 9 + n % 7)
        client = Client(
            pair_id=pair.id,
            code=next_client_code(created_at.date()),
            name=name,
            birth_year=born,
            phone=phone,
            usual_place=place,
            living_situation=living,
            safety_notes=safety,
            created_at=created_at,
            created_by_id=pair.expert_id if by_expert else pair.professional_id,
            last_record_at=min(utcnow(), max(created_at, _moment(last, 10 + n % 6))),
        )
        db.session.add(client)
        by_name[(pair.id, name)] = client
    db.session.flush()

    name, reason, days_ago = PAIR_1_CLOSED
    closed = by_name[(pairs[0].id, name)]
    closed.status = ClientStatus.CLOSED
    closed.closed_on = _moment(days_ago, 12).date()
    closed.closed_reason = reason
    db.session.add(
        ClientStatusChange(
            client=closed, status=ClientStatus.CLOSED, day=closed.closed_on, reason=reason,
            created_by_id=pairs[0].professional_id, created_at=_moment(days_ago, 12),
        )
    )
    db.session.flush()
    return True
