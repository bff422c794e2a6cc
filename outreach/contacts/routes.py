"""Contacts with her (yhteydenpito): the quick log on her page (one tap: now, street,
15 minutes, with me), the full form with a server-side draft, her contacts, editing and
deleting. Both partners log and edit; the expert deletes only what she logged herself.
Every view loads her within the user's scope first (404 outside it); recording anything
new needs her valid consent (403 page that says why)."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
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
from outreach.clients.sections import register_section
from outreach.consents.queries import can_record, require_consent
from outreach.contacts import queries
from outreach.contacts.choices import (
    CHANNEL_NAMES,
    CHANNEL_SHORT_NAMES,
    DEFAULT_DURATION,
    PARTICIPANT_NAMES,
    QUICK_DURATIONS,
    Channel,
    Participants,
    name_of,
    own_participants,
)
from outreach.contacts.fields import conflict_rows
from outreach.contacts.forms import ContactEditForm, ContactFilterForm, ContactForm, QuickLogForm
from outreach.contacts.models import Contact
from outreach.drafts.queries import discard_draft, form_key, open_form, register_form
from outreach.editing import is_stale
from outreach.exports import columns, export_response, log_export, stream_rows
from outreach.extensions import db, htmx
from outreach.offline.replay import refuse_unless, replayable, tapped_at
from outreach.tasks.models import TaskOrigin
from outreach.web import render

bp = Blueprint("contacts", __name__, url_prefix="/clients/<int:client_id>/contacts")

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)


def _me() -> User:
    return current_user._get_current_object()


def _names() -> dict:
    return {"channel_names": CHANNEL_NAMES, "participant_names": PARTICIPANT_NAMES}


# --- Her contacts ----------------------------------------------------------------------------


@bp.get("/")
# Read only: also the pair's supervisor, for a client a consultation opens to her
# (the scope is clients_of; outreach.consultations).
@allow_roles(*PARTNERS, Role.SUPERVISOR)
def index(client_id: int):
    client = client_or_404(_me(), client_id)
    filters = ContactFilterForm(formdata=request.args)
    pagination = db.paginate(
        queries.contact_list(client, q=filters.q.data or "", channel=filters.channel.data),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render("contacts/index.html", client=client, filters=filters, pagination=pagination,
                  may_record=can_record(client), may_delete=queries.may_delete, **_names())


@bp.get("/export")
@allow_roles(*PARTNERS)
def index_export(client_id: int):
    """Her contacts as a file, with the page's search; one access-log row (export)."""
    client = client_or_404(_me(), client_id)
    filters = ContactFilterForm(formdata=request.args)
    log_export(client.id, "contacts")
    return export_response(
        stream_rows(queries.contact_list(client, q=filters.q.data or "",
                                         channel=filters.channel.data)),
        columns(
            (_l("When"), lambda contact: contact.contacted_at),
            (_l("How"), lambda contact: contact.channel_label),
            (_l("Minutes"), lambda contact: contact.duration_minutes),
            (_l("Who took part"), lambda contact: contact.participants_label),
            (_l("Topics"), lambda contact: contact.topic_labels),
            (_l("Note"), lambda contact: contact.note),
            (_l("Follow-up task"), lambda contact: contact.task.title if contact.task else None),
            (_l("Logged by"), lambda contact: contact.created_by.name),
            (_l("Recorded"), lambda contact: contact.created_at),
        ),
        f"contacts-{client.code}",
        sheet_name=_("Contacts"),
    )


# --- The full form ------------------------------------------------------------------------------


def _form_page(client: Client, form: ContactForm, *, contact: Contact | None = None,
               key: str, draft=None, status: int = 200, conflict=None):
    return render("contacts/form.html", status=status, client=client, form=form,
                  contact=contact, draft_key=key, draft=draft, conflict=conflict,
                  may_delete=queries.may_delete, **_names())


def _follow_up(form: ContactForm, client: Client, record) -> None:
    if form.task_title.data and record.task_id is None:
        record.task = queries.follow_up_task(
            client, _me(), form.task_title.data, form.chosen_assignee(_me().role),
            form.task_due_on.data, TaskOrigin.CONTACT,
        )


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new(client_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    require_consent(client)
    key = form_key("contact", "new", client.id)
    if request.method == "GET":
        form, draft = open_form(ContactForm, me, key)
        if draft is None:
            form.fill_defaults(me.role)
        return _form_page(client, form, key=key, draft=draft)
    form = ContactForm()
    if not form.validate():
        return _form_page(client, form, key=key, status=422)
    contact = Contact(client_id=client.id, pair_id=client.pair_id, created_by_id=me.id,
                      **form.values())
    db.session.add(contact)
    _follow_up(form, client, contact)
    queries.note_contact(client.id, contact.contacted_at)
    discard_draft(me, key)
    db.session.commit()
    flash(_("The contact was logged."), "success")
    return redirect(url_for("clients.show", client_id=client.id, _anchor="field-work"))


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def edit(client_id: int, contact_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    contact = queries.contact_or_404(client, contact_id)
    require_consent(client)
    key = form_key("contact", "edit", contact.id)
    if request.method == "GET":
        form, draft = open_form(ContactEditForm, me, key, obj=contact)
        form.default_follow_up(me.role)
        return _form_page(client, form, contact=contact, key=key, draft=draft)
    form = ContactEditForm()
    valid = form.validate()
    if is_stale(contact, form.version.data):
        return _stale(client, contact, form, key)
    if not valid:
        return _form_page(client, form, contact=contact, key=key, status=422)
    for name, value in form.values().items():
        setattr(contact, name, value)
    _follow_up(form, client, contact)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        db.session.expire_all()
        return _stale(client, queries.contact_or_404(client, contact_id), form, key)
    queries.refresh_last_contact(client.id, touch=True)
    discard_draft(me, key)
    db.session.commit()
    flash(_("The contact was saved."), "success")
    return redirect(url_for(".index", client_id=client.id))


def _stale(client: Client, contact: Contact, form: ContactEditForm, key: str):
    """409: the partner saved first; both versions side by side, the input kept, and the
    form now carries the current version so that saving again is deliberate."""
    saved = {name: getattr(contact, name) for name in ContactForm.FIELDS}
    rows = conflict_rows(form, saved, form.values())
    form.version.data = str(contact.version)
    return _form_page(client, form, contact=contact, key=key, status=409, conflict=rows)


@bp.post("/<int:contact_id>/delete")
@allow_roles(*PARTNERS)
def delete(client_id: int, contact_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    contact = queries.contact_or_404(client, contact_id)
    if not queries.may_delete(contact, me):
        abort(403)
    db.session.delete(contact)
    queries.refresh_last_contact(client.id)
    discard_draft(me, form_key("contact", "edit", contact_id))
    db.session.commit()
    flash(_("The contact was deleted."), "success")
    return redirect(url_for(".index", client_id=client.id))


# --- The quick log on her page --------------------------------------------------------------


def _is_section_request() -> bool:
    return bool(htmx) and not htmx.boosted and request.headers.get("HX-Target") == "quick-log"


_LOOK_UP = object()


def _quick_context(client: Client, user: User, *, just=_LOOK_UP, may_record: bool | None = None,
                   form: QuickLogForm | None = None, message: str | None = None,
                   message_kind: str = "success") -> dict:
    """What the quick-log section shows: two queries at most (her consent, and the contact
    the user logged a moment ago)."""
    return {
        "may_record": can_record(client) if may_record is None else may_record,
        "just": queries.just_logged(client, user) if just is _LOOK_UP else just,
        "own": own_participants(user.role),
        "durations": QUICK_DURATIONS,
        "default_duration": DEFAULT_DURATION,
        "channels": list(Channel),
        "channel_short_names": CHANNEL_SHORT_NAMES,
        "participant_names": PARTICIPANT_NAMES,
        "participants_values": list(Participants),
        "quick_form": form,
        "message": message,
        "message_kind": message_kind,
    }


def _quick_section(client: Client, status: int = 200, recent_contacts=None, **extra):
    more = {} if recent_contacts is None else {"recent_contacts": recent_contacts}
    html = render_template("contacts/_quick_log.html", client=client,
                           **_quick_context(client, _me(), **extra), **more)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _back_to_her(client: Client):
    return redirect(url_for("clients.show", client_id=client.id, _anchor="quick-log"))


@bp.post("/quick")
@allow_roles(*PARTNERS)
@replayable
def quick(client_id: int):
    """One POST with only the channel logs "now, 15 minutes, with me"."""
    me = _me()
    client = client_or_404(me, client_id)
    refuse_unless(client.is_active, _("Her record has been closed."))
    require_consent(client)
    form = QuickLogForm()
    if not form.validate():
        if _is_section_request():
            return _quick_section(client, 422, form=form, may_record=True)
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return _back_to_her(client)
    contact = Contact(
        client_id=client.id,
        pair_id=client.pair_id,
        contacted_at=tapped_at(),  # a write sent later from the phone: when she tapped
        duration_minutes=DEFAULT_DURATION if form.duration_minutes.data is None
        else form.duration_minutes.data,
        channel=form.channel.data,
        participants=form.participants.data or own_participants(me.role),
        topics=[],
        created_by_id=me.id,
    )
    db.session.add(contact)
    queries.note_contact(client.id, contact.contacted_at)
    db.session.commit()
    message = _("Logged: %(channel)s, %(minutes)d min, %(who)s.",
                channel=name_of(CHANNEL_NAMES, contact.channel),
                minutes=contact.duration_minutes,
                who=name_of(PARTICIPANT_NAMES, contact.participants).lower())
    if _is_section_request():
        # "Latest contacts" further down her page is updated in place (out of band).
        return _quick_section(client, just=contact, message=message, may_record=True,
                              recent_contacts=queries.recent_contacts(client))
    flash(message, "success")
    return _back_to_her(client)


@bp.post("/<int:contact_id>/undo")
@allow_roles(*PARTNERS)
def undo(client_id: int, contact_id: int):
    """Take back the contact just logged: the logger only, within a few minutes."""
    me = _me()
    client = client_or_404(me, client_id)
    contact = queries.contact_or_404(client, contact_id)
    if not queries.may_undo(contact, me):
        message = _("It can no longer be undone here. Delete it from her contacts if needed.")
        if _is_section_request():
            return _quick_section(client, 409, message=message, message_kind="warning")
        flash(message, "warning")
        return _back_to_her(client)
    db.session.delete(contact)
    queries.refresh_last_contact(client.id)
    db.session.commit()
    message = _("The contact was removed.")
    if _is_section_request():
        return _quick_section(client, just=None, message=message)
    flash(message, "success")
    return _back_to_her(client)


# --- Her page, her timeline, drafts -------------------------------------------------------------


def _quick_log_section(client: Client, user: User) -> dict:
    return _quick_context(client, user)


def _field_work_section(client: Client, user: User) -> dict:
    from outreach.accompaniments.queries import accompaniment_summary
    from outreach.network.queries import network_count

    return {
        "recent_contacts": queries.recent_contacts(client),
        **accompaniment_summary(client),
        "network_count": network_count(client),
    }


register_section("quick-log", "contacts/_quick_log.html", _quick_log_section, order=5,
                 for_readers=False)
register_section("field-work", "contacts/_section.html", _field_work_section, order=45)


def _contact_loader(ids: list[int]) -> dict[int, Contact]:
    query = sa.select(Contact).where(Contact.id.in_(ids)).options(joinedload(Contact.created_by))
    return {record.id: record for record in db.session.scalars(query)}


timeline.register(
    "contact",
    _l("Contact"),
    lambda: timeline.source_columns(
        "contact", Contact, Contact.contacted_at, Contact.created_by_id, Contact.client_id
    ),
    _contact_loader,
    "contacts/_timeline.html",
)


def _check_draft(user: User, action: str, ident: int) -> None:
    if action == "new":
        client_or_404(user, ident)
        return
    found = db.session.scalar(
        sa.select(Contact.id).where(Contact.id == ident,
                                    Contact.client_id.in_(clients_of(user).with_only_columns(
                                        Client.id)))
    )
    if found is None:
        abort(404)


register_form("contact", _check_draft)
