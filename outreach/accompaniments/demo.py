"""Demo accompaniments: for each pair, past ones with every outcome (the expert going on
most, often supporting her talk with the staff), a few planned for this week, and for the
first pair one whose time has passed without an outcome, so that expert1's home page asks
for it. Idempotent: nothing is added when any accompaniment exists."""

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from outreach.accompaniments.models import Accompaniment, Outcome
from outreach.contacts.choices import Participants
from outreach.contacts.demo import DemoWoman, at, demo_women, refresh_demo_last_contacts
from outreach.core.clock import utcnow
from outreach.core.records import already_loaded
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.services.models import Service, ServiceKind

K = ServiceKind
PURPOSES = {
    K.KELA: ["Asumistukihakemuksen jättäminen", "Toimeentulotukipäätöksen selvittäminen"],
    K.SOCIAL_SERVICES: ["Tapaaminen omatyöntekijän kanssa", "Maksusitoumus vuokravakuuteen"],
    K.HEALTH_CENTRE: ["Lääkärin vastaanotto: kipeä jalka", "Reseptien uusiminen"],
    K.SUBSTANCE_ABUSE: ["Ensikäynti A-klinikalla", "Terveysneuvonta ja testaus"],
    K.MENTAL_HEALTH: ["Hoitoon hakeutuminen, ensikäynti"],
    K.HOUSING: ["Asuntohakemuksen täydentäminen", "Asuntonäyttö"],
    K.POLICE: ["Henkilökortin hakeminen"],
    K.BANK: ["Pankkitilin avaaminen"],
    K.LEGAL_AID: ["Velkajärjestelyn neuvonta"],
    K.SHELTER: ["Yöpaikan järjestäminen"],
    K.EMPLOYMENT: ["Kuntouttavan työtoiminnan esittely"],
}
NEXT_STEPS = {
    Outcome.DONE: [None, None, "Odotetaan päätöstä, kysytään tilanne kahden viikon päästä."],
    Outcome.PARTLY_DONE: ["Toimitetaan puuttuva vuokrasopimus.", "Varataan uusi aika."],
    Outcome.NOT_DONE: ["Selvitetään, mitä liitteitä vielä tarvitaan."],
    Outcome.DID_NOT_COME: ["Kysytään häneltä, sopiiko toinen päivä paremmin."],
    Outcome.POSTPONED: ["Uusi aika sovittu ensi viikolle."],
}
# The outcomes in the order the demo women's past accompaniments cycle through them: every
# outcome appears, "done" most often.
OUTCOMES = [Outcome.DONE, Outcome.PARTLY_DONE, Outcome.DONE, Outcome.DID_NOT_COME,
            Outcome.NOT_DONE, Outcome.DONE, Outcome.POSTPONED]
WHO = [Participants.EXPERT] * 5 + [Participants.BOTH] * 3 + [Participants.PROFESSIONAL] * 2


def _services() -> dict[ServiceKind, list[Service]]:
    found: dict[ServiceKind, list[Service]] = {}
    for service in db.session.scalars(
        sa.select(Service).where(Service.active.is_(True)).order_by(Service.id)
    ):
        if service.kind in PURPOSES:
            found.setdefault(service.kind, []).append(service)
    return found


def _who_recorded(pair, who: Participants) -> int:
    return pair.professional_id if who == Participants.PROFESSIONAL else pair.expert_id


def _new(woman: DemoWoman, rng, services, who: Participants, **fields) -> Accompaniment:
    kind = rng.choice(sorted(services))
    pair = woman.client.pair
    return Accompaniment(
        client_id=woman.client.id, pair_id=pair.id, service_id=rng.choice(services[kind]).id,
        purpose=rng.choice(PURPOSES[kind]), who_went=who, created_by_id=_who_recorded(pair, who),
        **fields,
    )


def load_accompaniments() -> bool:
    if already_loaded(Accompaniment):
        return False
    women = demo_women()
    services = _services()
    if not women or not services:
        return False
    rng = random.Random(2027)  # noqa: S311 - demo data, not security
    today = local_today()
    now = utcnow()
    records = []
    n = 0
    for woman in women:
        # One every few weeks while she has been in contact, the latest on her last day.
        day = woman.last_day - timedelta(days=rng.choice((0, 2, 5)))
        while day >= woman.first_day:
            outcome = OUTCOMES[n % len(OUTCOMES)]
            n += 1
            if outcome not in (Outcome.DONE, Outcome.PARTLY_DONE, Outcome.NOT_DONE) and \
                    day >= woman.last_day - timedelta(days=2):
                outcome = Outcome.DONE  # her last contact is a meeting
            who = rng.choice(WHO)
            planned = at(day, rng.choice((7, 8, 10, 11, 12)), rng.choice((0, 30)))
            created = planned - timedelta(days=rng.choice((2, 4, 7)))
            met = outcome in (Outcome.DONE, Outcome.PARTLY_DONE, Outcome.NOT_DONE)
            step = rng.choice(NEXT_STEPS[outcome])
            records.append(_new(
                woman, rng, services, who, planned_at=planned, took_place_at=planned,
                minutes_spent=rng.choice((45, 60, 90, 120, 150, 180, 240)) if met else
                rng.choice((20, 30, 45)),
                expert_supported_interaction=met and who != Participants.PROFESSIONAL
                and rng.random() < 0.7,
                outcome=outcome, outcome_recorded_by_id=_who_recorded(woman.client.pair, who),
                outcome_recorded_at=min(planned + timedelta(hours=3), now),
                next_step=step, created_at=created,
            ))
            day -= timedelta(days=rng.choice((12, 18, 25)))
    records += _planned(women, rng, services, today, now)
    db.session.add_all(records)
    db.session.flush()
    refresh_demo_last_contacts()
    return True


def _planned(women: list[DemoWoman], rng, services, today: date, now: datetime):
    """A few planned this week (the rest of it; next week's first days when the week is
    nearly over) for each pair, and one for expert1 whose time has passed."""
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(days=d) for d in range(7) if monday + timedelta(days=d) > today]
    days += [monday + timedelta(days=7 + d) for d in range(3)]
    by_pair: dict[int, list[DemoWoman]] = {}
    for woman in women:
        if woman.last_day >= today - timedelta(days=14):  # still in touch
            by_pair.setdefault(woman.client.pair_id, []).append(woman)
    records = []
    for number, (_pair_id, pair_women) in enumerate(sorted(by_pair.items())):
        for i, day in enumerate(days[:3]):
            woman = pair_women[i % len(pair_women)]
            hour = (7, 9, 11)[i]  # 9, 11 and 13 o'clock in Helsinki
            records.append(_new(
                woman, rng, services, Participants.EXPERT if i != 1 else Participants.BOTH,
                planned_at=datetime.combine(day, time(hour, 0), tzinfo=UTC),
                created_at=now - timedelta(days=3 - i),
            ))
        if number == 0:
            # Yesterday afternoon (or this morning, early in the week): the expert went,
            # nobody has recorded how it went yet.
            past = now - timedelta(hours=20) if today.weekday() else now - timedelta(hours=3)
            records.append(_new(
                pair_women[0], rng, services, Participants.EXPERT,
                planned_at=past.replace(minute=0, second=0, microsecond=0),
                created_at=now - timedelta(days=4),
            ))
    return records
