"""Network contacts (verkostotyö): the professional contacting a service about her. The
expert reads them (403 on everything else). When her consent does not cover the
organisation (a catalogue service her consent does not name, or any organisation outside
the catalogue), the form warns before saving and asks for the reason to go on; the reason
is kept with the record."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles
from outreach.auth.models import Role, User
from outreach.clients import timeline
from outreach.clients.models import Client
from outreach.clients.queries import client_or_404, clients_of
from outreach.consents.queries import can_record, consent_covers, require_consent
from outreach.contacts.fields import conflict_rows
from outreach.contacts.queries import follow_up_task, note_contact
from outreach.drafts.queries import discard_draft, form_key, open_form, register_form
from outreach.core.editing import is_stale
from outreach.exports import columns, export_response, log_export, stream_rows
from outreach.extensions import db
from outreach.network import queries
from outreach.network.forms import NetworkContactEditForm, NetworkContactForm, NetworkFilterForm
from outreach.network.models import NetworkContact
from outreach.services.queries import active_services
from outreach.tasks.models import TaskOrigin
from outreach.web import render

bp = Blueprint("network", __name__, url_prefix="/clients/<int:client_id>/network")

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)


def _me() -> User:
    return current_user._get_current_object()


@bp.get("/")
# Read only: also the pair's supervisor, for a client a consultation opens to her
# (the scope is clients_of; outreach.consultations).
@allow_roles(*PARTNERS, Role.SUPERVISOR)
def index(client_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    filters = NetworkFilterForm(formdata=request.args)
    pagination = db.paginate(
        queries.network_list(client, q=filters.q.data or ""),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render("network/index.html", client=client, filters=filters, pagination=pagination,
                  may_record=me.role == Role.PROFESSIONAL and can_record(client))


@bp.get("/export")
@allow_roles(*PARTNERS)
def index_export(client_id: int):
    """Her network contacts as a file, with the page's search; one access-log row."""
    client = client_or_404(_me(), client_id)
    filters = NetworkFilterForm(formdata=request.args)
    log_export(client.id, "network")
    return export_response(
        stream_rows(queries.network_list(client, q=filters.q.data or "")),
        columns(
            (_l("When"), lambda item: item.contacted_at),
            (_l("Organisation"), lambda item: item.service.name if item.service
             else item.organisation),
            (_l("Person"), lambda item: item.person),
            (_l("How"), lambda item: item.channel_label),
            (_l("Topic"), lambda item: item.topic),
            (_l("Outcome"), lambda item: item.outcome),
            (_l("Next step"), lambda item: item.next_step),
            (_l("Task"), lambda item: item.task.title if item.task else None),
            (_l("Why contacted without consent"),
             lambda item: item.consent_warning_overridden_reason),
            (_l("Recorded by"), lambda item: item.created_by.name),
        ),
        f"network-contacts-{client.code}",
        sheet_name=_("Network contacts"),
    )


def _form_page(client: Client, form: NetworkContactForm, *, record=None, key: str, draft=None,
               status: int = 200, conflict=None, warning: bool = False):
    return render("network/form.html", status=status, client=client, form=form, record=record,
                  draft_key=key, draft=draft, conflict=conflict, warning=warning,
                  covered=queries.covered_organisations(client))


def _covered(client: Client, form: NetworkContactForm) -> bool:
    """Free-text organisations are never covered by her consent."""
    service_id = form.service_id.data
    return service_id is not None and consent_covers(client, service_id)


def _named(form: NetworkContactForm) -> bool:
    """An organisation has been chosen or written (the warning is about it)."""
    return form.service_id.data not in (None, -1) or bool(form.organisation.data)


def _warned(form: NetworkContactForm) -> bool:
    """Her consent does not cover the organisation: the professional goes on only with the
    box ticked and a reason given; otherwise the form says what is missing."""
    if form.go_on.data and form.reason.data:
        return True
    if form.go_on.data:
        form.reason.errors = [_("Write the reason to go on without her consent.")]
    elif form.reason.data:
        form.go_on.errors = [_("Tick “I go on anyway” to save it with your reason.")]
    return False


def _apply(form: NetworkContactForm, record: NetworkContact, covered: bool) -> None:
    for name, value in form.values().items():
        setattr(record, name, value)
    record.consent_warning_overridden_reason = None if covered else form.reason.data


def _follow_up(form: NetworkContactForm, client: Client, record: NetworkContact) -> None:
    if form.make_task.data and form.next_step.data and record.task_id is None:
        record.task = follow_up_task(client, _me(), form.next_step.data,
                                     form.chosen_assignee(_me().role), form.task_due_on.data,
                                     TaskOrigin.NETWORK_CONTACT)


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL)
def new(client_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    require_consent(client)
    key = form_key("network", "new", client.id)
    services = active_services()
    if request.method == "GET":
        form, draft = open_form(NetworkContactForm, me, key, services=services)
        if draft is None:
            form.fill_defaults(me.role)
        return _form_page(client, form, key=key, draft=draft)
    form = NetworkContactForm(services=services)
    if not form.validate():
        return _form_page(client, form, key=key, status=422,
                          warning=_named(form) and not _covered(client, form))
    covered = _covered(client, form)
    if not covered and not _warned(form):
        return _form_page(client, form, key=key, status=422, warning=True)
    record = NetworkContact(client_id=client.id, pair_id=client.pair_id, created_by_id=me.id)
    _apply(form, record, covered)
    db.session.add(record)
    _follow_up(form, client, record)
    note_contact(client.id, None)  # client.touch(), without bumping her record's version
    discard_draft(me, key)
    db.session.commit()
    if covered:
        flash(_("The network contact was recorded."), "success")
    else:
        flash(_("The network contact was recorded with your reason to go on without her "
                "consent."), "warning")
    return redirect(url_for(".index", client_id=client.id))


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL)
def edit(client_id: int, record_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    record = queries.network_or_404(client, record_id)
    require_consent(client)
    key = form_key("network", "edit", record.id)
    services = active_services()
    if request.method == "GET":
        form, draft = open_form(NetworkContactEditForm, me, key, obj=record, services=services,
                                current_service=record.service)
        if draft is None:
            form.reason.data = record.consent_warning_overridden_reason
            form.go_on.data = bool(record.consent_warning_overridden_reason)
            form.make_task.data = False
        form.default_follow_up(me.role)
        return _form_page(client, form, record=record, key=key, draft=draft,
                          warning=not _covered(client, form))
    form = NetworkContactEditForm(services=services, current_service=record.service)
    valid = form.validate()
    if is_stale(record, form.version.data):
        return _stale(client, record, form, key)
    if not valid:
        return _form_page(client, form, record=record, key=key, status=422,
                          warning=_named(form) and not _covered(client, form))
    covered = _covered(client, form)
    if not covered and not _warned(form):
        return _form_page(client, form, record=record, key=key, status=422, warning=True)
    _apply(form, record, covered)
    _follow_up(form, client, record)
    note_contact(client.id, None)  # client.touch(), without bumping her record's version
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        db.session.expire_all()
        return _stale(client, queries.network_or_404(client, record_id), form, key)
    discard_draft(me, key)
    db.session.commit()
    flash(_("The network contact was saved."), "success")
    return redirect(url_for(".index", client_id=client.id))


def _stale(client: Client, record: NetworkContact, form: NetworkContactEditForm, key: str):
    saved = {name: getattr(record, name) for name in NetworkContactForm.FIELDS}
    rows = conflict_rows(form, saved, form.values())
    form.version.data = str(record.version)
    return _form_page(client, form, record=record, key=key, status=409, conflict=rows,
                      warning=not _covered(client, form))


@bp.post("/<int:record_id>/delete")
@allow_roles(Role.PROFESSIONAL)
def delete(client_id: int, record_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    record = queries.network_or_404(client, record_id)
    db.session.delete(record)
    discard_draft(me, form_key("network", "edit", record_id))
    db.session.commit()
    flash(_("The network contact was deleted."), "success")
    return redirect(url_for(".index", client_id=client.id))


# --- Her timeline, drafts ------------------------------------------------------------------------


def _loader(ids: list[int]) -> dict[int, NetworkContact]:
    query = sa.select(NetworkContact).where(NetworkContact.id.in_(ids)).options(
        joinedload(NetworkContact.service), joinedload(NetworkContact.created_by)
    )
    return {record.id: record for record in db.session.scalars(query)}


timeline.register(
    "network_contact",
    _l("Network contact"),
    lambda: timeline.source_columns(
        "network_contact", NetworkContact, NetworkContact.contacted_at,
        NetworkContact.created_by_id, NetworkContact.client_id,
    ),
    _loader,
    "network/_timeline.html",
)


def _check_draft(user: User, action: str, ident: int) -> None:
    if user.role != Role.PROFESSIONAL:
        abort(403)
    if action == "new":
        client_or_404(user, ident)
        return
    found = db.session.scalar(
        sa.select(NetworkContact.id).where(
            NetworkContact.id == ident,
            NetworkContact.client_id.in_(clients_of(user).with_only_columns(Client.id)),
        )
    )
    if found is None:
        abort(404)


register_form("network", _check_draft)
