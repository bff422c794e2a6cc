"""Demo start-up agreements: pair 1 has a complete one; pair 2 is still missing the
confidentiality date, so its expert meets the confidentiality gate."""

from datetime import timedelta

import sqlalchemy as sa

from outreach.auth.queries import user_by_email
from outreach.core.records import already_loaded
from outreach.core.time import utc_at
from outreach.extensions import db
from outreach.pairs.models import (
    EDITABLE_FIELDS,
    MeetingRhythm,
    Pair,
    PairAgreement,
    PairAgreementEdit,
)

COMPLETE_NOTES = {
    "values_1": (
        "Molemmat ajattelemme, että jokaisessa ihmisessä on voimavaroja, vaikka elämä olisi "
        "juuri nyt kaaoksessa. Emme määrittele naista asunnottomuuden tai päihteiden kautta.\n"
        "Ohjauksessa se tarkoittaa, että kuuntelemme ensin ja etenemme hänen tahdissaan."
    ),
    "values_2": (
        "Paula: rehellisyys, luotettavuus ja se, että lupaukset pidetään.\n"
        "Eeva: kunnioitus ja toivo – kukaan ei ole toivoton tapaus, en ollut minäkään."
    ),
    "values_3": (
        "Paula on rauhallinen ja jäsentää asioita. Eeva on suora ja lämmin, ja naiset "
        "uskaltavat puhua hänelle. Toivomme olevamme pari, jonka luo on helppo tulla myös "
        "huonona päivänä."
    ),
    "values_4": (
        "Turvallisuus, kiireettömyys ja se, että nainen itse päättää, mitä haluaa ottaa "
        "vastaan. Pienetkin askeleet ovat onnistumisia."
    ),
    "values_5": (
        "Monella naisella on kokemuksia väkivallasta, eikä luottamus viranomaisiin synny "
        "heti. Väsymys ja nälkä vaikuttavat jaksamiseen: tapaamisissa on hyvä olla jotain "
        "syötävää ja lupa lähteä kesken."
    ),
    "roles_1": (
        "Paulalla on kokonaisvastuu asiakasprosesseista ja yhteydenpidosta palveluihin. "
        "Eeva tuo oman kokemuksensa ja on naisten arjessa lähellä. Puhuimme, että Eevan ei "
        "tarvitse tietää tai hoitaa kaikkea – hän saa myös kysyä."
    ),
    "roles_2": (
        "Eeva hoitaa yhteydenpitoa ja lähtee mukaan asiointeihin (Kela, sosiaalitoimisto). "
        "Paula tekee kartoitukset ja verkostotyön. Tapaamisissa Eeva saa olla myös vertainen "
        "eikä vain työntekijä."
    ),
    "roles_3": (
        "Kerromme heti ensitapaamisella, että Paula on sosiaaliohjaaja ja Eeva "
        "kokemusasiantuntija, jolla on omaa kokemusta asunnottomuudesta. Eeva päättää itse, "
        "kuinka paljon kertoo omasta taustastaan."
    ),
    "roles_4": (
        "Jos Eeva tuntee naisen entuudestaan, hän kertoo siitä Paulalle ja kysyy naiselta, "
        "sopiiko yhteistyö. Tarvittaessa Paula hoitaa tapaamiset yksin. Eevaa jännittää "
        "vanhojen tuttujen kohtaaminen, ja siitä saa puhua."
    ),
    "roles_5": (
        "Eeva: ylpeyttä siitä, että kokemuksestani on hyötyä. Välillä naisten tarinat "
        "nostavat pintaan omia muistoja, ja silloin tarvitsen purkukeskustelun samana päivänä."
    ),
    "roles_6": (
        "Eeva laittaa tekstiviestin \"soita kun ehdit\", jos tarvitsee tukea. Jos on kiire, "
        "hän kirjoittaa \"nyt heti\". Paula vastaa saman päivän aikana."
    ),
    "roles_7": (
        "Eeva asioi mieluummin aamupäivisin. Hän ei halua mennä yksin poliisilaitokselle "
        "omien kokemustensa vuoksi."
    ),
    "challenging_situations_plan": (
        "Jos tilanne kiristyy (uhkaava käytös, päihtymys), Paula ottaa vastuun ja Eeva "
        "siirtyy sivuun. Sovittu merkki: \"haetaanko kahvit\" tarkoittaa, että lähdetään. "
        "Yksin ei mennä asuntokäynneille. Akuutissa vaarassa soitetaan 112."
    ),
    "practical_matters": (
        "Tullaan paikalle vartti ennen sovittua aikaa. Poissaoloista ilmoitetaan "
        "tekstiviestillä heti aamulla, viimeistään klo 9. Matkakulut Eeva kirjaa kuukauden "
        "lopussa."
    ),
    "professional_asks_help": (
        "Paula kysyy Eevalta suoraan, kun ei tiedä, miten asian voisi sanoa naiselle "
        "ymmärrettävästi, tai kun kaipaa näkemystä siitä, miltä tilanne tuntuu naisen "
        "näkökulmasta."
    ),
    "expert_asks_help": (
        "Tekstiviesti tai puhelu. Purkukeskustelussa Eeva kertoo, jos jokin jäi painamaan. "
        "Rohkaisua saa ja pitää pyytää – se ei ole heikkoutta."
    ),
}

IN_PROGRESS_NOTES = {
    "values_1": (
        "Ihminen on enemmän kuin tilanteensa. Halutaan kohdata naiset ilman ennakko-oletuksia."
    ),
    "values_2": "Pirjo: luottamus ja avoimuus. Essi: tasa-arvo ja se, ettei ketään tuomita.",
    "values_3": (
        "Pirjo on vasta aloittanut jalkautuvassa työssä ja toivoo oppivansa Essiltä, miten "
        "naisia lähestytään kadulla."
    ),
    "roles_1": (
        "Rooleista puhuttiin alustavasti. Jatketaan seuraavassa suunnittelutapaamisessa, kun "
        "Essin vapaaehtoissopimus on käyty läpi."
    ),
    "roles_2": "Essi lähtee aluksi mukaan asiointeihin, Pirjo hoitaa kirjaukset.",
    "practical_matters": "Tavataan maanantaisin toimistolla klo 9.30 ennen jalkautumista.",
}


def first_pair(model) -> Pair | None:
    """The demo's first pair, to load `model`'s rows into; None when the table has rows
    already (loaders are idempotent) or there is no pair yet."""
    if already_loaded(model):
        return None
    return db.session.scalar(sa.select(Pair).order_by(Pair.id).limit(1))


def both_pairs(model) -> tuple[Pair, Pair] | None:
    """The demo's two pairs (pro1 & expert1, pro2 & expert2), to load `model`'s rows into;
    None when the table has rows already or the pairs do not exist yet."""
    if already_loaded(model):
        return None
    first = demo_pair("pro1@demo.test", "expert1@demo.test")
    second = demo_pair("pro2@demo.test", "expert2@demo.test")
    return (first, second) if first is not None and second is not None else None


def demo_pair(professional_email: str, expert_email: str | None = None) -> Pair | None:
    """The demo's pair of these partners (the professional's first pair when no expert is
    named); None before the demo accounts exist."""
    professional = user_by_email(professional_email)
    expert = user_by_email(expert_email) if expert_email is not None else None
    if professional is None or (expert_email is not None and expert is None):
        return None
    query = sa.select(Pair).where(Pair.professional_id == professional.id)
    if expert is not None:
        query = query.where(Pair.expert_id == expert.id)
    return db.session.scalar(query.order_by(Pair.id).limit(1))


def _edits(agreement: PairAgreement, *edits) -> None:
    for user, at, fields in edits:
        db.session.add(
            PairAgreementEdit(
                agreement=agreement, edited_by_id=user.id, at=at, changed_fields=",".join(fields)
            )
        )


def load_pairs_agreements() -> bool:
    """Idempotent: nothing is added when any start-up agreement exists."""
    if (pairs := both_pairs(PairAgreement)) is None:
        return False
    first, second = pairs

    met = first.starts_on + timedelta(days=3)
    complete = PairAgreement(
        pair=first,
        meeting_date=met,
        volunteer_signed_on=met,
        confidentiality_signed_on=met,
        planning_rhythm=MeetingRhythm.WEEKLY,
        debrief_rhythm=MeetingRhythm.EVERY_2_WEEKS,
        **COMPLETE_NOTES,
    )
    db.session.add(complete)
    first_fields = [name for name in EDITABLE_FIELDS if getattr(complete, name)]
    _edits(
        complete,
        (first.professional, utc_at(met, 14), [f for f in first_fields if f != "expert_asks_help"]),
        (first.expert, utc_at(met + timedelta(days=1), 10), ["expert_asks_help", "roles_6"]),
    )

    met = second.starts_on + timedelta(days=5)
    in_progress = PairAgreement(
        pair=second,
        meeting_date=met,
        volunteer_signed_on=met,
        planning_rhythm=MeetingRhythm.WEEKLY,
        **IN_PROGRESS_NOTES,
    )
    db.session.add(in_progress)
    second_fields = [name for name in EDITABLE_FIELDS if getattr(in_progress, name)]
    _edits(in_progress, (second.professional, utc_at(met, 15), second_fields))
    db.session.flush()
    return True
