"""Consultations: the pair's professional opens one client's record to the pair's supervisor
(/clients/<id>/consultation), and may end it early (/consultations/<id>/end); the supervisor
lists what is open to her (/consultations and a home panel) and reads those records through
the client routes that admit her (outreach.clients.routes READERS and the read routes of the
record's other domains), scoped by `outreach.scope.clients_of`.

Access: opening and ending are the professional's (the expert gets 403; another pair's
client or consultation 404). The list is the supervisor's. Every read she makes is logged
with the basis "consultation" (`outreach.scope.note_access`), and the pair sees
the consultations and those reads in the section this module adds to her page."""

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _

from outreach.auth.access import allow_roles
from outreach.auth.models import Role, User
from outreach.clients.models import Client
from outreach.consultations import queries
from outreach.consultations.forms import EndConsultationForm, OpenConsultationForm
from outreach.consultations.models import DAYS_MAX, DAYS_MIN
from outreach.core.formatting import format_moment
from outreach.core.views import current_user_obj
from outreach.extensions import db
from outreach.panels import HOME_PANELS
from outreach.scope import client_or_404
from outreach.web import render

bp = Blueprint("consultations", __name__)



# --- The supervisor: what is open to her ------------------------------------------------------


@bp.get("/consultations")
@allow_roles(Role.SUPERVISOR)
def index():
    return render("consultations/index.html",
                  consultations=queries.active_for_supervisor(current_user_obj()))


# --- The professional: open and end ------------------------------------------------------------


def _open_page(client: Client, form, *, supervisor, active, status: int = 200):
    return render("consultations/new.html", status=status, client=client, form=form,
                  supervisor=supervisor, active=active, days_min=DAYS_MIN, days_max=DAYS_MAX)


@bp.route("/clients/<int:client_id>/consultation", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL)
def new(client_id: int):
    me = current_user_obj()
    client = client_or_404(me, client_id)
    supervisor = client.pair.supervisor
    active = queries.active_of(queries.consultations_of(client))
    form = OpenConsultationForm()
    if supervisor is None or active is not None:
        # Nothing to open: the page says why (no supervisor, or open already).
        status = 409 if form.is_submitted() else 200
        return _open_page(client, None, supervisor=supervisor, active=active, status=status)
    if form.validate_on_submit():
        consultation = queries.open_consultation(client, me, supervisor.id, form.reason.data,
                                                 form.days.data)
        db.session.commit()
        flash(_("The record of %(name)s is open to %(supervisor)s until %(moment)s.",
                name=client.name, supervisor=supervisor.name,
                moment=format_moment(consultation.ends_at)), "success")
        return redirect(url_for("clients.show", client_id=client.id, _anchor="consultation"))
    return _open_page(client, form, supervisor=supervisor, active=None,
                      status=422 if form.errors else 200)


@bp.route("/consultations/<int:consultation_id>/end", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL)
def end(consultation_id: int):
    """A page that asks first (the client page asks in place); then the consultation ends."""
    me = current_user_obj()
    consultation = queries.consultation_or_404(me, consultation_id)
    form = EndConsultationForm()
    if not consultation.is_active():
        status = 409 if form.is_submitted() else 200
        return render("consultations/end.html", status=status, consultation=consultation,
                      form=None)
    if form.validate_on_submit():
        queries.end_consultation(consultation, me)
        db.session.commit()
        flash(_("The consultation ended: %(supervisor)s can no longer read her record.",
                supervisor=consultation.supervisor.name), "success")
        return redirect(url_for("clients.show", client_id=consultation.client_id,
                                _anchor="consultation"))
    return render("consultations/end.html", consultation=consultation, form=form)


# --- The supervisor's home ------------------------------------------------


def _home_panel(user: User, today) -> dict | None:
    if user.role != Role.SUPERVISOR:
        return None
    return {"consultations": queries.active_for_supervisor(user)}


HOME_PANELS.register("consultations", "consultations/_home_panel.html", _home_panel, order=25)
