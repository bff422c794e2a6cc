"""Her consent: record it, read its history, withdraw it. Both partners may do each; the
client is always loaded within the user's scope first (404 outside it)."""


import sqlalchemy as sa
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.choices import AnonymisationReason
from outreach.consents.forms import ConsentRecordForm, WithdrawalForm
from outreach.consents.models import Consent, ConsentMedium, WithdrawalEffect
from outreach.consents.queries import (
    ConsentState,
    ConsentStatus,
    consent_history,
    consent_state,
    status_of,
)
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.retention.service import anonymise_client
from outreach.scope import PARTNERS, client_or_404
from outreach.web import form_page, render

bp = Blueprint("consents", __name__, url_prefix="/clients/<int:client_id>/consents")



# --- Pages --------------------------------------------------------------------------------


@bp.get("/")
# Read only: also the pair's supervisor, for a client a consultation opens to her
# (the scope is clients_of; outreach.consultations).
@allow_roles(*PARTNERS, Role.SUPERVISOR)
def index(client_id: int):
    """Every consent she has given, newest first; the first is the current one."""
    client = client_or_404(current_user, client_id)
    history = consent_history(client)
    current = history[0] if history else None
    return render(
        "consents/index.html",
        client=client,
        history=history,
        consent_state=ConsentState(status_of(current), current),
        status_of=status_of,
    )


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new(client_id: int):
    client = client_or_404(current_user, client_id)
    form = ConsentRecordForm()
    if not form.is_submitted():
        form.given_on.data = local_today()
    if form.validate_on_submit():
        consent = Consent(
            client=client,
            given_on=form.given_on.data,
            form=ConsentMedium(form.medium.data),
            keep_records=True,
            contact_services=form.contact_services.data,
            expires_on=form.expires_on.data,
            recorded_by_id=current_user.id,
            services=form.chosen(form.services) if form.contact_services.data else [],
            share_organisations=form.chosen(form.share_organisations),
        )
        db.session.add(consent)
        client.touch()
        db.session.commit()
        if status_of(consent) == ConsentStatus.VALID:
            flash(_("Her consent was recorded."), "success")
        else:
            flash(_("Her consent was recorded, but it has already expired: nothing new can "
                    "be recorded about her until she gives consent again."), "warning")
        return redirect(url_for("clients.show", client_id=client.id))
    return form_page(
        "consents/new.html", form,
        client=client,
        consent_state=consent_state(client),
    )


@bp.route("/withdraw", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def withdraw(client_id: int):
    """A page of its own that asks first and says what follows; POST records it."""
    client = client_or_404(current_user, client_id)
    state = consent_state(client)
    form = WithdrawalForm(consent=state.consent)
    if not state.can_withdraw:
        # Nothing to withdraw (none recorded, or the partner just withdrew it).
        status = 409 if form.is_submitted() else 200
        return render("consents/withdraw.html", status=status, client=client, form=None,
                      consent_state=state)
    if not form.is_submitted():
        form.withdrawn_on.data = local_today()
    if form.validate_on_submit():
        # Only a consent not withdrawn meanwhile: two partners at once cannot both win.
        result = db.session.execute(
            sa.update(Consent)
            .where(Consent.id == state.consent.id, Consent.withdrawn_on.is_(None))
            .values(
                withdrawn_on=form.withdrawn_on.data,
                withdrawn_at=utcnow(),
                withdrawal_effect=form.effect,
                withdrawn_by_id=current_user.id,
            )
        )
        if result.rowcount == 0:
            db.session.rollback()
            db.session.expire_all()
            return render("consents/withdraw.html", status=409, client=client, form=None,
                          consent_state=consent_state(client))
        client.touch()
        if form.effect == WithdrawalEffect.ERASE:
            # Carried out at once, in the same transaction as the withdrawal, and logged.
            anonymise_client(client, reason=AnonymisationReason.ERASURE,
                             user=current_user._get_current_object())
        db.session.commit()
        if form.effect == WithdrawalEffect.ERASE:
            flash(_("Her withdrawal was recorded and her details were erased: her name, "
                    "contact details and notes are gone; her code and the figures for "
                    "reports stay. Nothing new can be recorded about her."), "success")
        else:
            flash(_("Her withdrawal was recorded. What is already recorded is kept; nothing "
                    "new can be recorded about her."), "success")
        return redirect(url_for("clients.show", client_id=client.id))
    return form_page(
        "consents/withdraw.html", form,
        client=client,
        consent_state=state,
    )
