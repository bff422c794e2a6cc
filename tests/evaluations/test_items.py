"""The form is the seed's (shared/seeds/pair-work-model-and-evaluation-forms.md,
"Arviointilomake"): the Finnish page shows every statement, question and instruction word
for word, and the Finnish catalogue carries exactly the seed's text. The Finnish text lives
in the fi catalogue, so these fail until the catalogue carries it."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from outreach.evaluations import items as form_items
from outreach.evaluations.items import FormRole
from tests.factories import make_round
from tests.helpers import sign_in, text_of

CATALOGUE = (Path(__file__).resolve().parents[2] / "outreach" / "translations" / "fi"
             / "LC_MESSAGES" / "messages.po")

# Copied from the seed by hand, word for word ("lisäänty" read as "lisääntyi"; the
# expert's B4 question joined on one line).
SEED_A = [
    "Yhteiset tavoitteet olivat selkeät",
    "Roolit ja vastuut olivat selkeät",
    "Yhteistyö oli tasavertaista",
    "Vuorovaikutus työparin kanssa oli toimivaa",
    "Minua kuultiin ja arvostettiin yhteistyössä",
    "Yhteinen suunnittelu sujui hyvin",
    "Yhteinen toteutus sujui hyvin",
    "Työparityöskentelystä oli hyötyä ryhmälle/toiminnalle",
    "Haluaisin tehdä vastaavaa yhteistyötä uudelleen",
    "Mikä yhteistyössä onnistui erityisen hyvin?",
    "Mitkä asiat olivat yhteistyössä haastavia?",
    "Mitä kehittäisit tulevaisuutta varten?",
]
SEED_B = {
    FormRole.EXPERT: [
        "Työparityöskentely vahvisti uskoani omiin kykyihini",
        "Koin osaamiseni tärkeäksi ja hyödylliseksi",
        "Sain käyttää kokemustani merkityksellisellä tavalla",
        "Rohkeuteni osallistua ja vaikuttaa lisääntyi",
        "Työparityöskentely lisäsi osallisuuden kokemustani",
        "Toiminta tuki tulevaisuuden valmiuksiani (esim. työ, opiskelu, vapaaehtoisuus)",
        "Mitä työparityöskentely antoi sinulle henkilökohtaisesti?",
        "Miten yhteistyö vahvisti toimijuuttasi tai osallisuuttasi?",
        "Mitä opit itsestäsi tämän kokemuksen kautta?",
        "Suositteletko tällaista työparimallia muille kokemustoimijoille? Miksi / miksi et?",
    ],
    FormRole.PROFESSIONAL: [
        "Kokemustoimijan mukanaolo toi lisäarvoa toimintaan",
        "Yhteistyö lisäsi ymmärrystäni osallistujien arjesta",
        "Työparityöskentely kehitti omaa ammatillista osaamistani",
        "Haluaisin hyödyntää työparityöskentelyä jatkossa",
        "Mitä opit työparityöskentelyn kautta kokemustoimijalta?",
        "Miten yhteistyö vaikutti omaan työskentelyysi tai ajatteluusi ammattilaisena?",
        "Mitä huomioisit jatkossa vastaavaa yhteistyötä toteuttaessa?",
        "Suositteletko tällaista työparimallia muille ammattilaisille? Miksi/miksi et?",
    ],
}
SEED_INSTRUCTIONS = [
    "Tämän arviointilomakkeen tarkoituksena on arvioida yhteistyön onnistumista, "
    "työparityöskentelyn hyötyjä sekä kehittämistarpeita. Vastauksia voidaan hyödyntää "
    "toiminnan kehittämisessä.",
    "Molemmat työparityöskentelyn osapuolet täyttävät oman arviointilomakkeensa. Molemmissa "
    "lomakkeissa A kohdasta löytyvät samat, mutta B osion kysymykset ovat yksilöidyt. "
    "Täyttämisen jälkeen vastaukset käydään läpi yhdessä keskustellen.",
    "HUOM! Kysythän luvan, jos haluat käyttää suoria lainauksia raporteissa tai viestinnässä.",
    "1= täysin eri mieltä, 5= täysin samaa mieltä",
    "Toiminnan muoto",
    "Yhteistyön kesto",
]


def test_the_form_has_the_seeds_number_of_items():
    assert len(form_items.A_STATEMENTS) == 9
    assert len(form_items.A_OPEN) == 3
    assert len(form_items.B_STATEMENTS[FormRole.EXPERT]) == 6
    assert len(form_items.B_OPEN[FormRole.EXPERT]) == 4
    assert len(form_items.B_STATEMENTS[FormRole.PROFESSIONAL]) == 4
    assert len(form_items.B_OPEN[FormRole.PROFESSIONAL]) == 4


def test_the_finnish_data_is_the_seed_word_for_word():
    expected = SEED_A + SEED_B[FormRole.EXPERT] + SEED_B[FormRole.PROFESSIONAL]
    assert sorted(form_items.FINNISH.values()) == sorted(expected)
    for role in FormRole:
        assert [i.finnish for i in form_items.items(role)] == SEED_A[:9] + SEED_B[role][
            :len(form_items.B_STATEMENTS[role])] + SEED_A[9:] + SEED_B[role][
            len(form_items.B_STATEMENTS[role]):]
    texts = [form_items.FINNISH_TEXTS[k] for k in ("purpose", "both_fill", "ask_permission",
                                                   "scale_legend", "activity_label",
                                                   "duration_label")]
    assert texts == SEED_INSTRUCTIONS


def test_the_finnish_catalogue_carries_the_seed_text():
    with open(CATALOGUE, "rb") as fh:
        catalogue = {m.id: m.string for m in read_po(fh) if m.id}
    # A lazy string keeps its msgid as the first argument of the gettext call.
    pairs = [(i.text._args[0], i.finnish) for role in FormRole for i in form_items.items(role)]
    pairs += [(form_items.TEXTS[k]._args[0], form_items.FINNISH_TEXTS[k])
              for k in form_items.TEXTS]
    wrong = [(msgid, catalogue.get(msgid), finnish) for msgid, finnish in pairs
             if catalogue.get(msgid) != finnish]
    assert wrong == []


@pytest.mark.parametrize("role", list(FormRole))
def test_the_finnish_form_shows_every_seed_text(client, world, role):
    evaluation_round = make_round(world.pair)
    user = world.pro if role == FormRole.PROFESSIONAL else world.expert
    sign_in(client, user)
    page = text_of(client.get(f"/evaluations/{evaluation_round.id}/form?lang=fi"))
    missing = [text for text in SEED_A + SEED_B[role] + SEED_INSTRUCTIONS if text not in page]
    assert missing == []
    other = SEED_B[FormRole.EXPERT if role == FormRole.PROFESSIONAL else FormRole.PROFESSIONAL]
    assert not [text for text in other if text in page]


def test_the_english_form_shows_the_translation(client, world):
    evaluation_round = make_round(world.pair)
    sign_in(client, world.expert)
    page = text_of(client.get(f"/evaluations/{evaluation_round.id}/form?lang=en"))
    assert "The shared goals were clear" in page
    assert "My courage to take part and to have an influence increased" in page
    assert "1 = strongly disagree, 5 = strongly agree" in page
    assert "NOTE! Please ask for permission" in page
