"""Demo pair meetings: every kind over the months both pairs have worked, with notes,
an edit by the other partner, and agreed actions as tasks. Pair 1 (weekly planning, a
debrief every two weeks) is left with its debrief overdue and its planning due soon, so
the flags show; pair 2 has no debrief rhythm agreed yet. Idempotent: nothing is added
when any meeting exists."""

from datetime import date, time, timedelta

from outreach.core.time import local_today, utc_at
from outreach.extensions import db
from outreach.meetings.models import MeetingKind, PairMeeting, PairMeetingRevision
from outreach.meetings.queries import add_actions
from outreach.pairs.demo import both_pairs
from outreach.pairs.models import Pair
from outreach.tasks.models import Assignee, TaskStatus

START, PLAN, DEBRIEF, SUPERVISION, OTHER = (
    MeetingKind.START_UP, MeetingKind.PLANNING, MeetingKind.DEBRIEF, MeetingKind.SUPERVISION,
    MeetingKind.OTHER,
)
PRO, EXP, PAIR = Assignee.PROFESSIONAL, Assignee.EXPERT, Assignee.PAIR
SUPERVISOR_NAME = "Hanna Työnohjaaja"

# (days ago, kind, notes, actions: (title, assignee, due in days from the meeting, done?))
FIRST_PAIR = [
    (-197, START, (
        "Kävimme läpi yhteistyön käynnistämisen kysymykset ja allekirjoitimme "
        "vapaaehtoissopimuksen ja salassapitosopimuksen. Sovimme suunnittelusta kerran "
        "viikossa ja purkukeskustelusta joka toinen viikko."
    ), [("Tilaa Eevalle työpuhelin", PRO, 7, True)]),
    (-190, PLAN, (
        "Ensimmäinen viikkosuunnittelu. Jalkaudutaan tiistaisin Kallioon ja torstaisin "
        "rautatieasemalle. Eeva tutustuu palveluluetteloon."
    ), []),
    (-176, DEBRIEF, (
        "Ensimmäiset kaksi viikkoa kentällä. Eevaa jännitti vanhan tutun kohtaaminen "
        "päiväkeskuksessa, mutta tilanne meni hyvin. Sovittiin, että Eeva kertoo aina, jos "
        "tuntee naisen entuudestaan."
    ), []),
    (-160, SUPERVISION, (
        "Työnohjauksessa puhuttiin rajoista: kuinka paljon omasta taustasta kertoo. "
        "Hanna muistutti, että Eeva päättää itse ja saa myös sanoa ei."
    ), []),
    (-140, OTHER, (
        "Verkostopäivä sosiaalitoimistossa: esittelimme työparimallia. Kiinnostusta oli "
        "erityisesti asumisneuvonnassa."
    ), [("Lähetä esittely asumisneuvontaan", PRO, 5, True)]),
    (-120, SUPERVISION, (
        "Käsiteltiin väsymystä ja sitä, miten naisten kertomukset nostavat muistoja. "
        "Purkukeskustelu samana päivänä on auttanut."
    ), []),
    (-90, PLAN, (
        "Syksyn suunnitelma: ensisuojan iltakäynnit kerran viikossa. Paula hoitaa "
        "yhteydet ensisuojan ohjaajiin."
    ), [("Sovi ensisuojan iltakäynneistä", PRO, 7, True)]),
    (-75, DEBRIEF, (
        "Vaikea viikko: yksi naisista joutui sairaalaan. Puhuimme siitä, mikä on meidän "
        "vastuullamme ja mikä ei. Eeva haluaa seuraavalla kerralla mukaan käynnille."
    ), []),
    (-60, SUPERVISION, (
        "Työnohjauksessa mietittiin, miten pienet askeleet näkyvät kirjauksissa. "
        "Päätettiin kirjata myös naisen omat päätökset."
    ), []),
    (-45, DEBRIEF, (
        "Kelan asioinnit sujuivat: Eeva tuki naista puhumaan itse virkailijalle. "
        "Sovittiin, että Eeva kokeilee yhden asioinnin yksin ensi viikolla."
    ), [("Kokeile Kelan asiointi yksin, Paula puhelimessa tavoitettavissa", EXP, 7, True)]),
    (-30, SUPERVISION, (
        "Hanna kysyi, miten työnjako toimii nyt puolen vuoden jälkeen. Molemmat kokevat "
        "olevansa tasavertaisia, mutta Paula haluaa antaa Eevalle enemmän vastuuta "
        "suunnittelussa."
    ), []),
    (-17, DEBRIEF, (
        "Kävimme läpi kaksi viikkoa: hyviä kohtaamisia kadulla, mutta yksi uhkaava tilanne "
        "rautatieasemalla. Sovittu merkki toimi ja lähdimme ajoissa."
    ), [("Kirjaa uhkaava tilanne ja kerro esihenkilölle", PRO, 2, True),
        ("Selvitä, voiko asemalla jalkautua aamupäivisin", EXP, 10, False)]),
    (-12, PLAN, (
        "Seuraavan kahden viikon suunnitelma. Eeva ottaa vastuun torstain kierroksista."
    ), []),
    (-5, PLAN, (
        "Viikon suunnittelu: kolme asiointia, yksi verkostopalaveri. Eeva lähtee mukaan "
        "terveysasemalle."
    ), [("Varaa aika terveysasemalle", PRO, 2, False),
        ("Kysy päiväkeskuksesta vaatelahjoituksia", EXP, 6, False),
        ("Päivitä yhteinen kalenteri", PAIR, None, False)]),
]
SECOND_PAIR = [
    (-35, START, (
        "Aloitimme yhteistyön. Rooleista puhuttiin alustavasti; salassapitosopimus "
        "allekirjoitetaan, kun Essin vapaaehtoissopimus on käyty läpi."
    ), [("Tuo salassapitosopimus allekirjoitettavaksi", PRO, 7, False)]),
    (-28, PLAN, "Tavataan maanantaisin toimistolla klo 9.30 ennen jalkautumista.", []),
    (-20, SUPERVISION, "Ensimmäinen työnohjaus: odotukset ja huolet uudessa työssä.", []),
    (-14, DEBRIEF, (
        "Essi kertoi, mikä kadulla tuntui helpolta ja mikä vaikealta. Purkukeskustelun "
        "rytmistä ei ole vielä sovittu."
    ), [("Sovi purkukeskustelujen rytmi", PAIR, 14, False)]),
    (-4, PLAN, "Viikon suunnittelu: Essi tutustuu palveluluetteloon.", []),
]


def _meetings(pair: Pair, rows, today: date) -> None:
    for n, (days, kind, notes, actions) in enumerate(rows):
        held_on = today + timedelta(days=days)
        if held_on < pair.starts_on:
            held_on = pair.starts_on
        author = pair.professional if n % 2 == 0 else pair.expert
        other = pair.expert if author is pair.professional else pair.professional
        meeting = PairMeeting(
            pair_id=pair.id,
            kind=kind,
            held_on=held_on,
            starts_at=time(9, 30) if kind == PLAN else time(14, 0),
            duration_minutes=90 if kind == SUPERVISION else 45,
            external_supervisor=SUPERVISOR_NAME if kind == SUPERVISION else None,
            professional_present=True,
            expert_present=True,
            others_present=SUPERVISOR_NAME if kind == SUPERVISION else None,
            notes=notes,
            created_by_id=author.id,
            created_at=utc_at(held_on, 13),
        )
        db.session.add(meeting)
        first_notes = notes.split(". ")[0] + "."
        meeting.revisions.append(PairMeetingRevision(
            edited_by_id=author.id, at=utc_at(held_on, 13), is_creation=True,
            changed_fields="kind,held_on,notes", notes=first_notes,
        ))
        # The other partner completed the notes later the same day.
        meeting.revisions.append(PairMeetingRevision(
            edited_by_id=other.id, at=utc_at(held_on, 15), changed_fields="notes", notes=notes,
        ))
        db.session.flush()
        lines = [
            {"title": title, "assignee": assignee,
             "due_on": held_on + timedelta(days=due) if due is not None else None}
            for title, assignee, due, _done in actions
        ]
        tasks = add_actions(meeting, author, lines)
        for task, (*_rest, done) in zip(tasks, actions, strict=True):
            task.created_at = utc_at(held_on, 13)
            if done:
                task.status = TaskStatus.DONE
                task.done_by_id = author.id
                task.done_at = utc_at(task.due_on or held_on, 12)


def load() -> bool:
    if (pairs := both_pairs(PairMeeting)) is None:
        return False
    first, second = pairs
    today = local_today()
    _meetings(first, FIRST_PAIR, today)
    _meetings(second, SECOND_PAIR, today)
    db.session.flush()
    return True
