"""Demo check-ins: several months for both experts with varying strain, every one
acknowledged by the professional except ONE, recent and fairly heavy, of expert1 in pair 1
(waiting on pro1's home page; the supervisor sees it only as a count). Idempotent: nothing is
added when any check-in exists."""

from datetime import timedelta

import sqlalchemy as sa

from outreach.core.records import already_loaded
from outreach.core.time import local_today, past_utc_at
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.wellbeing.models import CheckIn

EVERY_DAYS = 10
MONTHS_BACK = 180  # days of history at most
# (strain, wants to talk, note or None), repeated over the months.
PATTERN = [
    (2, False, None),
    (3, False, "Paljon asiakkaita samalla viikolla, mutta hallinnassa."),
    (2, False, None),
    (4, True, "Yksi naisista kertoi väkivallasta. Jäi mieleen pyörimään."),
    (3, False, None),
    (1, False, "Hyvä viikko, kaksi naista sai asunnon."),
    (2, False, None),
    (3, True, "Väsyttää. Haluaisin jutella työn rajaamisesta."),
    (5, True, "Liian raskasta: en saanut nukuttua, kun ajattelin yhtä tilannetta."),
    (3, False, None),
    (2, False, "Purkukeskustelu auttoi."),
    (2, False, None),
    (3, False, None),
    (4, False, "Kiireinen viikko ja paljon asiointeja."),
    (2, False, None),
    (3, False, None),
    (2, False, None),
    (3, False, None),
]
ACK_NOTES = [
    "Juteltiin purkupalaverissa, sovittiin että otan seuraavat asioinnit.",
    None,
    "Soitin ja puhuttiin puoli tuntia. Sovittiin vapaapäivä perjantaille.",
    "Käytiin tilanne läpi ja mietittiin, mitä voi jättää pois.",
    None,
]
# The one waiting: expert1, pair 1, yesterday.
WAITING = (4, True, "Raskas viikko. Yksi naisista joutui sairaalaan ja mietin, olisinko "
                    "voinut tehdä jotain toisin. Haluaisin puhua tästä.")


def load() -> bool:
    if already_loaded(CheckIn):
        return False
    pairs = list(db.session.scalars(sa.select(Pair).order_by(Pair.id).limit(2)))
    if not pairs:
        return False
    today = local_today()
    for number, pair in enumerate(pairs):
        first = max(pair.starts_on, today - timedelta(days=MONTHS_BACK)) + timedelta(days=2)
        last = today - timedelta(days=4)  # the acknowledged ones end before the waiting one
        day, index = first, number * 3
        while day <= last:
            strain, talk, note = PATTERN[index % len(PATTERN)]
            talked_on = min(day + timedelta(days=1 if talk else 2), today - timedelta(days=2))
            db.session.add(CheckIn(
                pair_id=pair.id, expert_id=pair.expert_id, strain=strain, wants_to_talk=talk,
                note=note, created_at=past_utc_at(day, 13),
                acknowledged_at=past_utc_at(talked_on, 15),
                acknowledged_by_id=pair.professional_id, talked_on=talked_on,
                ack_note=ACK_NOTES[index % len(ACK_NOTES)],
            ))
            day += timedelta(days=EVERY_DAYS + (index % 3) - 1)
            index += 1
    strain, talk, note = WAITING
    first_pair = pairs[0]
    db.session.add(CheckIn(pair_id=first_pair.id, expert_id=first_pair.expert_id, strain=strain,
                           wants_to_talk=talk, note=note,
                           created_at=past_utc_at(today - timedelta(days=1), 14)))
    db.session.flush()
    return True
