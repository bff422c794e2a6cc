"""`outreach generate-scale`: fill the configured database with realistic data at scale,
for the benchmark and for trying the dashboards with years of work.

Speed comes from bulk inserts: rows are plain dicts made with one `random.Random(seed)`
(the same seed gives the same data on an empty database), written with SQLAlchemy Core
`insert()` as executemany in chunks of CHUNK rows, all in one transaction. Ids are given
here (counted on from the largest id already there), so rows can point at each other
without reading anything back; PostgreSQL's sequences are moved past them at the end.
The per-client figures the lists rely on (`client.last_contact_at`, `last_record_at`) are
set at the end with one `UPDATE ... FROM (SELECT ... max() GROUP BY client_id)` per table.

Every moment lies before the day the data is generated for (`today`, Helsinki), except
planned accompaniments and the due dates of open tasks, which may lie ahead."""

import contextlib
import importlib
import importlib.util
import json
import math
import random
import secrets
import time as clock
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from outreach.accompaniments.models import MET_OUTCOMES, Accompaniment, Outcome
from outreach.auth.models import Role, User
from outreach.auth.passwords import hash_password
from outreach.clients.choices import ClientStatus, LifeDomain, LivingSituation
from outreach.clients.models import Client, ClientCodeCounter, ClientStatusChange
from outreach.consents.models import Consent
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.encounters.models import AgeGroup, MetBy
from outreach.extensions import db
from outreach.mappings.models import Mapping
from outreach.network.models import NetworkChannel, NetworkContact
from outreach.pairs.models import EDITABLE_FIELDS, MeetingRhythm
from outreach.services.demo import load_services
from outreach.services.models import Service
from outreach.steps.models import Assignee as StepAssignee
from outreach.steps.models import Challenge, ChallengeStatus, Decision, Proposer, Step, StepState
from outreach.tasks.models import Assignee, Task, TaskOrigin, TaskStatus

BENCH_PASSWORD = "bench-pass-2026"  # noqa: S105 - generated benchmark data only, printed
EMAIL_DOMAIN = "scale.test"
CHUNK = 5000
WINDOW_DAYS = 730  # contacts spread over about the last two years
PROGRESS_EVERY = 100_000  # rows

# Shares of the contacts' volume.
ACCOMPANIMENT_SHARE = 0.10
NETWORK_SHARE = 0.05
ENCOUNTER_SHARE = 0.02
CONTACT_TASK_SHARE = 0.02

# The tables written here, for the checks before and after.
REQUIRED_TABLES = (
    "user_account", "pair", "pair_agreement", "pair_agreement_edit", "service", "client",
    "client_code_counter", "client_status_change", "consent", "consent_service",
    "consent_share_service", "mapping", "mapping_rating", "challenge", "step",
    "step_decision", "task", "contact", "accompaniment", "network_contact",
    "anonymous_encounter",
)
OPTIONAL_TABLES = ("pair_meeting", "pair_meeting_revision", "meeting_action", "check_in",
                   "living_situation_change")

# --- Words -----------------------------------------------------------------------------------

CLIENT_NAMES = (
    "Tiina", "Maikki", "Sanna", "Pirkko", "Jonna", "Riikka", "Heli", "Minna", "Kati", "Anu",
    "Satu", "Leena", "Nina", "Merja", "Henna", "Tanja", "Marja", "Sirkku", "Elina", "Outi",
    "Johanna", "Päivi", "Hanna", "Kirsi", "Laura", "Susanna", "Jenni", "Sari", "Tuula", "Raija",
    "Eija", "Aila", "Irma", "Noora", "Veera", "Katja", "Petra", "Milla", "Aada", "Linnea",
    "Ronja", "Iida", "Emmi", "Sofia", "Amina", "Fatima", "Olga", "Svetlana", "Lotta", "Maria",
)
STAFF_NAMES = (
    "Paula", "Pirjo", "Eeva", "Essi", "Aino", "Sirpa", "Hilkka", "Ulla", "Terhi", "Anne",
    "Kaisa", "Mervi", "Tarja", "Reetta", "Helena", "Ilona", "Kristiina", "Ritva", "Saara", "Inka",
)
SURNAMES = (
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
    "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
    "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Lindqvist", "Holm",
)
PLACES = (
    "Kampin kauppakeskus", "Rautatieasema", "Hakaniemen tori", "Kallion kirjasto",
    "Sörnäisten metroasema", "Kaisaniemen puisto", "Itäkeskus, kauppakeskuksen aula",
    "Naisten päiväkeskus, Kallio", "Hietalahden tori", "Ruoholahden ostoskeskus",
    "Malmin asema", "Tikkurilan asema", "Espoon keskus", "Kontulan ostoskeskus",
)
AREAS = (
    "Kallio", "Rautatientori", "Kamppi", "Hakaniemi", "Sörnäinen", "Itäkeskus", "Kontula",
    "Malmi", "Pasila", "Kaisaniemi", "Ruoholahti", "Tikkurila",
)
CLOSE_REASONS = (
    "Muutti toiselle paikkakunnalle.", "Sai oman asunnon ja tuen asumispalveluista.",
    "Ei halua enää yhteydenpitoa.", "Siirtyi päihdekuntoutukseen pitkäksi aikaa.",
    "Ei ole tavoitettu puoleen vuoteen.", "Asiakkuus siirtyi sosiaalityöhön.",
)
CONTACT_NOTES = (
    "Kuulumiset vaihdettu, voi ihan hyvin.", "Väsynyt, ei ole nukkunut kunnolla.",
    "Sovittiin, että soitan huomenna.", "Kävimme kahvilla ja juttelimme asumisesta.",
    "Huolissaan rahojen riittämisestä.", "Ei ehtinyt jutella pitkään.",
    "Kysyi ensisuojasta, annettiin yhteystiedot.", "Iloinen, sai vastauksen Kelalta.",
    "Jaettiin lämpimät sukat ja välipala.", "Puhuttiin lääkäriajasta.",
    "Halusi vain jutella hetken.", "Muistutettiin huomisesta ajasta.",
)
PURPOSES = (
    "Asumistukihakemuksen jättäminen", "Toimeentulotuen selvittäminen", "Lääkäriaika",
    "Henkilökortin hakeminen", "Tapaaminen sosiaalityöntekijän kanssa", "Pankkitunnukset",
    "Asuntohakemuksen täydentäminen", "Päihdepalveluun tutustuminen", "Velkaneuvonta",
    "Reseptin uusiminen", "Oikeusavun ajanvaraus", "Työllisyyspalveluun ilmoittautuminen",
)
NEXT_STEPS = (
    "Toimita puuttuva liite", "Varaa seuraava aika", "Soita viikon päästä ja kysy päätöstä",
    "Hae lomake ja täyttäkää yhdessä", "Tarkista hakemuksen tila",
)
NETWORK_TOPICS = (
    "Asumistukihakemuksen käsittely", "Toimeentulotuen päätös", "Lääkäriajan siirto",
    "Asunnon tarjoaminen", "Velkajärjestely", "Kuntoutuspaikka", "Henkilöpaperit",
)
NETWORK_OUTCOMES = (
    "Luvattiin soittaa takaisin.", "Hakemus on käsittelyssä.", "Aika sovittu.",
    "Tarvitaan lisäselvitys.", "Asia ratkesi.",
)
ORGANISATIONS = (
    "Vva ry", "Sininauhasäätiö", "Y-Säätiö", "Helsingin Diakonissalaitos, Naisten asunto",
    "Kirkon diakoniatyö", "Pelastusarmeija", "Hätämajoitus Pakila",
)
PEOPLE = ("Sosiaaliohjaaja Laine", "Asuntoneuvoja Heikkinen", "Hoitaja Mäkelä",
          "Etuuskäsittelijä Koskinen", "Lääkäri Salo")
WHAT_MATTERS = (
    "Oma rauhallinen asunto.", "Saada lapset takaisin.", "Että joku kuuntelee.",
    "Päästä eroon veloista.", "Nukkua yönsä turvassa.", "Päästä hoitoon omilla ehdoilla.",
)
RATING_NOTES = (
    "Tilanne vaihtelee viikoittain.", "Oma arvio parempi kuin viime kerralla.",
    "Tarvitsee tukea arjen asioissa.", "Hyvä vaihe juuri nyt.",
)
CHALLENGES = {
    LifeDomain.HOUSING: "Ei omaa asuntoa, yöpyy milloin missäkin.",
    LifeDomain.INCOME_DEBTS: "Rahat loppuvat kesken kuun, velkoja perinnässä.",
    LifeDomain.PHYSICAL_HEALTH: "Jalkojen haavat eivät parane.",
    LifeDomain.MENTAL_HEALTH: "Paniikkikohtauksia, ei jaksa lähteä liikkeelle.",
    LifeDomain.SUBSTANCE_USE: "Haluaa vähentää käyttöä.",
    LifeDomain.SAFETY_VIOLENCE: "Entinen kumppani uhkailee.",
    LifeDomain.RELATIONSHIPS_CHILDREN: "Haluaa tavata lapsiaan säännöllisesti.",
    LifeDomain.DAILY_BASICS: "Ruoka ja uni jäävät vähiin.",
    LifeDomain.DOCUMENTS_SERVICES: "Henkilöpaperit ovat kadonneet.",
    LifeDomain.STRENGTHS_WISHES: "Haluaisi löytää mielekästä tekemistä.",
}
STEP_PROPOSALS = (
    "Soitetaan yhdessä palveluun", "Haetaan lomake ja täytetään se yhdessä",
    "Varataan aika ja lähdetään mukaan", "Selvitetään vaihtoehdot ensi viikolla",
    "Hän kokeilee itse ja kertoo miten meni", "Käydään paikan päällä tutustumassa",
)
TASK_TITLES = (
    "Soita ja kysy kuulumiset", "Varaa aika sosiaalitoimistoon", "Selvitä asumistuen tilanne",
    "Hae lomake", "Tapaaminen torilla", "Vie lämpimät vaatteet", "Kysy ensisuojasta paikkaa",
    "Tarkista Kelan päätös", "Muistuta lääkäriajasta", "Toimita liitteet",
)
PAIR_TASK_TITLES = (
    "Viikon suunnittelu", "Kierros rautatieasemalla", "Päivitä palveluluettelon tiedot",
    "Purkukeskustelu", "Valmistele työnohjaus", "Tilastot kuukauden lopussa",
)
MEETING_NOTES = (
    "Käytiin asiakastilanteet läpi ja jaettiin viikon työt.",
    "Puhuttiin raskaasta viikosta; sovittiin, että kokemusasiantuntija pitää vapaapäivän.",
    "Suunniteltiin kevään kierrokset.", "Hyvä tapaaminen, kiitos molemmille.",
)
EXTERNAL_SUPERVISORS = ("Työnohjaaja Ritva Aalto", "Työnohjaaja Juha Lind",
                        "Työnohjaaja Sari Koivu")
CHECK_IN_NOTES = (
    "Viikko oli raskas, yksi asiakas huolestuttaa.", "Ihan hyvä olo.",
    "Väsyttää, mutta työ tuntuu merkitykselliseltä.", "Haluaisin puhua yhdestä tilanteesta.",
)
AGREEMENT_TEXT = (
    "Kunnioitamme naisten omia päätöksiä.", "Kumpikin saa sanoa, jos jokin mietityttää.",
    "Sovitaan työnjaosta viikoittain.", "Luottamus rakentuu vähitellen.",
    "Puhutaan suoraan ja ystävällisesti.",
)

# --- Weighted choices: a pool with each value repeated by its weight ---------------------


def pool(weights: dict) -> tuple:
    return tuple(value for value, weight in weights.items() for _ in range(weight))


CHANNELS = pool({Channel.STREET: 30, Channel.PHONE: 25, Channel.TEXT_MESSAGE: 15,
                 Channel.VIDEO: 2, Channel.SHELTER_VISIT: 10, Channel.HOME_VISIT: 8,
                 Channel.OFFICE: 10})
PARTICIPANTS = pool({Participants.BOTH: 45, Participants.EXPERT: 30,
                     Participants.PROFESSIONAL: 25})
WHO_WENT = pool({Participants.BOTH: 45, Participants.EXPERT: 40,
                 Participants.PROFESSIONAL: 15})
OUTCOMES = pool({Outcome.DONE: 55, Outcome.PARTLY_DONE: 15, Outcome.NOT_DONE: 8,
                 Outcome.DID_NOT_COME: 12, Outcome.POSTPONED: 10})
LIVING = pool({LivingSituation.STREET: 15, LivingSituation.EMERGENCY_SHELTER: 20,
               LivingSituation.FRIENDS_RELATIVES: 15, LivingSituation.INSTITUTION: 5,
               LivingSituation.TEMPORARY_HOUSING: 15, LivingSituation.SUPPORTED_HOUSING: 10,
               LivingSituation.OWN_LEASE: 8, LivingSituation.UNKNOWN: 12})
DECISIONS = pool({Decision.AGREED: 60, Decision.WANTS_TO_THINK: 15, Decision.DECLINED: 10,
                  Decision.PENDING: 15})
STEP_ASSIGNEES = pool({StepAssignee.PROFESSIONAL: 3, StepAssignee.EXPERT: 3,
                       StepAssignee.PAIR: 2, StepAssignee.WOMAN: 2})
TASK_ASSIGNEES = pool({Assignee.PROFESSIONAL: 4, Assignee.EXPERT: 4, Assignee.PAIR: 2,
                       Assignee.CLIENT: 1})
STEP_TO_TASK = {StepAssignee.PROFESSIONAL: Assignee.PROFESSIONAL,
                StepAssignee.EXPERT: Assignee.EXPERT, StepAssignee.PAIR: Assignee.PAIR,
                StepAssignee.WOMAN: Assignee.CLIENT}
AGE_GROUPS = pool({AgeGroup.UNDER_25: 2, AgeGroup.AGE_25_34: 4, AgeGroup.AGE_35_49: 4,
                   AgeGroup.AGE_50_64: 3, AgeGroup.AGE_65_PLUS: 1, AgeGroup.UNKNOWN: 2})
MET_BY = pool({MetBy.BOTH: 5, MetBy.EXPERT: 3, MetBy.PROFESSIONAL: 2})
NETWORK_CHANNELS = pool({NetworkChannel.PHONE: 5, NetworkChannel.EMAIL: 2,
                         NetworkChannel.SECURE_MESSAGE: 2, NetworkChannel.MEETING: 2,
                         NetworkChannel.VIDEO: 1, NetworkChannel.LETTER: 1})
RHYTHMS = (MeetingRhythm.WEEKLY, MeetingRhythm.EVERY_2_WEEKS, MeetingRhythm.EVERY_2_WEEKS,
           MeetingRhythm.EVERY_3_WEEKS, MeetingRhythm.EVERY_4_WEEKS, MeetingRhythm.MONTHLY)
RHYTHM_DAYS = {MeetingRhythm.WEEKLY: 7, MeetingRhythm.EVERY_2_WEEKS: 14,
               MeetingRhythm.EVERY_3_WEEKS: 21, MeetingRhythm.EVERY_4_WEEKS: 28,
               MeetingRhythm.MONTHLY: 30}
# From the street towards her own home: later situations lean towards the right.
HOUSING_LADDER = (
    LivingSituation.STREET, LivingSituation.EMERGENCY_SHELTER,
    LivingSituation.FRIENDS_RELATIVES, LivingSituation.INSTITUTION,
    LivingSituation.TEMPORARY_HOUSING, LivingSituation.SUPPORTED_HOUSING,
    LivingSituation.OWN_LEASE,
)
DOMAINS = tuple(LifeDomain)
SHORT_DURATIONS = (5, 5, 10, 10, 15, 15, 20, 30)
LONG_DURATIONS = (15, 20, 30, 30, 45, 45, 60, 60, 90, 120)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole numbers in proportion to `weights`, summing exactly to it
    (largest remainders first; ties by position, so the split is deterministic)."""
    if not weights:
        return []
    whole = sum(weights) or 1.0
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    rest = total - sum(counts)
    for i in sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))[:rest]:
        counts[i] += 1
    return counts


# --- Writing -----------------------------------------------------------------------------


class Loader:
    """Buffers rows per table and writes them with executemany in chunks. Every flush
    writes all buffers in foreign-key order, so a row is written after anything it points
    at, whichever buffer filled first."""

    def __init__(self, echo: Callable[[str], None], started: float):
        self.echo = echo
        self.started = started
        self.tables = db.metadata.tables
        self.order = [table.name for table in db.metadata.sorted_tables]
        self.buffers: dict[str, list[dict]] = {}
        self.counts: Counter = Counter()
        self.last_id: dict[str, int] = {}
        self.written = 0
        self.reported = 0

    def new_id(self, table: str) -> int:
        if table not in self.last_id:
            self.last_id[table] = db.session.scalar(
                sa.select(sa.func.max(self.tables[table].c.id))) or 0
        self.last_id[table] += 1
        return self.last_id[table]

    def add(self, table: str, row: dict) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        copy = db.engine.dialect.name == "postgresql"
        for name in self.order:
            rows = self.buffers.pop(name, None)
            if rows:
                if copy:
                    self.copy(self.tables[name], rows)
                else:
                    db.session.execute(sa.insert(self.tables[name]), rows)
                self.counts[name] += len(rows)
                self.written += len(rows)
        if self.written - self.reported >= PROGRESS_EVERY:
            self.reported = self.written
            self.echo(f"  {self.written:>9,} rows written "
                      f"({clock.perf_counter() - self.started:.1f} s)")

    @staticmethod
    def copy(table: sa.Table, rows: list[dict]) -> None:
        """PostgreSQL: COPY FROM STDIN on the session's connection (in its transaction).
        executemany there costs a round trip per row: about 4x slower at this size."""
        columns = list(rows[0])
        as_json = [isinstance(table.c[name].type, sa.JSON) for name in columns]
        names = ", ".join(f'"{name}"' for name in columns)
        connection = db.session.connection().connection.dbapi_connection
        with connection.cursor() as cursor, \
                cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([
                    json.dumps(row[name]) if encode and row[name] is not None else row[name]
                    for name, encode in zip(columns, as_json, strict=True)
                ])


@dataclass
class PairPlan:
    id: int
    professional_id: int
    expert_id: int
    start_off: int  # the pair started this many days before today
    clients: list = field(default_factory=list)
    planning_days: int = 14  # the agreed rhythms, in days
    debrief_days: int = 14

    @property
    def first_off(self) -> int:
        """The first day of work recorded here (days before today)."""
        return min(WINDOW_DAYS, self.start_off - 7)


@dataclass
class ClientPlan:
    id: int
    pair: PairPlan
    created_off: int  # days before today
    end_off: int  # her last day of contact (days before today), >= 1
    closed_off: int | None
    weight: float
    created_at: datetime

    @property
    def span(self) -> int:
        return self.created_off - self.end_off + 1

    @property
    def active(self) -> bool:
        return self.closed_off is None


@dataclass
class Summary:
    counts: Counter
    seconds: float
    email_domain: str
    rollup: str


class Generator:
    def __init__(self, pairs: int, clients: int, contacts: int, seed: int, today: date,
                 echo: Callable[[str], None], no_contact_days: int = 14):
        self.n_pairs, self.n_clients, self.n_contacts = pairs, clients, contacts
        self.rng = random.Random(seed)  # noqa: S311 - generated data, not secrets
        self.today = today
        self.echo = echo
        self.no_contact_days = no_contact_days
        self.midnight = datetime.combine(today, time(0), tzinfo=UTC)
        self.started = clock.perf_counter()
        self.load = Loader(echo, self.started)
        self.pairs: list[PairPlan] = []
        self.clients: list[ClientPlan] = []
        self.services: list[int] = []
        self.with_meetings = False
        self.with_living_history = False

    # Moments: `off` days before today, `minutes` after midnight UTC of that day.
    def day(self, off: int) -> date:
        return self.today - timedelta(days=off)

    def at(self, off: int, minutes: int) -> datetime:
        return self.midnight - timedelta(days=off) + timedelta(minutes=minutes)

    def pick(self, values):
        return values[int(self.rng.random() * len(values))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def topics(self) -> list[str]:
        n = self.pick((0, 1, 1, 1, 2, 2, 3))
        chosen = set(self.rng.sample(range(len(DOMAINS)), n))
        return [DOMAINS[i].value for i in sorted(chosen)]

    def phase(self, name: str, since: float) -> None:
        self.echo(f"  {name} ({clock.perf_counter() - since:.1f} s)")

    # ------------------------------------------------------------------------------------

    def run(self, password_hash: str, email_domain: str, existing: set[str]) -> Summary:
        self.with_meetings = {"pair_meeting", "pair_meeting_revision", "meeting_action"} <= \
            existing
        with_check_ins = "check_in" in existing
        self.with_living_history = "living_situation_change" in existing and \
            "living_situation_change" in db.metadata.tables
        steps = [
            ("people and pairs", lambda: self.people(password_hash, email_domain)),
            ("services", self.load_services),
            ("clients and consents", self.clients_and_consents),
            ("mappings, challenges and steps", self.mappings_and_steps),
            ("tasks", self.tasks),
            ("contacts", self.contacts),
            ("accompaniments", self.accompaniments),
            ("network contacts", self.network_contacts),
            ("anonymous encounters", self.encounters),
        ]
        if self.with_meetings:
            steps.append(("pair meetings", self.meetings))
        if with_check_ins:
            steps.append(("well-being check-ins", self.check_ins))
        for name, step in steps:
            since = clock.perf_counter()
            step()
            self.phase(name, since)
        self.load.flush()
        since = clock.perf_counter()
        self.code_counters()
        self.denormalise()
        self.phase("per-client figures (last contact, last record)", since)
        if db.engine.dialect.name == "postgresql":
            self.move_sequences()
        return Summary(self.load.counts, clock.perf_counter() - self.started, email_domain, "")

    # --- People, pairs, agreements -------------------------------------------------------

    def person(self, n: int) -> str:
        return f"{STAFF_NAMES[n % len(STAFF_NAMES)]} {SURNAMES[(n * 7 + 3) % len(SURNAMES)]}"

    def user(self, email: str, name: str, role: Role, password_hash: str, off: int) -> int:
        user_id = self.load.new_id("user_account")
        self.load.add("user_account", {
            "id": user_id, "email": email, "name": name, "role": role.value,
            "language": self.pick(("fi",) * 8 + ("sv", "en")), "active": True,
            "password_hash": password_hash, "must_change_password": False,
            # Part of the sign-in cookie: secret, so not from the seeded generator.
            "session_token": secrets.token_urlsafe(32),
            "created_at": self.at(off, 6 * 60), "totp_secret": None, "totp_enabled_at": None,
            "totp_last_counter": None,
        })
        return user_id

    def people(self, password_hash: str, domain: str) -> None:
        oldest = WINDOW_DAYS + 400
        self.user(f"admin@{domain}", "Aino Ylläpitäjä", Role.ADMIN, password_hash, oldest)
        supervisors = [
            self.user(f"supervisor{n}@{domain}", f"{self.person(n + 40)} (esihenkilö)",
                      Role.SUPERVISOR, password_hash, oldest)
            for n in range(1, max(1, math.ceil(self.n_pairs / 10)) + 1)
        ]
        for n in range(1, self.n_pairs + 1):
            # Most pairs worked through the whole window; some started within it.
            start_off = (self.rng.randint(WINDOW_DAYS + 30, WINDOW_DAYS + 300)
                         if self.chance(0.8) else self.rng.randint(120, WINDOW_DAYS))
            pro = self.user(f"pro{n}@{domain}", self.person(2 * n), Role.PROFESSIONAL,
                            password_hash, start_off + 10)
            expert = self.user(f"expert{n}@{domain}", self.person(2 * n + 1), Role.EXPERT,
                               password_hash, start_off + 10)
            pair_id = self.load.new_id("pair")
            self.load.add("pair", {
                "id": pair_id, "professional_id": pro, "expert_id": expert,
                "supervisor_id": supervisors[(n - 1) % len(supervisors)],
                "starts_on": self.day(start_off), "ends_on": None, "end_reason": None,
                "ended_by_id": None, "created_at": self.at(start_off + 5, 7 * 60),
                "no_contact_days": self.no_contact_days,
            })
            plan = PairPlan(pair_id, pro, expert, start_off)
            self.pairs.append(plan)
            self.agreement(plan)

    def agreement(self, pair: PairPlan) -> None:
        met_off = pair.start_off - 3
        signed = self.day(met_off)
        row = dict.fromkeys(EDITABLE_FIELDS)
        for name in EDITABLE_FIELDS:
            if name.startswith(("values_", "roles_")):
                row[name] = self.pick(AGREEMENT_TEXT)
        agreement_id = self.load.new_id("pair_agreement")
        row.update({
            "id": agreement_id, "pair_id": pair.id, "version": 1, "meeting_date": signed,
            "volunteer_signed_on": signed, "confidentiality_signed_on": signed,
            "challenging_situations_plan": "Uhkaavassa tilanteessa poistutaan yhdessä ja "
                                           "soitetaan tarvittaessa 112.",
            "planning_rhythm": self.pick(RHYTHMS[:3]).value,
            "debrief_rhythm": self.pick(RHYTHMS).value,
            "practical_matters": "Tavataan toimistolla klo 9; poissaoloista tekstiviesti.",
            "professional_asks_help": "Sanoo suoraan tai kirjoittaa viestin.",
            "expert_asks_help": "Soittaa tai pyytää purkukeskustelua.",
            "created_at": self.at(met_off, 10 * 60),
        })
        self.load.add("pair_agreement", row)
        self.load.add("pair_agreement_edit", {
            "id": self.load.new_id("pair_agreement_edit"), "agreement_id": agreement_id,
            "edited_by_id": pair.professional_id, "at": self.at(met_off, 11 * 60),
            "changed_fields": ",".join(EDITABLE_FIELDS),
        })
        pair.planning_days = RHYTHM_DAYS[MeetingRhythm(row["planning_rhythm"])]
        pair.debrief_days = RHYTHM_DAYS[MeetingRhythm(row["debrief_rhythm"])]

    def load_services(self) -> None:
        """The demo catalogue, unless the database has services already; then those."""
        self.load.flush()
        load_services()
        db.session.flush()
        self.services = list(db.session.scalars(
            sa.select(Service.id).where(Service.active.is_(True)).order_by(Service.id)))
        if not self.services:
            raise RuntimeError("No active service in the catalogue.")

    # --- Clients ------------------------------------------------------------------------

    def clients_and_consents(self) -> None:
        per_pair = allocate(self.n_clients, [self.rng.uniform(0.7, 1.3) for _ in self.pairs])
        plans = []
        for pair, count in zip(self.pairs, per_pair, strict=True):
            first = pair.first_off
            for _ in range(count):
                if self.chance(0.35):  # the caseload the pair had when the window began
                    created = self.rng.randint(max(1, first - 30), first)
                else:
                    created = self.rng.randint(1, first)
                closed = None
                if created > 45 and self.chance(0.15):
                    closed = self.rng.randint(1, created - 30)
                    end = closed + self.rng.randint(0, 20)
                elif self.chance(0.8):
                    end = 1
                else:  # not reached for a while
                    end = self.rng.randint(15, 120)
                end = min(max(end, 1), created)
                minutes = self.rng.randint(5 * 60, 7 * 60)
                plans.append((pair, created, end, closed, minutes))
        # Codes run in the order the records were created, as in the app.
        order = sorted(range(len(plans)), key=lambda i: (-plans[i][1], plans[i][4], i))
        numbers = self.code_numbers()
        for i in order:
            pair, created, end, closed, minutes = plans[i]
            client_id = self.load.new_id("client")
            created_at = self.at(created, minutes)
            plan = ClientPlan(client_id, pair, created, end, closed,
                              (created - end + 1) * self.rng.uniform(0.3, 2.0), created_at)
            self.clients.append(plan)
            pair.clients.append(plan)
            year = self.day(created).year
            numbers[year] = numbers.get(year, 0) + 1
            self.client_row(plan, f"A-{year}-{numbers[year]:04d}")
            self.consent(plan)
        self.code_numbers_used = numbers

    def code_numbers(self) -> dict[int, int]:
        """The last code number used per year, so new codes continue after them."""
        numbers = dict(db.session.execute(
            sa.select(ClientCodeCounter.year, ClientCodeCounter.last_number)).all())
        # Codes made outside the counter (should not happen) are skipped as well.
        for code in db.session.scalars(sa.select(Client.code).where(Client.code.like("A-%"))):
            parts = code.split("-")
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                year, number = int(parts[1]), int(parts[2])
                numbers[year] = max(numbers.get(year, 0), number)
        return numbers

    def client_row(self, plan: ClientPlan, code: str) -> None:
        rng = self.rng
        history = self.living_history(plan)
        name = f"{self.pick(CLIENT_NAMES)} {chr(ord('A') + rng.randint(0, 25))}."
        phone = f"040 000 {rng.randint(0, 9999):04d}" if self.chance(0.5) else None
        self.load.add("client", {
            "id": plan.id, "pair_id": plan.pair.id, "code": code, "name": name,
            "birth_year": rng.randint(1950, 2004) if self.chance(0.7) else None,
            "phone": phone, "phone_digits": phone.replace(" ", "") if phone else None,
            "usual_place": self.pick(PLACES) if self.chance(0.8) else None,
            "living_situation": history[-1][1].value, "safety_notes":
                "Soita ensin ja kysy, voiko puhua." if self.chance(0.05) else None,
            "status": ClientStatus.ACTIVE.value if plan.active else ClientStatus.CLOSED.value,
            "closed_on": self.day(plan.closed_off) if plan.closed_off else None,
            "closed_reason": self.pick(CLOSE_REASONS) if plan.closed_off else None,
            "created_at": plan.created_at,
            "created_by_id": self.pick((plan.pair.professional_id, plan.pair.expert_id)),
            # Counted from her records at the end (denormalise()).
            "last_contact_at": None, "last_record_at": plan.created_at,
            "merged_into_id": None, "anonymised_at": None, "anonymised_reason": None,
            "version": 1,
        })
        if self.with_living_history:
            for at, situation in history:
                self.load.add("living_situation_change", {
                    "id": self.load.new_id("living_situation_change"), "client_id": plan.id,
                    "living_situation": situation.value, "at": at,
                    "by_id": plan.pair.professional_id,
                })
        if plan.closed_off:
            self.load.add("client_status_change", {
                "id": self.load.new_id("client_status_change"), "client_id": plan.id,
                "status": ClientStatus.CLOSED.value, "day": self.day(plan.closed_off),
                "reason": None, "created_by_id": plan.pair.professional_id,
                "created_at": self.at(plan.closed_off, 14 * 60),
            })

    def living_history(self, plan: ClientPlan) -> list[tuple[datetime, LivingSituation]]:
        """Her living situation when her record was made, then 0-3 changes during her
        time with the pair, mostly towards housing; the last one is her current one."""
        situation = self.pick(LIVING)
        history = [(plan.created_at, situation)]
        changes = min(self.pick((0, 0, 1, 1, 2, 3)), plan.span // 60)
        days = sorted({self.rng.randint(plan.end_off, plan.created_off - 1)
                       for _ in range(changes)}, reverse=True) if changes else []
        for off in days:
            rank = HOUSING_LADDER.index(situation) if situation in HOUSING_LADDER else 0
            better = HOUSING_LADDER[rank + 1:]
            situation = self.pick(better) if better and self.chance(0.6) else self.pick(LIVING)
            history.append((self.at(off, 12 * 60 + self.rng.randint(0, 180)), situation))
        return history

    def consent(self, plan: ClientPlan) -> None:
        consent_id = self.load.new_id("consent")
        withdrawn = plan.closed_off is not None and self.chance(0.2)
        expires = None
        if self.chance(0.2):
            expires = (self.today + timedelta(days=self.rng.randint(10, 400)) if plan.active
                       else self.day(plan.created_off) + timedelta(days=365))
        contact_services = self.chance(0.6)
        self.load.add("consent", {
            "id": consent_id, "client_id": plan.id, "given_on": self.day(plan.created_off),
            "form": self.pick(("verbal", "verbal", "written")), "keep_records": True,
            "contact_services": contact_services, "expires_on": expires,
            "recorded_by_id": plan.pair.professional_id,
            "created_at": plan.created_at + timedelta(minutes=5),
            "withdrawn_on": self.day(plan.closed_off) if withdrawn else None,
            "withdrawn_at": self.at(plan.closed_off, 15 * 60) if withdrawn else None,
            "withdrawal_effect": "keep" if withdrawn else None,
            "withdrawn_by_id": plan.pair.professional_id if withdrawn else None,
        })
        if contact_services:
            for service_id in self.rng.sample(self.services, min(len(self.services),
                                                                  self.rng.randint(1, 3))):
                self.load.add("consent_service", {"consent_id": consent_id,
                                                  "service_id": service_id})
        if self.chance(0.3):
            for service_id in self.rng.sample(self.services, min(len(self.services),
                                                                  self.rng.randint(1, 2))):
                self.load.add("consent_share_service", {"consent_id": consent_id,
                                                        "service_id": service_id})

    def days_in(self, plan: ClientPlan) -> int:
        """A day of her time with the pair (days before today)."""
        return self.rng.randint(plan.end_off, plan.created_off)

    def after(self, plan: ClientPlan, off: int, days: int) -> int:
        """`days` after the day `off`, but not past her last day."""
        return max(plan.end_off, off - days)

    # --- Mappings, challenges, steps -----------------------------------------------------

    def mappings_and_steps(self) -> None:
        for plan in self.clients:
            pro, expert = plan.pair.professional_id, plan.pair.expert_id
            count = max(1, min(5, plan.span // 150 + self.rng.randint(0, 1)))
            first = self.after(plan, plan.created_off, self.rng.randint(0, 14))
            gap = max(1, (first - plan.end_off) // count)
            ratings = [self.rng.randint(1, 4) for _ in DOMAINS]
            first_ratings = None
            for n in range(count):
                off = max(plan.end_off, first - n * gap)
                mapping_id = self.load.new_id("mapping")
                self.load.add("mapping", {
                    "id": mapping_id, "client_id": plan.id, "mapped_on": self.day(off),
                    "what_matters_most": self.pick(WHAT_MATTERS) if self.chance(0.6) else None,
                    "created_by_id": pro, "created_at": self.at(off, 13 * 60 + n),
                })
                if n:
                    ratings = [min(5, max(1, r + self.pick((-1, 0, 0, 1, 1)))) for r in ratings]
                first_ratings = first_ratings or list(ratings)
                for domain, rating in zip(DOMAINS, ratings, strict=True):
                    self.load.add("mapping_rating", {
                        "id": self.load.new_id("mapping_rating"), "mapping_id": mapping_id,
                        "domain": domain.value,
                        "rating": None if self.chance(0.1) else rating,
                        "notes": self.pick(RATING_NOTES) if self.chance(0.15) else None,
                    })
            worst = sorted(range(len(DOMAINS)), key=lambda i: (first_ratings[i], i))
            for c in range(self.pick((0, 1, 1, 2, 2, 3))):
                self.challenge(plan, DOMAINS[worst[c]], first, pro, expert)

    def challenge(self, plan: ClientPlan, domain: LifeDomain, mapped_off: int,
                  pro: int, expert: int) -> None:
        off = self.after(plan, mapped_off, self.rng.randint(0, 10))
        challenge_id = self.load.new_id("challenge")
        status, closed_off = ChallengeStatus.OPEN, None
        if off > 120 and self.chance(0.6):
            status = (ChallengeStatus.RESOLVED if self.chance(0.8)
                      else ChallengeStatus.NO_LONGER_RELEVANT)
            closed_off = self.after(plan, off, self.rng.randint(30, 110))
        self.load.add("challenge", {
            "id": challenge_id, "client_id": plan.id, "domain": domain.value,
            "description": CHALLENGES[domain], "status": status.value,
            "closed_on": self.day(closed_off) if closed_off else None,
            "closed_by_id": pro if closed_off else None,
            "created_by_id": pro, "created_at": self.at(off, 13 * 60 + 30), "version": 1,
        })
        for n in range(self.rng.randint(1, 4)):
            step_off = self.after(plan, off, 7 * n)
            step_id = self.load.new_id("step")
            decision = self.pick(DECISIONS)
            assignee = self.pick(STEP_ASSIGNEES)
            recorder = self.pick((pro, expert))
            recorded_at = (self.at(step_off, 14 * 60 + n) if decision != Decision.PENDING
                           else None)
            due_off = step_off - self.rng.randint(7, 21)  # may lie ahead (negative)
            state = StepState.DROPPED if decision == Decision.DECLINED else StepState.OPEN
            task = None
            if decision == Decision.AGREED:
                assignee_task = STEP_TO_TASK[assignee]
                task = self.task_row(plan.pair, plan.id, self.pick(STEP_PROPOSALS),
                                     assignee_task, due_off, step_off, TaskOrigin.STEP,
                                     step_id=step_id, closes_by=plan.closed_off)
                state = {TaskStatus.DONE: StepState.DONE, TaskStatus.DROPPED: StepState.DROPPED,
                         TaskStatus.OPEN: StepState.OPEN}[task["status"]]
            self.load.add("step", {
                "id": step_id, "challenge_id": challenge_id, "client_id": plan.id,
                "proposal": task["title"] if task else self.pick(STEP_PROPOSALS),
                "proposed_by": self.pick(tuple(Proposer)).value,
                "proposed_by_user_id": self.pick((pro, expert)), "decision": decision.value,
                "decision_recorded_by_id": recorder if recorded_at else None,
                "decision_recorded_at": recorded_at, "assignee": assignee.value,
                "due_on": self.day(due_off), "state": state.value,
                "created_at": self.at(step_off, 14 * 60), "version": 1,
            })
            if task is not None:
                # The task points at the step: written after it (the buffers keep FK order).
                self.load.add("task", task)
            if recorded_at is not None:
                self.load.add("step_decision", {
                    "id": self.load.new_id("step_decision"), "step_id": step_id,
                    "decision": decision.value, "recorded_by_id": recorder,
                    "recorded_at": recorded_at, "note": None,
                })

    # --- Tasks -------------------------------------------------------------------------

    def task_row(self, pair: PairPlan, client_id: int | None, title: str, assignee: Assignee,
                 due_off: int | None, created_off: int, origin: TaskOrigin,
                 step_id: int | None = None, closes_by: int | None = None) -> dict:
        """A task due `due_off` days before today (negative: ahead, None: no date). Past
        ones are mostly done, some dropped, some still open (overdue)."""
        status, done_off = TaskStatus.OPEN, None
        if closes_by is not None and due_off is not None:
            due_off = max(due_off, closes_by)  # nothing of hers is due after she left
        if due_off is not None and due_off >= 1:
            roll = self.rng.random()
            # Overdue ones are recent: older work has been done or dropped by now.
            if closes_by is not None or due_off > 30 or roll >= 0.25:
                status = TaskStatus.DONE if self.rng.random() < 0.94 else TaskStatus.DROPPED
                done_off = max(1, due_off - self.rng.randint(-3, 1))
        elif due_off is None and created_off > 30 and self.chance(0.9):
            status, done_off = TaskStatus.DONE, max(1, created_off - self.rng.randint(1, 30))
        if closes_by is not None and status == TaskStatus.OPEN:
            status, done_off = TaskStatus.DROPPED, closes_by
        done_by = None
        if done_off is not None:
            done_by = pair.expert_id if assignee == Assignee.EXPERT else pair.professional_id
            done_off = min(done_off, created_off)
        return {
            "id": self.load.new_id("task"), "pair_id": pair.id, "client_id": client_id,
            "step_id": step_id, "origin": origin.value, "title": title[:200],
            "assignee": assignee.value,
            "due_on": self.day(due_off) if due_off is not None else None,
            "due_time": time(self.rng.randint(8, 16), self.pick((0, 30)))
            if due_off is not None and self.chance(0.3) else None,
            "status": status.value,
            "drop_reason": "Ei enää tarpeen." if status == TaskStatus.DROPPED else None,
            "created_by_id": self.pick((pair.professional_id, pair.expert_id)),
            "created_at": self.at(created_off, 8 * 60 + self.rng.randint(0, 120)),
            "done_at": self.at(done_off, 15 * 60) if done_off is not None else None,
            "done_by_id": done_by, "version": 1,
        }

    def tasks(self) -> None:
        for plan in self.clients:
            for _ in range(plan.span // 45 + self.rng.randint(0, 1)):
                created = self.days_in(plan)
                if plan.active and plan.end_off == 1 and created < 14 and self.chance(0.5):
                    due = -self.rng.randint(0, 14)  # ahead
                elif self.chance(0.04):
                    due = None
                else:
                    due = max(1, created - self.rng.randint(1, 14))
                self.load.add("task", self.task_row(
                    plan.pair, plan.id, self.pick(TASK_TITLES), self.pick(TASK_ASSIGNEES),
                    due, created, TaskOrigin.DIRECT, closes_by=plan.closed_off))
        for pair in self.pairs:
            for week in range(pair.first_off // 7):
                created = pair.first_off - 7 * week
                self.load.add("task", self.task_row(
                    pair, None, self.pick(PAIR_TASK_TITLES),
                    self.pick((Assignee.PAIR, Assignee.PROFESSIONAL, Assignee.EXPERT)),
                    max(1, created - self.rng.randint(0, 6)), created, TaskOrigin.DIRECT))
            for ahead in range(4):
                self.load.add("task", self.task_row(
                    pair, None, self.pick(PAIR_TASK_TITLES), Assignee.PAIR,
                    -(2 + 3 * ahead), 1, TaskOrigin.DIRECT))

    # --- Contacts -------------------------------------------------------------------------

    def contacts(self) -> None:
        counts = allocate(self.n_contacts, [plan.weight for plan in self.clients])
        rng, pick = self.rng, self.pick
        for plan, count in zip(self.clients, counts, strict=True):
            pro, expert = plan.pair.professional_id, plan.pair.expert_id
            for n in range(count):
                # Her first contact is the day she was registered, her last her last day.
                if n == 0:
                    off = plan.created_off
                elif n == count - 1:
                    off = plan.end_off
                else:
                    off = rng.randint(plan.end_off, plan.created_off)
                minutes = rng.randint(7 * 60 + 30, 17 * 60)
                contacted_at = self.at(off, minutes)
                channel = pick(CHANNELS)
                who = pick(PARTICIPANTS)
                by = expert if who == Participants.EXPERT else (
                    pro if who == Participants.PROFESSIONAL else pick((pro, expert)))
                task_id = None
                if rng.random() < CONTACT_TASK_SHARE:
                    task = self.task_row(plan.pair, plan.id, pick(TASK_TITLES), pick(
                        TASK_ASSIGNEES), off - rng.randint(2, 10), off, TaskOrigin.CONTACT,
                        closes_by=plan.closed_off)
                    task["created_at"] = contacted_at + timedelta(minutes=20)
                    self.load.add("task", task)
                    task_id = task["id"]
                self.load.add("contact", {
                    "id": self.load.new_id("contact"), "client_id": plan.id,
                    "pair_id": plan.pair.id, "contacted_at": contacted_at,
                    "duration_minutes": pick(SHORT_DURATIONS if channel in (
                        Channel.PHONE, Channel.TEXT_MESSAGE) else LONG_DURATIONS),
                    "channel": channel.value, "participants": who.value,
                    "topics": self.topics(),
                    "note": pick(CONTACT_NOTES) if rng.random() < 0.6 else None,
                    "task_id": task_id, "created_by_id": by,
                    "created_at": contacted_at + timedelta(minutes=rng.randint(1, 120)),
                    "version": 1,
                })

    def accompaniments(self) -> None:
        total = round(self.n_contacts * ACCOMPANIMENT_SHARE)
        counts = allocate(total, [plan.weight for plan in self.clients])
        rng, pick = self.rng, self.pick
        for plan, count in zip(self.clients, counts, strict=True):
            pro, expert = plan.pair.professional_id, plan.pair.expert_id
            for _ in range(count):
                off = self.days_in(plan)
                took_place = self.at(off, rng.randint(8 * 60, 14 * 60))
                who = pick(WHO_WENT)
                by = expert if who == Participants.EXPERT else pro
                planned_before = rng.random() < 0.5
                outcome = pick(OUTCOMES)
                next_step, task_id = None, None
                if rng.random() < 0.3:
                    next_step = pick(NEXT_STEPS)
                    if rng.random() < 0.3:
                        task = self.task_row(plan.pair, plan.id, next_step, pick(
                            TASK_ASSIGNEES), off - rng.randint(3, 14), off,
                            TaskOrigin.ACCOMPANIMENT, closes_by=plan.closed_off)
                        self.load.add("task", task)
                        task_id = task["id"]
                minutes_spent = rng.randint(3, 16) * 15
                self.load.add("accompaniment", self.accompaniment_row(
                    plan, by, took_place, planned_before, outcome, who, minutes_spent,
                    next_step, task_id))
            # Ahead: an accompaniment planned for the next two weeks (the week plan), and
            # now and then one whose outcome is not recorded yet.
            if plan.active and plan.end_off == 1 and rng.random() < 0.06:
                planned = self.at(-rng.randint(1, 14), rng.randint(8 * 60, 14 * 60))
                self.load.add("accompaniment", self.planned_row(plan, pro, planned))
            elif plan.active and plan.end_off == 1 and rng.random() < 0.01:
                planned = self.at(rng.randint(1, 3), rng.randint(8 * 60, 14 * 60))
                self.load.add("accompaniment", self.planned_row(plan, expert, planned))

    def accompaniment_row(self, plan, by, took_place, planned_before, outcome, who,
                          minutes_spent, next_step, task_id) -> dict:
        recorded = took_place + timedelta(minutes=minutes_spent + 30)
        return {
            "id": self.load.new_id("accompaniment"), "client_id": plan.id,
            "pair_id": plan.pair.id, "service_id": self.pick(self.services),
            "purpose": self.pick(PURPOSES),
            "planned_at": took_place if planned_before else None, "took_place_at": took_place,
            "minutes_spent": minutes_spent if outcome != Outcome.DID_NOT_COME else 30,
            "who_went": who.value,
            "expert_supported_interaction": who != Participants.PROFESSIONAL
            and self.rng.random() < 0.7,
            "outcome": outcome.value, "outcome_recorded_by_id": by,
            "outcome_recorded_at": recorded, "next_step": next_step, "task_id": task_id,
            "created_by_id": by,
            "created_at": took_place - timedelta(days=3) if planned_before else recorded,
            "version": 1,
        }

    def planned_row(self, plan, by, planned) -> dict:
        return {
            "id": self.load.new_id("accompaniment"), "client_id": plan.id,
            "pair_id": plan.pair.id, "service_id": self.pick(self.services),
            "purpose": self.pick(PURPOSES), "planned_at": planned, "took_place_at": None,
            "minutes_spent": None, "who_went": self.pick(WHO_WENT).value,
            "expert_supported_interaction": False, "outcome": None,
            "outcome_recorded_by_id": None, "outcome_recorded_at": None, "next_step": None,
            "task_id": None, "created_by_id": by,
            "created_at": self.at(self.rng.randint(4, 10), 9 * 60), "version": 1,
        }

    def network_contacts(self) -> None:
        total = round(self.n_contacts * NETWORK_SHARE)
        counts = allocate(total, [plan.weight for plan in self.clients])
        rng, pick = self.rng, self.pick
        for plan, count in zip(self.clients, counts, strict=True):
            pro = plan.pair.professional_id
            for _ in range(count):
                off = self.days_in(plan)
                contacted = self.at(off, rng.randint(8 * 60, 15 * 60))
                in_catalogue = rng.random() < 0.7
                next_step, task_id = None, None
                if rng.random() < 0.25:
                    next_step = pick(NEXT_STEPS)
                    if rng.random() < 0.4:
                        task = self.task_row(plan.pair, plan.id, next_step, Assignee.PROFESSIONAL,
                                             off - rng.randint(3, 14), off,
                                             TaskOrigin.NETWORK_CONTACT,
                                             closes_by=plan.closed_off)
                        self.load.add("task", task)
                        task_id = task["id"]
                self.load.add("network_contact", {
                    "id": self.load.new_id("network_contact"), "client_id": plan.id,
                    "pair_id": plan.pair.id,
                    "service_id": pick(self.services) if in_catalogue else None,
                    "organisation": None if in_catalogue else pick(ORGANISATIONS),
                    "person": pick(PEOPLE) if rng.random() < 0.5 else None,
                    "channel": pick(NETWORK_CHANNELS).value, "topic": pick(NETWORK_TOPICS),
                    "outcome": pick(NETWORK_OUTCOMES) if rng.random() < 0.7 else None,
                    "next_step": next_step, "task_id": task_id, "contacted_at": contacted,
                    "consent_warning_overridden_reason": None, "created_by_id": pro,
                    "created_at": contacted + timedelta(minutes=rng.randint(1, 60)),
                    "version": 1,
                })

    def encounters(self) -> None:
        total = round(self.n_contacts * ENCOUNTER_SHARE)
        counts = allocate(total, [len(pair.clients) + 1.0 for pair in self.pairs])
        rng, pick = self.rng, self.pick
        for pair, count in zip(self.pairs, counts, strict=True):
            for _ in range(count):
                off = rng.randint(1, pair.first_off)
                met_by = pick(MET_BY)
                self.load.add("anonymous_encounter", {
                    "id": self.load.new_id("anonymous_encounter"), "pair_id": pair.id,
                    "met_on": self.day(off), "area": pick(AREAS), "age_group": pick(
                        AGE_GROUPS).value, "topics": self.topics(),
                    "people_count": pick((1, 1, 1, 1, 2, 2, 3, 4)), "met_by": met_by.value,
                    "note": "Annettiin yhteystiedot." if rng.random() < 0.3 else None,
                    "created_by_id": pair.expert_id if met_by == MetBy.EXPERT
                    else pair.professional_id,
                    "created_at": self.at(off, rng.randint(9 * 60, 17 * 60)), "version": 1,
                })

    # --- Meetings and check-ins (when those tables exist) ---------------------------------

    def meeting(self, pair: PairPlan, kind: str, off: int, supervisor: str | None) -> int:
        meeting_id = self.load.new_id("pair_meeting")
        notes = self.pick(MEETING_NOTES)
        created = self.at(off, 12 * 60)
        self.load.add("pair_meeting", {
            "id": meeting_id, "pair_id": pair.id, "kind": kind, "held_on": self.day(off),
            "starts_at": time(self.pick((9, 10, 13, 14)), 0),
            "duration_minutes": self.pick((30, 45, 60, 90)),
            "external_supervisor": supervisor, "professional_present": True,
            "expert_present": self.rng.random() < 0.95, "others_present": None,
            "notes": notes, "created_by_id": pair.professional_id, "created_at": created,
            "version": 1,
        })
        self.load.add("pair_meeting_revision", {
            "id": self.load.new_id("pair_meeting_revision"), "meeting_id": meeting_id,
            "edited_by_id": pair.professional_id, "at": created, "is_creation": True,
            "changed_fields": "", "notes": notes,
        })
        return meeting_id

    def meetings(self) -> None:
        for pair in self.pairs:
            if pair.start_off - 3 <= WINDOW_DAYS:
                self.meeting(pair, "start_up", pair.start_off - 3, None)
            for kind, every in (("planning", pair.planning_days),
                                ("debrief", pair.debrief_days), ("supervision", 30)):
                off = pair.first_off - self.rng.randint(0, every - 1)
                while off >= 1:
                    # Now and then a meeting is missed: the rhythm shows on the dashboard.
                    if self.rng.random() < 0.9:
                        meeting_id = self.meeting(
                            pair, kind, off,
                            self.pick(EXTERNAL_SUPERVISORS) if kind == "supervision" else None)
                        if kind == "planning" and self.rng.random() < 0.2:
                            task = self.task_row(pair, None, self.pick(PAIR_TASK_TITLES),
                                                 Assignee.PAIR, off - 7, off,
                                                 TaskOrigin.MEETING)
                            self.load.add("task", task)
                            self.load.add("meeting_action", {"meeting_id": meeting_id,
                                                             "task_id": task["id"]})
                    off -= every + self.rng.randint(-2, 2)

    def check_ins(self) -> None:
        for pair in self.pairs:
            base = self.rng.randint(1, 4)  # some pairs carry more
            for week in range(pair.first_off // 7):
                off = pair.first_off - 7 * week - self.rng.randint(0, 6)
                if off < 1 or self.rng.random() > 0.6:
                    continue
                strain = min(5, max(1, base + self.pick((-1, 0, 0, 1))))
                created = self.at(off, self.rng.randint(13 * 60, 16 * 60))
                waiting = off <= 7 and self.rng.random() < 0.5
                ack_off = max(1, off - self.rng.randint(0, 4))
                self.load.add("check_in", {
                    "id": self.load.new_id("check_in"), "pair_id": pair.id,
                    "expert_id": pair.expert_id, "strain": strain,
                    "wants_to_talk": strain >= 4 and self.rng.random() < 0.7,
                    "note": self.pick(CHECK_IN_NOTES) if self.rng.random() < 0.5 else None,
                    "created_at": created,
                    "acknowledged_at": None if waiting else max(
                        created, self.at(ack_off, 15 * 60)),
                    "acknowledged_by_id": None if waiting else pair.professional_id,
                    "talked_on": None if waiting else self.day(ack_off), "ack_note": None,
                })

    # --- After the rows -----------------------------------------------------------------

    def code_counters(self) -> None:
        existing = dict(db.session.execute(
            sa.select(ClientCodeCounter.year, ClientCodeCounter.last_number)).all())
        for year, number in sorted(self.code_numbers_used.items()):
            if year in existing:
                db.session.execute(
                    sa.update(ClientCodeCounter).where(ClientCodeCounter.year == year)
                    .values(last_number=max(number, existing[year])))
            else:
                db.session.execute(sa.insert(ClientCodeCounter.__table__),
                                   [{"year": year, "last_number": number}])

    def denormalise(self) -> None:
        """client.last_contact_at and last_record_at from her records, as the app keeps
        them on write: one UPDATE ... FROM (SELECT client_id, max(...)) per table."""
        first_id = self.clients[0].id if self.clients else None
        if first_id is None:
            return
        client = Client.__table__

        def raise_to(column, table, moment, *conditions) -> None:
            agg = (sa.select(table.c.client_id.label("client_id"),
                             sa.func.max(moment).label("moment"))
                   .where(table.c.client_id >= first_id, moment.is_not(None), *conditions)
                   .group_by(table.c.client_id).subquery())
            db.session.execute(
                sa.update(client)
                .where(client.c.id == agg.c.client_id, client.c.id >= first_id)
                .values({column.name: sa.case(
                    (sa.or_(column.is_(None), column < agg.c.moment), agg.c.moment),
                    else_=column)}))

        contact, accompaniment = Contact.__table__, Accompaniment.__table__
        last_contact, last_record = client.c.last_contact_at, client.c.last_record_at
        # Her last contact: contacts, and accompaniments in which the pair met her.
        raise_to(last_contact, contact, contact.c.contacted_at)
        raise_to(last_contact, accompaniment, accompaniment.c.took_place_at,
                 accompaniment.c.outcome.in_([o.value for o in MET_OUTCOMES]))
        # Her last record: anything recorded about her (client.touch() in the app).
        for table, columns in (
            (contact, ("created_at",)),
            (accompaniment, ("created_at", "outcome_recorded_at")),
            (NetworkContact.__table__, ("created_at",)),
            (Mapping.__table__, ("created_at",)),
            (Challenge.__table__, ("created_at",)),
            (Step.__table__, ("created_at", "decision_recorded_at")),
            (Task.__table__, ("created_at", "done_at")),
            (Consent.__table__, ("created_at",)),
            (ClientStatusChange.__table__, ("created_at",)),
            *([(db.metadata.tables["living_situation_change"], ("at",))]
              if self.with_living_history else []),
        ):
            for name in columns:
                raise_to(last_record, table, table.c[name])

    def move_sequences(self) -> None:
        """PostgreSQL: the ids were given here; move each sequence past them."""
        for name in self.load.last_id:
            db.session.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM \"{name}\"))"))


# --- The command's work ----------------------------------------------------------------------


class RefusedError(Exception):
    pass


def existing_tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def migrate_if_needed(echo) -> None:
    """An empty database, or one managed by the migrations, is brought to the newest
    schema; one built otherwise (db.create_all(), as in the tests) is used as it is."""
    tables = existing_tables()
    if not tables or "alembic_version" in tables:
        from flask_migrate import upgrade  # the CLI's own dependency, loaded when migrating

        echo("Migrating the database to the newest schema.")
        upgrade()


def email_domain() -> str:
    """scale.test, or run2.scale.test, run3... when an earlier run's accounts are there."""
    taken = set(db.session.scalars(
        sa.select(User.email).where(User.email.like(f"admin@%{EMAIL_DOMAIN}"))))
    if f"admin@{EMAIL_DOMAIN}" not in taken:
        return EMAIL_DOMAIN
    n = 2
    while f"admin@run{n}.{EMAIL_DOMAIN}" in taken:
        n += 1
    return f"run{n}.{EMAIL_DOMAIN}"


def rollup_module():
    """The dashboard's rollup (outreach.dashboard.rollup), when the app has one."""
    if importlib.util.find_spec("outreach.dashboard") is None or \
            importlib.util.find_spec("outreach.dashboard.rollup") is None:
        return None
    return importlib.import_module("outreach.dashboard.rollup")


def rollup_paused():
    """While loading, the rollup collects nothing: it is rebuilt once at the end."""
    rollup = rollup_module()
    if rollup is None or not hasattr(rollup, "paused"):
        return contextlib.nullcontext()
    return rollup.paused(db.session())


def rebuild_rollup(echo) -> str:
    rollup = rollup_module()
    if rollup is None:
        echo("  No dashboard rollup in this version of the app: nothing to rebuild.")
        return "absent"
    since = clock.perf_counter()
    try:
        rollup.rebuild(pair_ids=None)
        db.session.commit()
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
        echo(f"  The dashboard rollup was NOT rebuilt ({reason}); the generated data is saved.")
        return "failed"
    echo(f"  dashboard rollup rebuilt ({clock.perf_counter() - since:.1f} s)")
    return "rebuilt"


def _sqlite_defaults(dbapi_connection, checkpoint: bool = False) -> None:
    """After the transaction (SQLite refuses inside one): the app's own settings again
    (outreach._sqlite_pragmas), SQLite's default cache size, and the write-ahead log
    copied into the database file and emptied."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    dbapi_connection.execute("PRAGMA cache_size=-2000")
    if checkpoint:
        dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def generate(pairs: int, clients: int, contacts: int, seed: int, today: date,
             force: bool, echo: Callable[[str], None]) -> Summary:
    """Fill the configured database; see the module's docstring. Refuses (RefusedError) a
    database that has clients already unless `force`, which adds alongside them."""
    if contacts and not clients:
        raise RefusedError("Contacts need clients: give --clients 1 or more.")
    migrate_if_needed(echo)
    tables = existing_tables()
    if missing := [name for name in REQUIRED_TABLES if name not in tables]:
        raise RefusedError(f"The database lacks the tables {', '.join(missing)}: "
                           "run `outreach db upgrade` first.")
    if skipped := [name for name in OPTIONAL_TABLES if name not in tables]:
        echo(f"Skipping {', '.join(skipped)}: not in this database.")
    existing = db.session.scalar(sa.select(sa.func.count(Client.id)))
    if existing and not force:
        raise RefusedError(
            f"The database already has {existing:,} clients. generate-scale fills an empty "
            "database; give --force to add the generated data alongside them.")
    if existing:
        echo(f"The database has {existing:,} clients already: adding alongside them (--force).")
    url = db.engine.url.render_as_string(hide_password=True)
    domain = email_domain()
    echo(f"Generating into {url}: {pairs:,} pairs, {clients:,} clients, {contacts:,} contacts, "
         f"seed {seed}, up to {today.isoformat()}.")
    # Everything is written in one transaction, on one connection.
    db.session.commit()
    conn = db.session.connection()
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        # For the load only: no syncing to disk, and a large page cache for the indexes.
        dbapi_connection = conn.connection.dbapi_connection
        dbapi_connection.execute("PRAGMA synchronous=OFF")
        dbapi_connection.execute("PRAGMA cache_size=-262144")  # 256 MiB
    try:
        password_hash = hash_password(BENCH_PASSWORD)  # once, for every account
        generator = Generator(pairs, clients, contacts, seed, today, echo,
                              int(current_app.config.get("NO_CONTACT_DAYS", 14)))
        with rollup_paused():
            summary = generator.run(password_hash, domain, tables)
            since = clock.perf_counter()
            db.session.commit()
    except BaseException:
        db.session.rollback()
        if sqlite:
            _sqlite_defaults(dbapi_connection)
        raise
    if sqlite:
        _sqlite_defaults(dbapi_connection, checkpoint=True)
    echo(f"  committed ({clock.perf_counter() - since:.1f} s)")
    if db.engine.dialect.name == "postgresql":
        # What autovacuum would do soon anyway: the planner sees the new sizes at once.
        since = clock.perf_counter()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE"))
        echo(f"  analysed ({clock.perf_counter() - since:.1f} s)")
    summary.rollup = rebuild_rollup(echo)
    summary.seconds = clock.perf_counter() - generator.started
    return summary
