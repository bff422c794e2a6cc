"""A demo feedback thread for pair 1: feedback given both ways, an ask answered, and one
ask of expert1 still waiting for pro1's answer (on pro1's home page). Idempotent: nothing
is added when any feedback exists."""

from datetime import timedelta

from outreach.core.time import local_today, past_utc_at
from outreach.extensions import db
from outreach.feedback.models import FeedbackItem, FeedbackKind
from outreach.pairs.demo import first_pair

GIVE, ASK = FeedbackKind.GIVE, FeedbackKind.ASK
PRO, EXPERT = "professional", "expert"

# (days ago, hour, who, kind, situation, body, answers: index of an earlier ask or None)
THREAD = [
    (45, 14, PRO, GIVE, "Käynti Kelan toimistossa",
     "Kun nainen jännitti virkailijaa, annoit hänelle aikaa ja toistit kysymyksen omin "
     "sanoin. Hän pystyi itse kertomaan tilanteensa. Se oli hienoa.", None),
    (33, 10, EXPERT, ASK, "Ensikohtaaminen rautatieasemalla",
     "Menikö aloitus liian nopeasti asiaan? Minusta tuntui, että hän vetäytyi, kun kysyin "
     "asumisesta.", None),
    (32, 9, PRO, GIVE, "Ensikohtaaminen rautatieasemalla",
     "Et mennyt liian nopeasti: hän vetäytyi vasta, kun mainitsin sosiaalitoimiston. Ensi "
     "kerralla voisimme aloittaa kuulumisilla ja kahvilla, ja jättää asiat myöhemmäksi.", 1),
    (21, 16, EXPERT, GIVE, "Verkostopalaveri sosiaalitoimistossa",
     "Kiitos, että pyysit minua kertomaan naisen näkökulman palaverissa. Tunsin olevani "
     "tasavertainen työpari enkä vain mukana.", None),
    (12, 15, PRO, GIVE, "Työpäivän rajaaminen",
     "Huomasin, että vastasit puhelimeen illalla. Sovitaan yhdessä, milloin olemme "
     "tavoitettavissa, ettei työ vie vapaa-aikaa.", None),
    (3, 11, EXPERT, ASK, "Purkukeskustelu viime viikolla",
     "Otinko purkukeskustelussa liikaa tilaa omille tunteilleni? Haluaisin kuulla, miltä "
     "se sinusta tuntui.", None),
]


def load() -> bool:
    if (pair := first_pair(FeedbackItem)) is None:
        return False
    today = local_today()
    authors = {PRO: pair.professional_id, EXPERT: pair.expert_id}
    items: list[FeedbackItem] = []
    for days_ago, hour, who, kind, situation, body, answers in THREAD:
        day = max(today - timedelta(days=days_ago), pair.starts_on)
        item = FeedbackItem(pair_id=pair.id, author_id=authors[who], kind=kind,
                            situation=situation, body=body, created_at=past_utc_at(day, hour))
        if answers is not None:
            ask = items[answers]
            item.in_reply_to = ask
            ask.answered_at = item.created_at
        db.session.add(item)
        items.append(item)
    db.session.flush()
    return True
