"""Demo contacts: months of keeping in touch with the demo women who consented (the expert
doing most of it, on the street and by phone), so that each woman's last contact matches her
record, and two or three women per pair have not been reached in over two weeks.
Idempotent: nothing is added when any contact exists."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from outreach.clients.choices import ClientStatus, LifeDomain
from outreach.clients.models import Client
from outreach.consents.models import Consent
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.contacts.queries import refresh_last_contact
from outreach.core.clock import utcnow
from outreach.core.records import already_loaded
from outreach.core.time import aware, local_today
from outreach.extensions import db

C = Channel
# Weighted: street outreach and the phone most often.
CHANNELS = [C.STREET] * 7 + [C.PHONE] * 4 + [C.TEXT_MESSAGE] * 3 + [C.SHELTER_VISIT] * 2 + \
    [C.OFFICE] * 2 + [C.HOME_VISIT, C.VIDEO]
# The expert keeps contact; the professional joins or calls now and then.
PARTICIPANTS = [Participants.EXPERT] * 5 + [Participants.BOTH] * 3 + [Participants.PROFESSIONAL] * 2
DURATIONS = {C.STREET: (10, 15, 20, 30, 45), C.PHONE: (5, 10, 15, 20), C.TEXT_MESSAGE: (5,),
             C.SHELTER_VISIT: (30, 45, 60), C.OFFICE: (30, 45, 60), C.HOME_VISIT: (45, 60, 90),
             C.VIDEO: (15, 30)}
NOTES = [
    "Väsynyt, nukkunut huonosti ensisuojassa. Sovittiin, että tavataan taas torilla.",
    "Kertoi asuntohakemuksesta; haluaa, että käydään se yhdessä läpi.",
    "Ei halunnut puhua tänään pitkään. Annettiin lämpimät sukat ja kahvilippu.",
    "Kysyi Kelan päätöksestä: ei ole vielä tullut.",
    "Iloinen: sai sovittua tapaamisen tyttärensä kanssa.",
    "Jalka edelleen kipeä. Ehdotettiin terveysneuvontapistettä, haluaa miettiä.",
    "Puhelin ollut kadoksissa, nyt uusi numero.",
    "Huolissaan velkakirjeistä. Sovittiin, että avataan kirjeet yhdessä.",
    "Lyhyt tekstiviesti: voi hyvin, tapaa ensi viikolla.",
    "Kertoi, että entinen kumppani on ollut lähistöllä. Käytiin turvasuunnitelma läpi.",
    "Kävi päiväkeskuksessa suihkussa ja söi. Jaksaa paremmin.",
    "Pohdittiin, mitä hän itse haluaa seuraavaksi: oma asunto on tärkein.",
]
TOPICS = {
    C.STREET: [LifeDomain.DAILY_BASICS, LifeDomain.SAFETY_VIOLENCE, LifeDomain.HOUSING],
    C.PHONE: [LifeDomain.DOCUMENTS_SERVICES, LifeDomain.INCOME_DEBTS, LifeDomain.HOUSING],
    C.TEXT_MESSAGE: [LifeDomain.DAILY_BASICS],
    C.SHELTER_VISIT: [LifeDomain.HOUSING, LifeDomain.PHYSICAL_HEALTH, LifeDomain.MENTAL_HEALTH],
    C.OFFICE: [LifeDomain.INCOME_DEBTS, LifeDomain.DOCUMENTS_SERVICES, LifeDomain.HOUSING],
    C.HOME_VISIT: [LifeDomain.RELATIONSHIPS_CHILDREN, LifeDomain.STRENGTHS_WISHES],
    C.VIDEO: [LifeDomain.MENTAL_HEALTH, LifeDomain.STRENGTHS_WISHES],
}


@dataclass
class DemoWoman:
    client: Client
    consent: Consent
    first_day: date  # contacts from this day (her consent, her record)
    last_day: date  # her last contact (as her record's last activity says)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of the demo (UTC), never in the future."""
    return min(datetime.combine(day, time(hour, minute), tzinfo=UTC),
               utcnow() - timedelta(minutes=5))


def demo_women() -> list[DemoWoman]:
    """The active demo women with a consent that has not been withdrawn, with the days
    their contacts may fall on: while the consent was valid, up to the day her record says
    she was last seen."""
    today = local_today()
    clients = list(db.session.scalars(
        sa.select(Client)
        .where(Client.merged_into_id.is_(None), Client.status == ClientStatus.ACTIVE)
        .order_by(Client.id)
    ))
    consents = {}
    for consent in db.session.scalars(sa.select(Consent).order_by(Consent.given_on, Consent.id)):
        consents[consent.client_id] = consent  # the newest wins
    women = []
    for client in clients:
        consent = consents.get(client.id)
        if consent is None or consent.withdrawn_on is not None:
            continue
        created = aware(client.created_at).date() if client.created_at else consent.given_on
        first = max(consent.given_on, created)
        last = aware(client.last_record_at).date() if client.last_record_at else today
        if consent.expires_on is not None:
            last = min(last, consent.expires_on)
        last = min(last, today)
        if last >= first:
            women.append(DemoWoman(client, consent, first, last))
    return women


def load_contacts() -> bool:
    if already_loaded(Contact):
        return False
    women = demo_women()
    if not women:
        return False
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    for woman in women:
        pair = woman.client.pair
        day = woman.last_day
        contacts = []
        # Backwards from her last contact, every few days, to her first day.
        while day >= woman.first_day:
            channel = rng.choice(CHANNELS)
            who = rng.choice(PARTICIPANTS)
            by = pair.professional_id if who == Participants.PROFESSIONAL or (
                who == Participants.BOTH and rng.random() < 0.4) else pair.expert_id
            moment = at(day, rng.choice((7, 8, 9, 10, 11, 12, 13, 14)), rng.choice((0, 15, 30, 45)))
            pool = TOPICS[channel]
            topics = rng.sample(pool, k=min(len(pool), rng.choice((0, 1, 1, 2))))
            contacts.append(Contact(
                client_id=woman.client.id, pair_id=pair.id, contacted_at=moment,
                duration_minutes=rng.choice(DURATIONS[channel]), channel=channel,
                participants=who, topics=[d.value for d in LifeDomain if d in topics],
                note=rng.choice(NOTES) if rng.random() < 0.55 else None,
                created_by_id=by,
                created_at=min(moment + timedelta(minutes=rng.choice((2, 10, 40))),
                               utcnow()),
            ))
            day -= timedelta(days=rng.choice((3, 4, 5, 6, 7, 9)))
        db.session.add_all(contacts)
    db.session.flush()
    refresh_demo_last_contacts()
    return True


def refresh_demo_last_contacts() -> None:
    """Every demo woman's last contact from what is recorded (contacts and accompaniments
    in which the pair met her), and her last record no earlier than that."""
    db.session.flush()
    for client_id in db.session.scalars(sa.select(Client.id).order_by(Client.id)):
        refresh_last_contact(client_id)
    db.session.flush()
    db.session.expire_all()
    for client in db.session.scalars(sa.select(Client).where(Client.last_contact_at.is_not(None))):
        if aware(client.last_record_at) < aware(client.last_contact_at):
            db.session.execute(
                sa.update(Client).where(Client.id == client.id)
                .values(last_record_at=client.last_contact_at)
                .execution_options(synchronize_session=False)
            )
    db.session.flush()
