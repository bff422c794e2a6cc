"""Her consents, declared once as a kind of client record (outreach/core/records.py)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from outreach.consents.demo import load_consents
from outreach.consents.models import Consent
from outreach.consents.queries import consent_state, joined_consent, shared_key, state_of
from outreach.consents.routes import bp
from outreach.core.memo import remember
from outreach.core.records import (
    HerDataPart,
    LogPart,
    RecordKind,
    Section,
    TimelineKind,
    loader_for,
    row_of,
    rows_of,
    source_columns,
    timeline_of,
)


def _service(service) -> str | None:
    return service.name_fi if service is not None else None


def _her_data(ids: list[int]) -> list[dict]:
    consents = rows_of(Consent, ids, selectinload(Consent.services),
                       selectinload(Consent.share_organisations),
                       order=[Consent.given_on, Consent.id])
    return [
        row_of(c, services=[_service(s) for s in c.services],
               share_organisations=[_service(s) for s in c.share_organisations])
        for c in consents
    ]


def _section(client, _user, rows) -> dict:
    if rows is None:  # not loaded with her record
        return {"consent_state": consent_state(client)}
    consent = rows["joined"]
    # The quick log and the mappings ask whether she can be recorded: the same consent.
    remember(shared_key(client), consent)
    return {"consent_state": state_of(consent)}


RECORD = RecordKind(
    name="consent",
    models=(Consent,),
    timeline=(
        timeline_of("consent", _l("Consent"), Consent, Consent.created_at,
                    Consent.recorded_by_id, "consents/_timeline.html"),
        TimelineKind(
            "consent_withdrawal", _l("Consent withdrawn"),
            lambda: source_columns(
                "consent_withdrawal", Consent, Consent.withdrawn_at, Consent.withdrawn_by_id,
                Consent.client_id,
            ).where(Consent.withdrawn_at.is_not(None)),
            loader_for(Consent), "consents/_timeline_withdrawal.html",
        ),
    ),
    # First on her page: the banner when nothing new may be recorded, then the consent itself.
    sections=(
        Section("consent", "consents/_section.html", _section, order=0,
                joined=joined_consent),
    ),
    her_data=HerDataPart("consents", _l("Consents"), _her_data, order=10),
    log_parts=(LogPart("consent", _l("Consents"), "consents"),),
    demo=load_consents,
    blueprint=bp,
)
