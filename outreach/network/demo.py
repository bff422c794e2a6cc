"""Demo network contacts: the professional of each pair contacting services her consent
covers, and once (in the first pair) an organisation it does not cover, with the recorded
reason to go on. Idempotent: nothing is added when any network contact exists."""

from datetime import timedelta

from outreach.contacts.demo import at, demo_women
from outreach.core.clock import utcnow
from outreach.core.records import already_loaded
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.network.models import NetworkChannel, NetworkContact

# (channel, person, topic, outcome, next step)
CONTACTS = [
    (NetworkChannel.PHONE, "sosiaalityöntekijä Laine", "Toimeentulotuen käsittelyn tilanne",
     "Käsittely etenee, päätös tulee kahden viikon sisällä.", None),
    (NetworkChannel.SECURE_MESSAGE, "asuntosihteeri Virtanen", "Asuntohakemuksen kiireellisyys",
     "Hakemus merkitty kiireelliseksi; tarvitaan vielä lausunto.",
     "Pyydetään lausunto omatyöntekijältä."),
    (NetworkChannel.MEETING, "sairaanhoitaja Koskinen", "Yhteinen tapaaminen hoidon aloittamisesta",
     "Sovittiin ensikäynti; hän haluaa kokemusasiantuntijan mukaan.", None),
    (NetworkChannel.EMAIL, "etuuskäsittelijä", "Puuttuvat liitteet",
     "Pyysivät vuokrasopimuksen kopion.", "Toimitetaan vuokrasopimus Kelaan."),
]
OVERRIDE = (
    NetworkChannel.PHONE, "päivystävä sosiaalityöntekijä", None,
    "Hän kertoi puhelimessa pelkäävänsä entistä kumppaniaan eikä uskaltanut palata "
    "ensisuojaan. Turvakodin paikka järjestyi samaksi yöksi.",
    "Kysytään huomenna häneltä, saako turvakotiin olla yhteydessä jatkossakin.",
    "Välitön vaara: hän pyysi itse soittamaan turvakotiin, eikä suostumusta ehditty "
    "päivittää ennen yötä.",
)


def _covered_service_ids(consent) -> list[int]:
    ids = [s.id for s in consent.share_organisations]
    if consent.contact_services:
        ids += [s.id for s in consent.services]
    return list(dict.fromkeys(ids))


def load_network_contacts() -> bool:
    if already_loaded(NetworkContact):
        return False
    women = demo_women()
    if not women:
        return False
    now = utcnow()
    records = []
    overridden = False
    for n, woman in enumerate(women):
        pair = woman.client.pair
        covered = _covered_service_ids(woman.consent)
        if covered:
            for i, (channel, person, topic, outcome, step) in enumerate(
                CONTACTS[n % 2:n % 2 + 2]
            ):
                day = woman.last_day - timedelta(days=3 + 9 * i)
                if day < woman.first_day:
                    continue
                moment = at(day, 11 + i)
                records.append(NetworkContact(
                    client_id=woman.client.id, pair_id=pair.id,
                    service_id=covered[(n + i) % len(covered)], person=person, channel=channel,
                    topic=topic, outcome=outcome, next_step=step, contacted_at=moment,
                    created_by_id=pair.professional_id,
                    created_at=min(moment + timedelta(minutes=20), now),
                ))
        elif not overridden and woman.last_day >= woman.first_day + timedelta(days=2) and (
                woman.consent.expires_on is None or woman.consent.expires_on >= local_today()):
            # An organisation her consent does not name: the professional went on anyway.
            channel, person, _topic, outcome, step, reason = OVERRIDE
            moment = at(woman.last_day - timedelta(days=1), 20)
            records.append(NetworkContact(
                client_id=woman.client.id, pair_id=pair.id,
                organisation="Helsingin Ensi- ja turvakoti, turvakodin päivystys",
                person=person, channel=channel, topic="Turvakotipaikka samaksi yöksi",
                outcome=outcome, next_step=step, contacted_at=moment,
                consent_warning_overridden_reason=reason, created_by_id=pair.professional_id,
                created_at=min(moment + timedelta(minutes=30), now),
            ))
            overridden = True
    db.session.add_all(records)
    db.session.flush()
    return bool(records)
