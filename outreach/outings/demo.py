"""Demo: the list of areas, and an outing of the first pair's expert yesterday (so her form
starts from her usual area; nothing live, so nothing alerts when the demo starts).
Idempotent."""

from datetime import timedelta

import sqlalchemy as sa

from outreach.core.clock import utcnow
from outreach.extensions import db
from outreach.outings.models import Area, Outing
from outreach.pairs.demo import first_pair

# The same list as migration 0005 (frozen there): for databases made without migrations.
AREAS = (
    "Alppiharju", "Arabianranta", "Hakaniemi", "Haaga", "Herttoniemi", "Itäkeskus",
    "Jakomäki", "Jätkäsaari", "Kaisaniemi", "Kalasatama", "Kallio", "Kamppi", "Kannelmäki",
    "Kontula", "Kulosaari", "Kumpula", "Käpylä", "Laajasalo", "Lauttasaari", "Malmi",
    "Maunula", "Mellunmäki", "Munkkiniemi", "Myllypuro", "Oulunkylä", "Pasila",
    "Pihlajamäki", "Pitäjänmäki", "Pukinmäki", "Punavuori", "Rautatientori", "Ruoholahti",
    "Sörnäinen", "Tapanila", "Töölö", "Vallila", "Viikki", "Vuosaari",
)


def load_areas() -> bool:
    if db.session.scalar(sa.select(sa.func.count(Area.id))):
        return False
    db.session.add_all(Area(name=name) for name in AREAS)
    db.session.flush()
    return True


def load_outings() -> bool:
    pair = first_pair(Outing)
    area = db.session.scalar(sa.select(Area).where(Area.name == "Kallio"))
    if pair is None or area is None:
        return False
    went = utcnow() - timedelta(days=1)
    outing = Outing(pair_id=pair.id, worker_id=pair.expert_id, area_id=area.id,
                    started_at=went, returned_at=went + timedelta(minutes=50))
    outing.set_return(went + timedelta(hours=1), 30)
    db.session.add(outing)
    return True
