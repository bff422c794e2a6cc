"""The evaluation form (*Työparityöskentelyn arviointilomake*, Voimaa ja valoa elämään:
shared/seeds/pair-work-model-and-evaluation-forms.md) as data.

The msgids are English translations; the Finnish catalogue carries the seed's text word
for word (the typo "lisäänty" reads "lisääntyi"), the Swedish one a Finland-Swedish
translation. The Finnish originals are kept here too (`finnish`), so that a test can
check the page and the catalogue against the seed.

Item keys are what EvaluationAnswer.item stores: "A1".."A9", "A_open_1".."A_open_3",
"B1".., "B_open_1".. (B items are read together with the form's role).
"""

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

SCALE = (1, 2, 3, 4, 5)


class FormRole(StrEnum):
    """Whose form: the experience expert's (kokemustoimija) or the professional's."""

    EXPERT = "expert"
    PROFESSIONAL = "professional"


@dataclass(frozen=True)
class Item:
    key: str
    text: object  # a lazy string: the English msgid, translated when shown
    finnish: str  # the seed's Finnish, word for word

    @property
    def is_statement(self) -> bool:
        return "_open_" not in self.key

    @property
    def number(self) -> int:
        return int(self.key.rsplit("_", 1)[-1].lstrip("AB"))

    @property
    def quote_field(self) -> str:
        return f"{self.key}_quote"


# --- The form's own words ---------------------------------------------------------------

TITLE = _l("Pair work evaluation form")
PURPOSE = _l("The purpose of this evaluation form is to assess how well the cooperation "
             "succeeded, the benefits of the pair work and the needs for development. The "
             "answers can be used in developing the activity.")
BOTH_FILL = _l("Both parties of the pair work fill in their own evaluation form. Part A is "
               "the same in both forms, but the questions in part B are specific to each. "
               "After filling in the forms, the answers are gone through together in a "
               "discussion.")
ASK_PERMISSION = _l("NOTE! Please ask for permission if you want to use direct quotes in "
                    "reports or communications.")
RATE = _l("Rate the following statements on a scale of 1-5")
SCALE_LEGEND = _l("1 = strongly disagree, 5 = strongly agree")
ACTIVITY_LABEL = _l("Form of activity")
DURATION_LABEL = _l("Duration of the cooperation")
STATEMENT = _l("Statement")
OPEN_QUESTIONS = _l("Open questions")

INSTRUCTIONS = (PURPOSE, BOTH_FILL, ASK_PERMISSION)

# The seed's own Finnish for the texts above (the professional's form spells "Arvioi").
FINNISH_TEXTS = {
    "purpose": "Tämän arviointilomakkeen tarkoituksena on arvioida yhteistyön onnistumista, "
               "työparityöskentelyn hyötyjä sekä kehittämistarpeita. Vastauksia voidaan "
               "hyödyntää toiminnan kehittämisessä.",
    "both_fill": "Molemmat työparityöskentelyn osapuolet täyttävät oman arviointilomakkeensa. "
                 "Molemmissa lomakkeissa A kohdasta löytyvät samat, mutta B osion kysymykset "
                 "ovat yksilöidyt. Täyttämisen jälkeen vastaukset käydään läpi yhdessä "
                 "keskustellen.",
    "ask_permission": "HUOM! Kysythän luvan, jos haluat käyttää suoria lainauksia "
                      "raporteissa tai viestinnässä.",
    "rate": "Arvioi seuraavia väittämiä asteikolla 1-5",
    "scale_legend": "1= täysin eri mieltä, 5= täysin samaa mieltä",
    "activity_label": "Toiminnan muoto",
    "duration_label": "Yhteistyön kesto",
}
TEXTS = {
    "purpose": PURPOSE,
    "both_fill": BOTH_FILL,
    "ask_permission": ASK_PERMISSION,
    "rate": RATE,
    "scale_legend": SCALE_LEGEND,
    "activity_label": ACTIVITY_LABEL,
    "duration_label": DURATION_LABEL,
}

# --- Section A: the same in both forms ----------------------------------------------------

A_STATEMENTS = (
    Item("A1", _l("The shared goals were clear"), "Yhteiset tavoitteet olivat selkeät"),
    Item("A2", _l("The roles and responsibilities were clear"),
         "Roolit ja vastuut olivat selkeät"),
    Item("A3", _l("The cooperation was equal"), "Yhteistyö oli tasavertaista"),
    Item("A4", _l("The interaction with my work partner worked well"),
         "Vuorovaikutus työparin kanssa oli toimivaa"),
    Item("A5", _l("I was heard and valued in the cooperation"),
         "Minua kuultiin ja arvostettiin yhteistyössä"),
    Item("A6", _l("The joint planning went well"), "Yhteinen suunnittelu sujui hyvin"),
    Item("A7", _l("The joint implementation went well"), "Yhteinen toteutus sujui hyvin"),
    Item("A8", _l("The pair work benefited the group/activity"),
         "Työparityöskentelystä oli hyötyä ryhmälle/toiminnalle"),
    Item("A9", _l("I would like to do similar cooperation again"),
         "Haluaisin tehdä vastaavaa yhteistyötä uudelleen"),
)
A_OPEN = (
    Item("A_open_1", _l("What went particularly well in the cooperation?"),
         "Mikä yhteistyössä onnistui erityisen hyvin?"),
    Item("A_open_2", _l("What things were challenging in the cooperation?"),
         "Mitkä asiat olivat yhteistyössä haastavia?"),
    Item("A_open_3", _l("What would you develop for the future?"),
         "Mitä kehittäisit tulevaisuutta varten?"),
)

# --- Section B: each role's own -----------------------------------------------------------

B_STATEMENTS = {
    FormRole.EXPERT: (
        Item("B1", _l("The pair work strengthened my belief in my own abilities"),
             "Työparityöskentely vahvisti uskoani omiin kykyihini"),
        Item("B2", _l("I felt that my skills were important and useful"),
             "Koin osaamiseni tärkeäksi ja hyödylliseksi"),
        Item("B3", _l("I was able to use my experience in a meaningful way"),
             "Sain käyttää kokemustani merkityksellisellä tavalla"),
        Item("B4", _l("My courage to take part and to have an influence increased"),
             "Rohkeuteni osallistua ja vaikuttaa lisääntyi"),
        Item("B5", _l("The pair work increased my sense of inclusion"),
             "Työparityöskentely lisäsi osallisuuden kokemustani"),
        Item("B6", _l("The activity supported my readiness for the future (e.g. work, "
                      "studies, volunteering)"),
             "Toiminta tuki tulevaisuuden valmiuksiani (esim. työ, opiskelu, "
             "vapaaehtoisuus)"),
    ),
    FormRole.PROFESSIONAL: (
        Item("B1", _l("The experience expert's involvement brought added value to the "
                      "activity"),
             "Kokemustoimijan mukanaolo toi lisäarvoa toimintaan"),
        Item("B2", _l("The cooperation increased my understanding of the participants' "
                      "everyday life"),
             "Yhteistyö lisäsi ymmärrystäni osallistujien arjesta"),
        Item("B3", _l("The pair work developed my own professional skills"),
             "Työparityöskentely kehitti omaa ammatillista osaamistani"),
        Item("B4", _l("I would like to make use of pair work in the future"),
             "Haluaisin hyödyntää työparityöskentelyä jatkossa"),
    ),
}
B_OPEN = {
    FormRole.EXPERT: (
        Item("B_open_1", _l("What did the pair work give you personally?"),
             "Mitä työparityöskentely antoi sinulle henkilökohtaisesti?"),
        Item("B_open_2", _l("How did the cooperation strengthen your agency or your "
                            "inclusion?"),
             "Miten yhteistyö vahvisti toimijuuttasi tai osallisuuttasi?"),
        Item("B_open_3", _l("What did you learn about yourself through this experience?"),
             "Mitä opit itsestäsi tämän kokemuksen kautta?"),
        Item("B_open_4", _l("Would you recommend this kind of pair work model to other "
                            "experience experts? Why / why not?"),
             "Suositteletko tällaista työparimallia muille kokemustoimijoille? "
             "Miksi / miksi et?"),
    ),
    FormRole.PROFESSIONAL: (
        Item("B_open_1", _l("What did you learn from the experience expert through the "
                            "pair work?"),
             "Mitä opit työparityöskentelyn kautta kokemustoimijalta?"),
        Item("B_open_2", _l("How did the cooperation affect your own work or your thinking "
                            "as a professional?"),
             "Miten yhteistyö vaikutti omaan työskentelyysi tai ajatteluusi ammattilaisena?"),
        Item("B_open_3", _l("What would you take into account when carrying out similar "
                            "cooperation in the future?"),
             "Mitä huomioisit jatkossa vastaavaa yhteistyötä toteuttaessa?"),
        Item("B_open_4", _l("Would you recommend this kind of pair work model to other "
                            "professionals? Why/why not?"),
             "Suositteletko tällaista työparimallia muille ammattilaisille? Miksi/miksi et?"),
    ),
}


def statements(role: FormRole | str) -> tuple[Item, ...]:
    """Every statement of the role's form: A1..A9, then the role's B statements."""
    return A_STATEMENTS + B_STATEMENTS[FormRole(role)]


def open_questions(role: FormRole | str) -> tuple[Item, ...]:
    return A_OPEN + B_OPEN[FormRole(role)]


def items(role: FormRole | str) -> tuple[Item, ...]:
    return statements(role) + open_questions(role)


def item(role: FormRole | str, key: str) -> Item | None:
    return next((i for i in items(role) if i.key == key), None)


def _finnish() -> dict[str, str]:
    """The seed's Finnish keyed "A1", "A_open_2", "expert:B3", "professional:B_open_4"."""
    texts = {i.key: i.finnish for i in A_STATEMENTS + A_OPEN}
    for role in FormRole:
        texts.update({f"{role.value}:{i.key}": i.finnish
                      for i in B_STATEMENTS[role] + B_OPEN[role]})
    return texts


FINNISH = _finnish()
