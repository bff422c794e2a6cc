"""Pairs: the administrator creates and ends them; the pair's page ("Our pair"); the
start-up agreement the two partners record together."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles, allow_signed_in
from outreach.auth.models import Role
from outreach.core.editing import is_stale, stale_conflict
from outreach.core.formatting import format_day
from outreach.core.forms import search_text
from outreach.core.time import local_today
from outreach.core.views import page_of
from outreach.extensions import db, htmx
from outreach.pairs import agreement as texts
from outreach.pairs import queries
from outreach.pairs.forms import AgreementForm, EndPairForm, NoContactDaysForm, PairForm
from outreach.pairs.models import (
    EDITABLE_FIELDS,
    Pair,
    PairAgreement,
    PairAgreementEdit,
    agreement_state,
)
from outreach.panels import PAIR_PANELS
from outreach.scope import PARTNERS, pair_or_404, visible_pair_ids
from outreach.web import form_page, render

bp = Blueprint("pairs", __name__, url_prefix="/pairs")


@bp.get("/")
@allow_signed_in
def index():
    q = search_text(request.args.get("q", ""))
    status = request.args.get("status", "")
    if status not in queries.PAIR_STATUSES:
        status = ""
    # A boosted link is a whole-page navigation too: only a fragment request stays.
    fragment = htmx and not htmx.boosted
    if current_user.role in PARTNERS and not fragment and not set(request.args) - {"lang"}:
        # "Our pair": a partner with one pair goes straight to its page.
        ids = db.session.scalars(visible_pair_ids(current_user).limit(2)).all()
        if len(ids) == 1:
            return redirect(url_for(".show", pair_id=ids[0]))
    pagination = page_of(queries.pair_list(current_user, q, status))
    return render(
        "pairs/index.html",
        pagination=pagination,
        q=q,
        status_filter=status,
        today=local_today(),
        agreement_state=agreement_state,
        texts=texts,
    )


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(Role.ADMIN)
def new():
    form = PairForm()
    if not form.is_submitted():
        form.starts_on.data = local_today()
    if form.validate_on_submit():
        pair = Pair(
            professional_id=form.professional_id.data,
            expert_id=form.expert_id.data,
            supervisor_id=form.supervisor_id.data,
            starts_on=form.starts_on.data,
        )
        db.session.add(pair)
        db.session.commit()
        flash(_("The pair %(label)s was created.", label=pair.label), "success")
        return redirect(url_for(".show", pair_id=pair.id))
    return form_page("pairs/new.html", form)


@bp.get("/<int:pair_id>")
@allow_signed_in
def show(pair_id: int):
    pair = pair_or_404(current_user, pair_id, visible=True, load=queries.PAIR_PAGE)
    today = local_today()
    return render(
        "pairs/show.html",
        pair=pair,
        agreement=pair.agreement,
        state=agreement_state(pair.agreement),
        today=today,
        texts=texts,
        can_end=current_user.role in (Role.ADMIN, Role.SUPERVISOR) and pair.ends_on is None,
        can_read_agreement=current_user.role == Role.SUPERVISOR or pair.is_partner(current_user),
        can_edit_agreement=_can_edit(pair, today),
        # The partners set the pair's "no contact in N days" (outreach.tasks, issue 6).
        days_form=NoContactDaysForm(obj=pair) if _can_edit(pair, today) else None,
        # Meetings, well-being, feedback, evaluations, groups (outreach.panels).
        panels=PAIR_PANELS.render(pair, current_user, today, pair=pair, today=today),
    )


@bp.post("/<int:pair_id>/no-contact-days")
@allow_roles(*PARTNERS)
def no_contact_days(pair_id: int):
    """The pair's own number of days after which a woman not reached is flagged."""
    pair = pair_or_404(current_user, pair_id, visible=True, load=queries.PAIR_PAGE)
    today = local_today()
    if not _can_edit(pair, today):
        abort(403)
    form = NoContactDaysForm()
    if form.validate_on_submit():
        pair.no_contact_days = form.no_contact_days.data
        db.session.commit()
        flash(_("Women not reached in %(num)d days are now flagged.",
                num=pair.no_contact_days), "success")
        return redirect(url_for(".show", pair_id=pair.id, _anchor="no-contact-heading"))
    return render(
        "pairs/show.html",
        status=422,
        pair=pair,
        agreement=pair.agreement,
        state=agreement_state(pair.agreement),
        today=today,
        texts=texts,
        can_end=False,
        can_read_agreement=True,
        can_edit_agreement=True,
        days_form=form,
    )


@bp.route("/<int:pair_id>/end", methods=["GET", "POST"])
@allow_roles(Role.ADMIN, Role.SUPERVISOR)
def end(pair_id: int):
    """Ending a pair: from `ends_on` on, its members cannot open its clients; every record
    stays with the pair. A page of its own, so that it asks first and keeps errors visible."""
    pair = pair_or_404(current_user, pair_id, visible=True, load=queries.PAIR_PAGE)
    form = EndPairForm(pair=pair)
    if pair.ends_on is not None:
        status = 409 if form.is_submitted() else 200
        return render("pairs/end.html", status=status, pair=pair, form=None)
    if not form.is_submitted():
        form.ends_on.data = local_today()
    if form.validate_on_submit():
        # Only a pair that has not ended meanwhile: two people ending it at once cannot both win.
        result = db.session.execute(
            sa.update(Pair)
            .where(Pair.id == pair.id, Pair.ends_on.is_(None))
            .values(
                ends_on=form.ends_on.data,
                end_reason=form.reason.data.strip(),
                ended_by_id=current_user.id,
            )
        )
        db.session.commit()
        if result.rowcount == 0:
            db.session.expire_all()
            pair = pair_or_404(current_user, pair_id, visible=True, load=queries.PAIR_PAGE)
            return render("pairs/end.html", status=409, pair=pair, form=None)
        flash(
            _("The pair has been ended. From %(day)s on, its members can no longer open its "
              "clients.", day=format_day(form.ends_on.data)),
            "success",
        )
        return redirect(url_for(".show", pair_id=pair.id))
    return form_page("pairs/end.html", form, pair=pair)


def _can_edit(pair: Pair, today: date) -> bool:
    """The two partners edit the agreement together, until the pair has ended."""
    return pair.is_partner(current_user) and not pair.has_ended_by(today)


def _agreement_page(pair: Pair, form: AgreementForm | None, status: int = 200, conflict=None):
    agreement = pair.agreement
    return render(
        "pairs/agreement.html",
        status=status,
        pair=pair,
        agreement=agreement,
        state=agreement_state(agreement),
        edits=queries.agreement_edits(agreement),
        form=form,
        conflict=conflict,
        texts=texts,
        today=local_today(),
    )


@bp.get("/<int:pair_id>/agreement")
@allow_roles(Role.SUPERVISOR, Role.PROFESSIONAL, Role.EXPERT)
def agreement(pair_id: int):
    """Partners edit; the supervisor reads. Administrators see only the state, on the pair page."""
    pair = pair_or_404(current_user, pair_id, visible=True, load=queries.PAIR_PAGE)
    form = None
    if _can_edit(pair, local_today()):
        form = AgreementForm(obj=pair.agreement, version=0)
    return _agreement_page(pair, form)


@bp.post("/<int:pair_id>/agreement")
@allow_roles(Role.PROFESSIONAL, Role.EXPERT)
def save_agreement(pair_id: int):
    pair = pair_or_404(current_user, pair_id, visible=True, load=queries.PAIR_PAGE)
    if not _can_edit(pair, local_today()):
        abort(403)
    agreement = pair.agreement
    form = AgreementForm(obj=agreement)
    valid = form.validate_on_submit()
    if agreement is not None and is_stale(agreement, form.version.data):
        return _stale(pair, form)
    if not valid:
        return _agreement_page(pair, form, status=422)

    submitted = form.values(EDITABLE_FIELDS)
    changed = [
        name for name, value in submitted.items()
        if (getattr(agreement, name) if agreement else None) != value
    ]
    if not changed:
        flash(_("Nothing was changed."), "success")
        return redirect(url_for(".agreement", pair_id=pair.id))
    if agreement is None:
        agreement = PairAgreement(pair=pair)
        db.session.add(agreement)
    for name in changed:
        setattr(agreement, name, submitted[name])
    db.session.add(
        PairAgreementEdit(
            agreement=agreement, edited_by_id=current_user.id, changed_fields=",".join(changed)
        )
    )
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        # The partner saved between our check and our write.
        db.session.rollback()
        db.session.expire_all()
        pair = pair_or_404(current_user, pair_id, visible=True, load=queries.PAIR_PAGE)
        return _stale(pair, form)
    flash(_("The start-up agreement was saved."), "success")
    return redirect(url_for(".agreement", pair_id=pair.id))


def _stale(pair: Pair, form: AgreementForm):
    """409: the partner saved first (outreach.core.editing); the questions by their text."""
    conflict = stale_conflict(pair.agreement, form, fields=EDITABLE_FIELDS,
                              mine=form.values(EDITABLE_FIELDS), label=texts.field_label,
                              show=texts.display_value)
    return _agreement_page(pair, form, status=409, conflict=conflict)
