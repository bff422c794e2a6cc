"""Demo peer-support group: pair 1 leads a weekly women's group (Naisten vertaistukiryhmä)
with six sessions held and recorded (participants, parts and who led them, planning and
debrief notes), today's session planned and waiting for its record, and one planned for
next week. Deterministic and idempotent."""

from datetime import time, timedelta

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.groups.models import GroupSession, GroupSessionPart, Leader, PeerGroup
from outreach.pairs.demo import first_pair

GROUP_NAME = "Naisten vertaistukiryhmä"

THEMES = [
    "Tutustuminen ja ryhmän pelisäännöt",
    "Arjen jaksaminen: uni ja ruoka",
    "Omat vahvuudet",
    "Palveluissa asioiminen",
    "Turvallisuus ja omat rajat",
    "Unelmat ja pienet askeleet",
]
PARTICIPANTS = [5, 7, 6, 4, 8, 6]
DEBRIEFS = [
    "Alku jännitti kaikkia. Pelisäännöt syntyivät yhdessä, ja kokemusasiantuntijan oma "
    "tarina avasi keskustelun. Seuraavalla kerralla enemmän aikaa kahville.",
    "Keskustelu unesta oli vilkas. Kaksi osallistujaa kysyi ruoka-avusta: tuodaan "
    "ensi kerralla tiedot ruoka-avun paikoista.",
    "Vahvuuskortit toimivat hyvin. Yksi osallistuja lähti kesken, soitetaan ja kysytään "
    "kuulumiset, jos hän on antanut numeronsa.",
    "Pienempi ryhmä, mutta syvällinen keskustelu. Sovittiin, että ammattilainen vetää "
    "ensi kerralla teemaosuuden ja kokemusasiantuntija avauskierroksen.",
    "Raskas aihe: varattiin aikaa purkuun ryhmän jälkeen. Työnjako toimi, ja "
    "kokemusasiantuntija sai olla myös vertainen.",
    "Hyvä tunnelma. Osallistujat toivovat ryhmälle jatkoa syksyllä.",
]


def _parts(theme: str, n: int) -> list[GroupSessionPart]:
    opening = Leader.EXPERT if n % 2 == 0 else Leader.BOTH
    return [
        GroupSessionPart(position=0, description="Avauskierros ja kuulumiset", leader=opening),
        GroupSessionPart(position=1, description=f"Teema: {theme}", leader=Leader.PROFESSIONAL
                         if n % 3 else Leader.BOTH),
        GroupSessionPart(position=2, description="Kahvitauko ja vapaa keskustelu",
                         leader=Leader.BOTH),
        GroupSessionPart(position=3, description="Loppukierros", leader=Leader.EXPERT),
    ]


def load_groups() -> bool:
    if (pair := first_pair(PeerGroup)) is None:
        return False
    today = local_today()
    # Weekly on today's weekday: six recorded, today's waiting for its record, next week's.
    last = today - timedelta(weeks=1)
    first = last - timedelta(weeks=len(THEMES) - 1)
    group = PeerGroup(
        pair_id=pair.id,
        name=GROUP_NAME,
        aim="Vertaistukea asunnottomuutta kokeneille naisille: kokemusten jakamista, "
            "arjen jaksamista ja tietoa palveluista turvallisessa ryhmässä.",
        place="Päiväkeskus, Kallio",
        schedule="Joka viikko, klo 13–14.30",
        starts_on=first,
        created_by_id=pair.professional_id,
    )
    db.session.add(group)
    db.session.flush()
    sessions = []
    for n, theme in enumerate(THEMES):
        session = GroupSession(
            group_id=group.id,
            held_on=first + timedelta(weeks=n),
            starts_at=time(13, 0),
            planning_notes=f"Teemana {theme.lower()}. Kokemusasiantuntija kertoo omasta "
                           "kokemuksestaan, jos se tuntuu hyvältä. Sovitaan purku heti "
                           "ryhmän jälkeen.",
            participants=PARTICIPANTS[n],
            debrief_notes=DEBRIEFS[n],
            created_by_id=pair.professional_id if n % 2 else pair.expert_id,
        )
        session.parts = _parts(theme, n)
        sessions.append(session)
    todays = GroupSession(
        group_id=group.id,
        held_on=today,
        starts_at=time(13, 0),
        planning_notes="Teemana kevään kuulumiset ja omat voimavarat. Kokemusasiantuntija "
                       "avaa ryhmän, ammattilainen vetää teemaosuuden.",
        created_by_id=pair.professional_id,
    )
    todays.parts = _parts("Omat voimavarat", len(THEMES))
    sessions.append(todays)
    upcoming = GroupSession(
        group_id=group.id,
        held_on=today + timedelta(weeks=1),
        starts_at=time(13, 0),
        planning_notes="Ryhmän yhteinen arviointi: mikä on auttanut, mitä toivotaan jatkoon.",
        created_by_id=pair.expert_id,
    )
    upcoming.parts = [
        GroupSessionPart(position=0, description="Avauskierros", leader=Leader.EXPERT),
        GroupSessionPart(position=1, description="Yhteinen arviointi ja palaute",
                         leader=Leader.PROFESSIONAL),
        GroupSessionPart(position=2, description="Loppukierros", leader=Leader.BOTH),
    ]
    sessions.append(upcoming)
    db.session.add_all(sessions)
    db.session.flush()
    return True
