"""Demo anonymous encounters: about twenty per active pair over the last three months (or
since the pair started), in Helsinki outreach areas. Deterministic and idempotent."""

import random
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from outreach.clients.choices import LifeDomain
from outreach.core.records import already_loaded
from outreach.core.time import local_today
from outreach.encounters.models import AgeGroup, AnonymousEncounter, MetBy
from outreach.extensions import db
from outreach.outings.models import Area
from outreach.pairs.models import Pair
from outreach.scope import active_on

PER_PAIR = 20
DAYS = 90

AREAS = ["Kallio", "Rautatientori", "Kamppi", "Hakaniemi", "Sörnäinen", "Itäkeskus",
         "Kontula", "Malmi", "Pasila"]
NOTES = [
    None, None, None,
    "Jaettiin lämpimiä sukkia ja kahvia.",
    "Kerrottiin päiväkeskuksen aukioloajoista.",
    "Ei halunnut jatkoa nyt, tietää mistä meidät löytää.",
    "Ohjattiin terveysneuvontapisteeseen.",
    "Kysyi yömajapaikoista.",
]
TOPIC_WEIGHTS = {
    LifeDomain.HOUSING: 6, LifeDomain.DAILY_BASICS: 6, LifeDomain.SUBSTANCE_USE: 4,
    LifeDomain.PHYSICAL_HEALTH: 3, LifeDomain.MENTAL_HEALTH: 3, LifeDomain.SAFETY_VIOLENCE: 2,
    LifeDomain.INCOME_DEBTS: 2, LifeDomain.DOCUMENTS_SERVICES: 2,
    LifeDomain.RELATIONSHIPS_CHILDREN: 1, LifeDomain.STRENGTHS_WISHES: 1,
}
AGE_WEIGHTS = {
    AgeGroup.UNDER_25: 2, AgeGroup.AGE_25_34: 4, AgeGroup.AGE_35_49: 4, AgeGroup.AGE_50_64: 2,
    AgeGroup.AGE_65_PLUS: 1, AgeGroup.UNKNOWN: 2,
}


def _pick_topics(rng: random.Random) -> list[str]:
    count = rng.choice([0, 1, 1, 2, 2, 3])
    domains, weights = zip(*TOPIC_WEIGHTS.items(), strict=True)
    chosen = set(rng.choices(domains, weights=weights, k=count))
    return [domain.value for domain in LifeDomain if domain in chosen]


def load_encounters() -> bool:
    if already_loaded(AnonymousEncounter):
        return False
    today = local_today()
    pairs = list(
        db.session.scalars(
            sa.select(Pair)
            .where(active_on(today))
            .order_by(Pair.id)
        )
    )
    area_ids = dict(db.session.execute(sa.select(Area.name, Area.id)).all())
    encounters = []
    for pair in pairs:
        rng = random.Random(f"encounters-{pair.id}")  # noqa: S311 - demo data
        days = max(0, min(DAYS, (today - pair.starts_on).days))
        for _ in range(PER_PAIR):
            met_on = today - timedelta(days=rng.randint(0, days))
            met_by = rng.choices([MetBy.BOTH, MetBy.EXPERT, MetBy.PROFESSIONAL],
                                 weights=[5, 3, 2])[0]
            recorder = pair.expert_id if met_by == MetBy.EXPERT else pair.professional_id
            ages, weights = zip(*AGE_WEIGHTS.items(), strict=True)
            encounters.append(
                AnonymousEncounter(
                    pair_id=pair.id,
                    met_on=met_on,
                    area=(area := rng.choice(AREAS)),
                    area_id=area_ids.get(area),
                    age_group=rng.choices(ages, weights=weights)[0],
                    topics=_pick_topics(rng),
                    people_count=rng.choices([1, 2, 3], weights=[7, 2, 1])[0],
                    met_by=met_by,
                    note=rng.choice(NOTES),
                    created_by_id=recorder,
                    created_at=datetime.combine(
                        met_on, time(rng.randint(9, 19), rng.randint(0, 59)), tzinfo=UTC
                    ),
                )
            )
    db.session.add_all(encounters)
    db.session.flush()
    return bool(encounters)
