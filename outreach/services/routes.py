"""The service catalogue: every signed-in user reads it; only administrators change it."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.auth.access import allow_roles, allow_signed_in
from outreach.auth.models import Role
from outreach.core.views import page_of
from outreach.exports import columns, export_response, stream_rows
from outreach.extensions import db
from outreach.services import queries
from outreach.services.forms import ServiceFilterForm, ServiceForm
from outreach.services.models import Service
from outreach.web import form_page, render

bp = Blueprint("services", __name__, url_prefix="/services")


@bp.get("/")
@allow_signed_in
def index():
    filter_form = ServiceFilterForm(formdata=request.args)
    pagination = page_of(queries.search_services(**filter_form.filters()))
    return render("services/index.html", filter_form=filter_form, pagination=pagination)


@bp.get("/export")
@allow_signed_in
def index_export():
    """The catalogue as a file, with the page's search and filters."""
    filter_form = ServiceFilterForm(formdata=request.args)
    return export_response(
        stream_rows(queries.search_services(**filter_form.filters())),
        columns(
            (_l("Name"), lambda service: service.name),
            (_l("Kind"), lambda service: service.kind_label),
            (_l("Address"), lambda service: service.address),
            (_l("Opening hours"), lambda service: service.opening_hours),
            (_l("Active"), lambda service: service.active),
            (_l("Name in Finnish"), lambda service: service.name_fi),
            (_l("Name in Swedish"), lambda service: service.name_sv),
            (_l("Name in English"), lambda service: service.name_en),
        ),
        "services",
        sheet_name=_("Services"),
    )


@bp.get("/<int:service_id>")
@allow_signed_in
def show(service_id: int):
    return render("services/show.html", service=queries.service_or_404(service_id))


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(Role.ADMIN)
def create():
    form = ServiceForm()
    if form.validate_on_submit():
        service = Service()
        form.save_to(service)
        db.session.add(service)
        db.session.commit()
        flash(_("The service has been added."), "success")
        return redirect(url_for("services.show", service_id=service.id))
    return form_page("services/form.html", form, service=None)


@bp.route("/<int:service_id>/edit", methods=["GET", "POST"])
@allow_roles(Role.ADMIN)
def edit(service_id: int):
    service = queries.service_or_404(service_id)
    form = ServiceForm(obj=service)
    if form.validate_on_submit():
        form.save_to(service)
        db.session.commit()
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("services.show", service_id=service.id))
    return form_page("services/form.html", form, service=service)


@bp.post("/<int:service_id>/deactivate")
@allow_roles(Role.ADMIN)
def deactivate(service_id: int):
    service = queries.service_or_404(service_id)
    if service.active:
        service.active = False
        db.session.commit()
    flash(_("The service is no longer offered for new records."), "success")
    return redirect(url_for("services.show", service_id=service.id))


@bp.post("/<int:service_id>/reactivate")
@allow_roles(Role.ADMIN)
def reactivate(service_id: int):
    service = queries.service_or_404(service_id)
    if not service.active:
        service.active = True
        db.session.commit()
    flash(_("The service is offered again."), "success")
    return redirect(url_for("services.show", service_id=service.id))
