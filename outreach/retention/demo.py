"""Demo data for retention: an earlier pair that has ended, and the one woman it worked
with, whose record was closed more than RETENTION_YEARS (default 5) ago. So that
`outreach retention --dry-run` lists her on the demo, and the funder report of her year
has figures that must stay the same once she is anonymised. Idempotent.

The pair worked from the autumn of the year before YEAR until the end of YEAR, six years
before the demo is loaded (2019–2020 when it is loaded in 2026; the funder report's first
year is 2020). Both partners have left since: their accounts are deactivated and no one
can sign in with them, so the pair shows on the pairs list of the supervisor and the
administrator only, and no one can open her record. She is kept here until the
retention command anonymises her."""

import secrets
from datetime import date

import sqlalchemy as sa

from outreach.accompaniments.models import Accompaniment, Outcome
from outreach.auth.models import Role, User
from outreach.auth.passwords import hash_password
from outreach.auth.queries import user_by_email
from outreach.clients.choices import ClientStatus, LifeDomain
from outreach.clients.choices import LivingSituation as L
from outreach.clients.models import Client, ClientStatusChange, LivingSituationChange
from outreach.clients.queries import next_client_code
from outreach.consents.models import Consent, ConsentMedium
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.contacts.queries import refresh_last_contact
from outreach.core.time import local_today, utc_at
from outreach.extensions import db
from outreach.mappings.models import Mapping, MappingRating
from outreach.pairs.models import MeetingRhythm, Pair, PairAgreement
from outreach.services.models import Service, ServiceKind

YEARS_BACK = 6  # her year: more than the default retention period (5 years) ago
SUPERVISOR = "supervisor@demo.test"
# The former partners: not in outreach.demo.ACCOUNTS (nobody signs in with them).
FORMER_PROFESSIONAL = ("hilkka@demo.test", "Hilkka Ammattilainen", Role.PROFESSIONAL)
FORMER_EXPERT = ("ulla@demo.test", "Ulla Kokemusasiantuntija", Role.EXPERT)
END_REASON = (
    "Hilkka jäi eläkkeelle ja Ulla aloitti opinnot. Asiakkuudet päätettiin tai siirrettiin "
    "ennen parin päättymistä."
)

NAME = "Marjatta"
SAFETY_NOTES = (
    "Entinen miesystävä etsii häntä: älä kerro kenellekään, missä hän yöpyy."
)
CLOSED_REASON = (
    "Sai vuokra-asunnon Vantaalta ja asumisohjauksen sieltä. Ei tarvitse enää jalkautuvaa tukea."
)
# (month, day, hour, channel, minutes, who took part, note)
CONTACTS = [
    (2, 11, 9, Channel.STREET, 20, Participants.BOTH,
     "Ensitapaaminen asemalla. Väsynyt, nukkunut ulkona viikon."),
    (3, 3, 11, Channel.PHONE, 10, Participants.EXPERT, None),
    (4, 20, 12, Channel.SHELTER_VISIT, 45, Participants.BOTH,
     "Sai ensisuojapaikan. Puhuttiin asuntohakemuksesta."),
    (6, 8, 10, Channel.STREET, 15, Participants.EXPERT, "Iloinen, jaksaa paremmin."),
    (9, 2, 8, Channel.OFFICE, 60, Participants.BOTH,
     "Tilapäinen asunto järjestyi. Käytiin läpi vuokrasopimus."),
    (10, 6, 9, Channel.PHONE, 10, Participants.PROFESSIONAL,
     "Asunto Vantaalta varmistui; sovittiin asiakkuuden päättämisestä."),
]
# The first and the last mapping of her year: (month, day, what matters most, ratings).
MAPPINGS = [
    (2, 25, "Oma sänky ja lämmin suihku joka päivä.",
     {LifeDomain.HOUSING: 1, LifeDomain.INCOME_DEBTS: 2, LifeDomain.PHYSICAL_HEALTH: 2,
      LifeDomain.MENTAL_HEALTH: 2, LifeDomain.SUBSTANCE_USE: 3, LifeDomain.SAFETY_VIOLENCE: 1,
      LifeDomain.DAILY_BASICS: 1, LifeDomain.DOCUMENTS_SERVICES: 2,
      LifeDomain.STRENGTHS_WISHES: 3}),
    (9, 15, "Jaksaa hoitaa asiat itse uudessa kodissa.",
     {LifeDomain.HOUSING: 3, LifeDomain.INCOME_DEBTS: 3, LifeDomain.PHYSICAL_HEALTH: 3,
      LifeDomain.MENTAL_HEALTH: 3, LifeDomain.SUBSTANCE_USE: 3, LifeDomain.SAFETY_VIOLENCE: 3,
      LifeDomain.RELATIONSHIPS_CHILDREN: 2, LifeDomain.DAILY_BASICS: 3,
      LifeDomain.DOCUMENTS_SERVICES: 4, LifeDomain.STRENGTHS_WISHES: 4}),
]
MAPPING_NOTES = {
    LifeDomain.HOUSING: ("Nukkuu asemalla ja porraskäytävissä.", "Tilapäinen asunto, oma ovi."),
    LifeDomain.SAFETY_VIOLENCE: ("Entinen miesystävä uhkaillut.", "Turvasuunnitelma tehty."),
}
# Where she lived: when her record was made, then the moves (month, day).
LIVING = [(L.STREET, None), (L.EMERGENCY_SHELTER, (4, 20)), (L.TEMPORARY_HOUSING, (9, 2))]
CLOSED_ON = (10, 20)


def old_year(today: date | None = None) -> int:
    """The year the demo's ended pair worked in (its closed woman's year)."""
    return (today or local_today()).year - YEARS_BACK


def _former(email: str, name: str, role: Role, password_hash: str) -> User:
    return User(email=email, name=name, role=role, language="fi", active=False,
                password_hash=password_hash)


def load_former_pair() -> bool:
    """The ended pair and its closed woman with her year's records; nothing when the former
    partners exist already, or when the demo's supervisor or service catalogue is missing."""
    if user_by_email(FORMER_PROFESSIONAL[0]) or user_by_email(FORMER_EXPERT[0]):
        return False
    supervisor = user_by_email(SUPERVISOR)
    services = {}
    for service in db.session.scalars(
        sa.select(Service).where(Service.active.is_(True)).order_by(Service.id)
    ):
        services.setdefault(service.kind, service)
    housing = services.get(ServiceKind.HOUSING)
    if supervisor is None or housing is None:
        return False

    year = old_year()
    # Nobody knows this password: the accounts are deactivated and stay so.
    password_hash = hash_password(secrets.token_urlsafe(24))
    pro = _former(*FORMER_PROFESSIONAL, password_hash)
    expert = _former(*FORMER_EXPERT, password_hash)
    starts_on = date(year - 1, 9, 1)
    pair = Pair(
        professional=pro, expert=expert, supervisor=supervisor,
        starts_on=starts_on, ends_on=date(year, 12, 1), end_reason=END_REASON,
        ended_by_id=supervisor.id, created_at=utc_at(date(year - 1, 8, 25), 10),
    )
    met = date(year - 1, 9, 4)
    db.session.add_all([pro, expert, pair, PairAgreement(
        pair=pair, meeting_date=met, volunteer_signed_on=met, confidentiality_signed_on=met,
        planning_rhythm=MeetingRhythm.WEEKLY, debrief_rhythm=MeetingRhythm.EVERY_2_WEEKS,
        created_at=utc_at(met, 13),
    )])
    db.session.flush()

    created = utc_at(date(year, 2, 11), 9, 40)
    closed_on = date(year, *CLOSED_ON)
    closed_at = utc_at(closed_on, 12)
    her = Client(
        pair_id=pair.id, code=next_client_code(created.date()), name=NAME, birth_year=1964,
        phone="040 000 0901", usual_place="Asema-aukio", living_situation=LIVING[-1][0],
        safety_notes=SAFETY_NOTES, created_at=created, created_by_id=expert.id,
        status=ClientStatus.CLOSED, closed_on=closed_on, closed_reason=CLOSED_REASON,
        last_record_at=closed_at,
    )
    db.session.add(her)
    db.session.flush()

    records: list = [
        Consent(
            client_id=her.id, given_on=created.date(), form=ConsentMedium.WRITTEN,
            keep_records=True, contact_services=True,
            services=[s for k, s in services.items()
                      if k in (ServiceKind.KELA, ServiceKind.SOCIAL_SERVICES, ServiceKind.HOUSING)],
            share_organisations=[s for k, s in services.items()
                                 if k == ServiceKind.SOCIAL_SERVICES],
            recorded_by_id=pro.id, created_at=utc_at(created.date(), 10),
        ),
        ClientStatusChange(
            client_id=her.id, status=ClientStatus.CLOSED, day=closed_on, reason=CLOSED_REASON,
            created_by_id=pro.id, created_at=closed_at,
        ),
    ]
    for situation, moved in LIVING:
        at = created if moved is None else utc_at(date(year, *moved), 13)
        records.append(LivingSituationChange(client_id=her.id, living_situation=situation,
                                             at=at, by_id=pro.id))
    for month, day, hour, channel, minutes, who, note in CONTACTS:
        moment = utc_at(date(year, month, day), hour)
        records.append(Contact(
            client_id=her.id, pair_id=pair.id, contacted_at=moment, duration_minutes=minutes,
            channel=channel, participants=who,
            topics=[LifeDomain.HOUSING.value] if channel != Channel.PHONE else [],
            note=note, created_by_id=pro.id if who == Participants.PROFESSIONAL else expert.id,
            created_at=moment.replace(hour=hour + 1),
        ))
    planned = utc_at(date(year, 8, 18), 8)
    records.append(Accompaniment(
        client_id=her.id, pair_id=pair.id, service_id=housing.id,
        purpose="Asuntohakemuksen täydentäminen", planned_at=planned, took_place_at=planned,
        minutes_spent=150, who_went=Participants.BOTH, expert_supported_interaction=True,
        outcome=Outcome.DONE, outcome_recorded_by_id=expert.id,
        outcome_recorded_at=planned.replace(hour=12),
        next_step="Odotetaan asuntotarjousta.", created_by_id=expert.id,
        created_at=utc_at(date(year, 8, 11), 10),
    ))
    for turn, (month, day, matters, ratings) in enumerate(MAPPINGS):
        mapped_on = date(year, month, day)
        records.append(Mapping(
            client_id=her.id, mapped_on=mapped_on, what_matters_most=matters,
            created_by_id=pro.id, created_at=utc_at(mapped_on, 13, 30),
            ratings=[MappingRating(domain=domain, rating=ratings.get(domain),
                                   notes=MAPPING_NOTES.get(domain, (None, None))[turn])
                     for domain in LifeDomain],
        ))
    db.session.add_all(records)
    db.session.flush()
    refresh_last_contact(her.id)
    db.session.flush()
    return True
