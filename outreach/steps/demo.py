"""Demo challenges and steps: for the first women of each pair with a valid consent, two
challenges each in her words, broken into steps in every decision state (agreed, wants
to think, declined, no decision yet), some decided twice (the history is kept), and
challenges closed as resolved and as no longer relevant. Idempotent."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from outreach.clients.choices import LifeDomain as D
from outreach.clients.models import Client
from outreach.consents.queries import can_record
from outreach.core.clock import utcnow
from outreach.core.records import already_loaded
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.mappings.demo import window
from outreach.steps.models import (
    Assignee,
    Challenge,
    ChallengeStatus,
    Decision,
    Proposer,
    Step,
    StepDecision,
    StepState,
)

A, W, X, P = Decision.AGREED, Decision.WANTS_TO_THINK, Decision.DECLINED, Decision.PENDING

# (domain, her words, closed as, steps); a step is
# (proposal, proposed by, assignee, her decisions in order (the last one holds), state,
#  due in days from today or None).
CHALLENGES = [
    (D.HOUSING, "Haluan oman kodin, jossa saan olla rauhassa.", None, [
        ("Täytetään asuntohakemus yhdessä asumisneuvonnassa.", Proposer.TOGETHER, Assignee.PAIR,
         [W, A], StepState.DONE, None),
        ("Haetaan Kelasta asumistukea heti, kun asunto löytyy.", Proposer.PROFESSIONAL,
         Assignee.WOMAN, [], StepState.OPEN, None),
        ("Kysytään tukiasuntoa Y-Säätiöltä.", Proposer.PROFESSIONAL, Assignee.PROFESSIONAL,
         [X], StepState.DROPPED, None),
    ]),
    (D.INCOME_DEBTS, "Ulosotto vie kaiken, enkä tiedä, paljonko velkaa on.", None, [
        ("Tilataan velkatiedot ja käydään ne läpi yhdessä.", Proposer.EXPERT, Assignee.EXPERT,
         [A], StepState.OPEN, 5),
        ("Varataan aika talous- ja velkaneuvontaan.", Proposer.PROFESSIONAL,
         Assignee.PROFESSIONAL, [W], StepState.OPEN, None),
    ]),
    (D.DOCUMENTS_SERVICES, "Henkkarit on hukassa, eikä ilman niitä pääse mihinkään.",
     ChallengeStatus.RESOLVED, [
        ("Mennään yhdessä poliisiasemalle hakemaan uutta henkilökorttia.", Proposer.WOMAN,
         Assignee.PAIR, [A], StepState.DONE, None),
        ("Haetaan sosiaalitoimistosta maksusitoumus passikuvaan.", Proposer.PROFESSIONAL,
         Assignee.PROFESSIONAL, [A], StepState.DONE, None),
    ]),
    (D.PHYSICAL_HEALTH, "Jalka on ollut kipeä kuukausia.", None, [
        ("Käydään terveysneuvontapisteessä näyttämässä jalkaa.", Proposer.EXPERT, Assignee.PAIR,
         [X, W], StepState.OPEN, None),
        ("Varataan aika terveysasemalle.", Proposer.PROFESSIONAL, Assignee.PROFESSIONAL, [],
         StepState.OPEN, None),
    ]),
    (D.DAILY_BASICS, "En saa nukuttua ensisuojassa, ja olen koko ajan väsynyt.", None, [
        ("Kysytään naisten yöpaikasta omaa huonetta.", Proposer.TOGETHER, Assignee.PROFESSIONAL,
         [A], StepState.OPEN, 3),
        ("Syödään päiväkeskuksessa aamupala ennen asiointeja.", Proposer.WOMAN, Assignee.WOMAN,
         [A], StepState.DONE, None),
        ("Haetaan ruoka-apua seurakunnalta.", Proposer.EXPERT, Assignee.EXPERT, [X],
         StepState.DROPPED, None),
    ]),
    (D.SUBSTANCE_USE, "Haluaisin päästä katkolle.", ChallengeStatus.NO_LONGER_RELEVANT, [
        ("Kysytään katkaisuhoitopaikkaa A-klinikalta.", Proposer.WOMAN, Assignee.PROFESSIONAL,
         [A], StepState.DROPPED, None),
    ]),
    (D.RELATIONSHIPS_CHILDREN, "Haluan tavata lapsia useammin.", None, [
        ("Otetaan yhteyttä lastensuojelun sosiaalityöntekijään tapaamisista.",
         Proposer.PROFESSIONAL, Assignee.PROFESSIONAL, [W], StepState.OPEN, None),
        ("Kirjoitetaan yhdessä kirje lapsille.", Proposer.EXPERT, Assignee.WOMAN, [A],
         StepState.OPEN, 10),
        ("Pyydetään isovanhemmilta valokuvia lapsista.", Proposer.WOMAN, Assignee.WOMAN, [],
         StepState.OPEN, None),
    ]),
    (D.SAFETY_VIOLENCE, "Entinen mies etsii minua, ja pelkään liikkua yksin.", None, [
        ("Tehdään turvasuunnitelma yhdessä.", Proposer.PROFESSIONAL, Assignee.PAIR, [A],
         StepState.DONE, None),
        ("Haetaan lähestymiskieltoa.", Proposer.PROFESSIONAL, Assignee.PROFESSIONAL, [W, X],
         StepState.DROPPED, None),
        ("Kulkee asioilla kokemusasiantuntijan kanssa, ei yksin.", Proposer.WOMAN, Assignee.PAIR,
         [A], StepState.OPEN, None),
    ]),
]

WOMEN_PER_PAIR = 4


def _moment(first: date, last: date, fraction: float, hour: int) -> datetime:
    day = first + timedelta(days=round((last - first).days * fraction))
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _latest(client: Client) -> datetime:
    """Nothing after her latest record (nor in the future)."""
    last = client.last_record_at or utcnow()
    return min(last if last.tzinfo else last.replace(tzinfo=UTC), utcnow())


def load_steps() -> bool:
    if already_loaded(Challenge):
        return False
    clients = list(db.session.scalars(
        sa.select(Client).where(Client.merged_into_id.is_(None)).order_by(Client.id)
    ))
    chosen: dict[int, list[Client]] = {}
    for client in clients:
        women = chosen.setdefault(client.pair_id, [])
        if len(women) < WOMEN_PER_PAIR and can_record(client) and window(client) is not None:
            women.append(client)
    today = local_today()
    n = 0
    for women in chosen.values():
        for client in women:
            span = window(client)
            latest = _latest(client)
            pair = client.pair
            people = (pair.professional_id, pair.expert_id)
            for k in range(2):
                domain, words, closed_as, steps = CHALLENGES[n % len(CHALLENGES)]
                author = people[(n + k) % 2]
                challenge = Challenge(
                    client_id=client.id, domain=domain, description=words,
                    created_by_id=author,
                    created_at=min(_moment(span.first, span.last, 0.1 + 0.2 * k, 10), latest),
                )
                if closed_as is not None:
                    challenge.status = closed_as
                    challenge.closed_on = span.last
                    challenge.closed_by_id = people[n % 2]
                db.session.add(challenge)
                for s, (proposal, proposer, assignee, decisions, state, due) in enumerate(steps):
                    recorder = people[(n + s) % 2]
                    created = min(_moment(span.first, span.last, 0.15 + 0.2 * k, 11 + s), latest)
                    step = Step(
                        challenge=challenge, client_id=client.id, proposal=proposal,
                        proposed_by=proposer, proposed_by_user_id=recorder,
                        assignee=assignee, state=state, created_at=created,
                        due_on=today + timedelta(days=due) if due is not None else None,
                    )
                    for d, decision in enumerate(decisions):
                        by = people[(n + s + d) % 2]
                        at = _moment(span.first, span.last, 0.5 + 0.5 * d / len(decisions),
                                     14 + s)
                        at = min(max(at, created + timedelta(minutes=5 * (d + 1))), latest)
                        step.decisions.append(StepDecision(decision=decision, recorded_by_id=by,
                                                           recorded_at=at))
                        step.decision = decision
                        step.decision_recorded_by_id = by
                        step.decision_recorded_at = at
                    if not decisions:
                        step.decision = P
                    db.session.add(step)
                n += 1
    db.session.flush()
    return n > 0
