"""The start-up agreement shows the questions of the Voimaa ja valoa pair model word for
word in Finnish (shared/seeds/pair-work-model-and-evaluation-forms.md, "Yhteistyön
käynnistäminen"). The Finnish text lives in the fi catalogue, so this fails until the
catalogue carries it."""

import pytest

from tests.helpers import sign_in, text_of
from tests.pairs.helpers import make_world

# Copied from the seed, word for word, explanations in brackets included.
VALUES_QUESTIONS_FI = [
    "Millainen ihmiskäsityksesi on? Miten se vaikuttaa ryhmän ohjaukseen?",
    "Millaiset arvot ohjaavat toimintaasi?",
    "Millainen ryhmänohjaaja olet? Millainen toivot olevasi juuri tässä ryhmässä?",
    "Mitä pidät tärkeänä ohjaamisessa?",
    "Mitä meidän on tärkeä huomioida tämän ryhmän kohdalla?",
]
ROLES_QUESTIONS_FI = [
    "Millaisia ajatuksia sinulla on rooleistamme? (Ammattilaisen ja kokemustoimijan roolit "
    "ovat erilaiset, joten on hyvä käydä keskustelua siitä, mitä se käytännössä tarkoittaa.)",
    "Millaista työnjakoa haluat tehdä ryhmätapaamisten osalta? Esimerkiksi tehtävien ohjaus "
    "tms. Kokemustoimijalla on lupa olla myös vertainen.",
    "Miten toivot, että erilaiset roolit avataan ryhmäläisille?",
    "Jos ryhmään tulee tuttuja, miten toivot, että tilanne käsitellään? Millaisia ajatuksia "
    "sinulle herää tästä?",
    "Mitä ajatuksia ja tunteita kokemustoimijana olo vertaisryhmässä herättää sinussa?",
    "Miten kommunikoit, jos tarvitset apua/tukea/rohkaisua tms.?",
    "Onko jotakin sellaista, mitä minun (ammattilaisen) on hyvä tietää?",
]


@pytest.mark.parametrize("question", VALUES_QUESTIONS_FI + ROLES_QUESTIONS_FI)
def test_agreement_form_shows_the_seed_question_in_finnish(client, question):
    world = make_world()
    sign_in(client, world.pair.professional)
    page = text_of(client.get(f"/pairs/{world.pair.id}/agreement?lang=fi"))
    assert f">{question}</label>" in page


def test_there_are_five_values_and_seven_roles_questions():
    from outreach.pairs.agreement import ROLES_QUESTIONS, VALUES_QUESTIONS

    assert len(VALUES_QUESTIONS) == len(VALUES_QUESTIONS_FI) == 5
    assert len(ROLES_QUESTIONS) == len(ROLES_QUESTIONS_FI) == 7
