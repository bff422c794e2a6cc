"""Demo situation mappings: every demo woman with a valid consent has been mapped three
times (fewer if she was met only days ago), showing change: mostly better, with setbacks.
Dates fall between her consent and her latest record, so the timeline stays tidy. Idempotent."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from outreach.clients.choices import LifeDomain as D
from outreach.clients.choices import LivingSituation as L
from outreach.clients.models import Client
from outreach.consents.queries import can_record, current_consent
from outreach.core.records import already_loaded
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.mappings.models import Mapping, MappingRating

# Where she starts on housing, by her living situation at the start.
HOUSING_START = {
    L.STREET: 1, L.EMERGENCY_SHELTER: 1, L.FRIENDS_RELATIVES: 2, L.INSTITUTION: 2,
    L.TEMPORARY_HOUSING: 2, L.SUPPORTED_HOUSING: 3, L.OWN_LEASE: 3, L.UNKNOWN: 1,
}

# Change per mapping for each domain, in turns: +1 better, -1 a setback, 0 the same.
# Several patterns so that the women's charts differ.
PATTERNS = [
    {D.HOUSING: (1, 1), D.INCOME_DEBTS: (0, 1), D.MENTAL_HEALTH: (1, -1),
     D.SUBSTANCE_USE: (-1, 1), D.DAILY_BASICS: (1, 1), D.DOCUMENTS_SERVICES: (2, 1)},
    {D.HOUSING: (0, 2), D.PHYSICAL_HEALTH: (1, 0), D.MENTAL_HEALTH: (0, 1),
     D.SAFETY_VIOLENCE: (1, 1), D.DAILY_BASICS: (1, -1), D.INCOME_DEBTS: (1, 0)},
    {D.HOUSING: (1, 0), D.SUBSTANCE_USE: (1, 1), D.RELATIONSHIPS_CHILDREN: (0, 1),
     D.DOCUMENTS_SERVICES: (1, 1), D.MENTAL_HEALTH: (-1, 1), D.STRENGTHS_WISHES: (0, 1)},
]

# Her starting ratings apart from housing: (domain, rating); the rest are not assessed at
# the first meeting and come in at the second.
STARTS = [
    {D.INCOME_DEBTS: 1, D.PHYSICAL_HEALTH: 2, D.MENTAL_HEALTH: 2, D.SUBSTANCE_USE: 3,
     D.SAFETY_VIOLENCE: 3, D.DAILY_BASICS: 1, D.DOCUMENTS_SERVICES: 1, D.STRENGTHS_WISHES: 3},
    {D.INCOME_DEBTS: 2, D.PHYSICAL_HEALTH: 2, D.MENTAL_HEALTH: 3, D.SAFETY_VIOLENCE: 1,
     D.DAILY_BASICS: 2, D.STRENGTHS_WISHES: 4},
    {D.PHYSICAL_HEALTH: 3, D.MENTAL_HEALTH: 2, D.SUBSTANCE_USE: 1, D.RELATIONSHIPS_CHILDREN: 2,
     D.DAILY_BASICS: 2, D.DOCUMENTS_SERVICES: 2, D.STRENGTHS_WISHES: 3},
]
LATER = {D.RELATIONSHIPS_CHILDREN: 2, D.SUBSTANCE_USE: 3, D.INCOME_DEBTS: 2,
         D.SAFETY_VIOLENCE: 3, D.DOCUMENTS_SERVICES: 2, D.PHYSICAL_HEALTH: 3}

NOTES = [
    {D.HOUSING: ["Nukkuu välillä rappukäytävissä, välillä tuttavan sohvalla.",
                 "Ensisuojapaikka vakiintunut, hakemus asunnosta vireillä.",
                 "Sai tukiasunnon, muutto tehty."],
     D.DAILY_BASICS: ["Väsynyt, syö päiväkeskuksessa kun jaksaa tulla.", "", ""]},
    {D.SAFETY_VIOLENCE: ["Entinen puoliso etsii häntä. Turvasuunnitelma tekemättä.",
                         "Turvasuunnitelma tehty yhdessä.", ""],
     D.MENTAL_HEALTH: ["", "Nukkuu huonosti, kertoo ahdistuksesta.", ""]},
    {D.SUBSTANCE_USE: ["Käyttö päivittäistä.", "Katkaisuhoito kesken, palasi kadulle.",
                       "Korvaushoitojonossa, käyttö vähentynyt."],
     D.RELATIONSHIPS_CHILDREN: ["", "Haluaa tavata lapsia.", "Tapasi tyttären ensimmäistä "
                                "kertaa puoleen vuoteen."]},
]

WHAT_MATTERS = [
    ["Että saisin nukkua yön rauhassa.", "Oma ovi, jonka saa lukkoon.",
     "Pitää tämä asunto ja jaksaa arki."],
    ["Ettei tarvitse pelätä.", "Että lapset tietäisivät, että olen kunnossa.",
     "Päästä taas töihin jossain vaiheessa."],
    ["Päästä eroon aineista.", "Ettei kukaan luovuta minun suhteen.",
     "Tyttären tapaaminen uudestaan."],
]


@dataclass(frozen=True)
class Window:
    first: date
    last: date


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment else None


def window(client: Client, today: date | None = None) -> Window | None:
    """From the day after her consent (at most five months back) to her latest record."""
    today = today or local_today()
    consent = current_consent(client, with_scope=False)
    if consent is None:
        return None
    last = min(_day(client.last_record_at) or today, today)
    first = max(consent.given_on + timedelta(days=1), today - timedelta(days=150))
    if last < first:
        first = consent.given_on  # met only on the day she gave her consent
    if last < first:
        return None
    return Window(first, last)


def mapping_days(span: Window) -> list[date]:
    """Three dates (the first, one in the middle, the latest) when there is room for them."""
    days = (span.last - span.first).days
    picked = [span.first, span.first + timedelta(days=days * 3 // 5), span.last]
    return sorted(set(picked))


def _at(day: date, client: Client) -> datetime:
    """Early afternoon, but never after her latest record."""
    at = datetime.combine(day, time(13, 30), tzinfo=UTC)
    last = client.last_record_at
    if last is not None:
        last = last if last.tzinfo else last.replace(tzinfo=UTC)
        at = min(at, last)
    return at


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def load_mappings() -> bool:
    if already_loaded(Mapping):
        return False
    clients = list(db.session.scalars(
        sa.select(Client).where(Client.merged_into_id.is_(None)).order_by(Client.id)
    ))
    added = False
    for n, client in enumerate(clients):
        if not can_record(client):
            continue
        span = window(client)
        if span is None:
            continue
        pattern, start, notes = PATTERNS[n % 3], STARTS[n % 3], NOTES[n % 3]
        current = {D.HOUSING: HOUSING_START[client.living_situation], **start}
        for turn, day in enumerate(mapping_days(span)):
            if turn > 0:
                for domain, steps in pattern.items():
                    if domain in current:
                        current[domain] = _clamp(current[domain] + steps[(turn - 1) % 2])
                if turn == 1:
                    for domain, rating in LATER.items():
                        current.setdefault(domain, rating)
            ratings = []
            for domain in D:
                note = notes.get(domain, ["", "", ""])[min(turn, 2)]
                ratings.append(MappingRating(domain=domain, rating=current.get(domain),
                                             notes=note or None))
            db.session.add(Mapping(
                client_id=client.id,
                mapped_on=day,
                what_matters_most=WHAT_MATTERS[n % 3][min(turn, 2)],
                created_by_id=client.pair.professional_id,
                created_at=_at(day, client),
                ratings=ratings,
            ))
            added = True
    db.session.flush()
    return added
