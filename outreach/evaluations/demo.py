"""Demo evaluation rounds: pair 1 has completed one (both forms submitted, two part A
statements differing by 2 or more, some answers allowed to be quoted, the joint
discussion's notes); pair 2 has one half-filled (the professional submitted, the expert's
draft saved). Idempotent: nothing is added when the pairs have a round (not of a group)."""

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.evaluations.items import FormRole
from outreach.evaluations.models import (
    Activity,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationRound,
    FormStatus,
)
from outreach.extensions import db
from outreach.pairs.demo import demo_pair

# key -> value (statements) or (text, may be quoted) (open questions)
PRO1 = {
    "A1": 4, "A2": 4, "A3": 3, "A4": 5, "A5": 4, "A6": 5, "A7": 4, "A8": 5, "A9": 5,
    "A_open_1": ("Asiointikäynnit yhdessä: Eeva sai naiset luottamaan meihin nopeammin kuin "
                 "olisin yksin saanut.", True),
    "A_open_2": ("Aikataulut. Suunnittelupalaverit jäivät välillä liian lyhyiksi.", True),
    "A_open_3": ("Varataan purkukeskustelulle aina oma aika heti asioinnin jälkeen.", False),
    "B1": 5, "B2": 5, "B3": 4, "B4": 5,
    "B_open_1": ("Kuinka paljon väsymys ja nälkä vaikuttavat siihen, jaksaako ottaa apua "
                 "vastaan.", True),
    "B_open_2": ("Etenen nyt pienemmin askelin ja kysyn useammin, mitä nainen itse haluaa.",
                 False),
    "B_open_3": ("Roolien läpikäynnin heti alussa, ja sen, miten tuttujen kohtaaminen "
                 "hoidetaan.", True),
    "B_open_4": ("Kyllä. Kokemusasiantuntija näkee asioita, joita en ammattilaisena näe.",
                 True),
}
EXPERT1 = {
    "A1": 4, "A2": 2, "A3": 3, "A4": 5, "A5": 2, "A6": 4, "A7": 4, "A8": 5, "A9": 5,
    "A_open_1": ("Sain olla oma itseni, ja naiset uskalsivat kertoa minulle asioita.", True),
    "A_open_2": ("Aluksi en tiennyt, mitä saan päättää itse ja mitä pitää kysyä Paulalta.",
                 True),
    "A_open_3": ("Sovitaan roolit tarkemmin ja kirjataan ne ylös.", True),
    "B1": 4, "B2": 4, "B3": 5, "B4": 4, "B5": 5, "B6": 4,
    "B_open_1": ("Uskoa siihen, että kokemuksestani on hyötyä muille.", True),
    "B_open_2": ("Sain tehdä päätöksiä itse ja minua kuunneltiin palavereissa.", False),
    "B_open_3": ("Että jaksan enemmän kuin luulin, kun saan purkaa päivän heti.", False),
    "B_open_4": ("Suosittelen, kunhan on turvallinen työpari ja mahdollisuus purkuun.", True),
}
PRO2 = {
    "A1": 3, "A2": 3, "A3": 4, "A4": 4, "A5": 4, "A6": 3, "A7": 4, "A8": 4, "A9": 4,
    "A_open_1": ("Yhteiset kierrokset rautatieasemalla.", True),
    "A_open_2": ("Salassapitosopimus viivästyi, joten Essi ei päässyt heti asiakastietoihin.",
                 True),
    "B1": 4, "B2": 4, "B3": 3, "B4": 4,
    "B_open_4": ("Kyllä, kun perehdytykseen varataan aikaa.", False),
}
EXPERT2_DRAFT = {
    "A1": 4, "A2": 3, "A3": 5,
    "A_open_1": ("Kierrokset yhdessä Pirjon kanssa.", False),
}
NOTES = (
    "Kävimme läpi kohdat, joissa vastauksemme erosivat eniten: roolit ja vastuut (A2) sekä "
    "se, tuliko Eeva kuulluksi (A5). Eevalle ei ollut alussa selvää, mitä hän saa päättää "
    "itse. Sovimme, että kirjataan yhdessä, mitkä asiat Eeva hoitaa itsenäisesti, ja että "
    "suunnittelupalaverissa Eeva kertoo ensin omat ehdotuksensa."
)


def _at(days_ago: int, hour: int = 12) -> datetime:
    day = local_today() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _form(round_id, user_id, role, answers, status, days_ago) -> EvaluationForm:
    form = EvaluationForm(round_id=round_id, user_id=user_id, role=role, status=status,
                          updated_at=_at(days_ago),
                          submitted_at=_at(days_ago) if status == FormStatus.SUBMITTED
                          else None)
    for key, answer in answers.items():
        if isinstance(answer, tuple):
            form.answers.append(EvaluationAnswer(item=key, text=answer[0], may_quote=answer[1]))
        else:
            form.answers.append(EvaluationAnswer(item=key, value=answer))
    return form


def load_evaluations() -> bool:
    pair1, pair2 = demo_pair("pro1@demo.test"), demo_pair("pro2@demo.test")
    if pair1 is None or pair2 is None:
        return False
    # A peer-support group's round (outreach.groups) may exist; these two are not tied to one.
    exists = sa.select(EvaluationRound.id).where(
        EvaluationRound.pair_id.in_([pair1.id, pair2.id]), EvaluationRound.group_id.is_(None)
    ).limit(1)
    if db.session.scalar(exists) is not None:
        return False
    done = EvaluationRound(
        pair_id=pair1.id, activity=Activity.OUTREACH, activity_detail="Kallio ja Sörnäinen",
        duration="6 kuukautta", opened_by_id=pair1.professional_id, opened_at=_at(20, 9),
        discussion_notes=NOTES, discussed_on=local_today() - timedelta(days=8),
        notes_edited_by_id=pair1.expert_id, notes_edited_at=_at(8, 15),
    )
    half = EvaluationRound(
        pair_id=pair2.id, activity=Activity.OUTREACH, duration="5 viikkoa",
        opened_by_id=pair2.supervisor_id or pair2.professional_id, opened_at=_at(6, 10),
    )
    db.session.add_all([done, half])
    db.session.flush()
    db.session.add_all([
        _form(done.id, pair1.professional_id, FormRole.PROFESSIONAL, PRO1,
              FormStatus.SUBMITTED, 12),
        _form(done.id, pair1.expert_id, FormRole.EXPERT, EXPERT1, FormStatus.SUBMITTED, 10),
        _form(half.id, pair2.professional_id, FormRole.PROFESSIONAL, PRO2,
              FormStatus.SUBMITTED, 3),
        _form(half.id, pair2.expert_id, FormRole.EXPERT, EXPERT2_DRAFT, FormStatus.DRAFT, 2),
    ])
    db.session.flush()
    return True
