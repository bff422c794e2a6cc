"""Contacts with her (yhteydenpito): the quick log on her page (one tap: now, street,
15 minutes, with me), the full form with a server-side draft, her contacts, editing and
deleting. Both partners log and edit; the expert deletes only what she logged herself.
Every view loads her within the user's scope first (404 outside it); recording anything
new needs her valid consent (403 page that says why)."""

from flask import (
    Blueprint,
    flash,
    redirect,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.models import Client
from outreach.clients.record_views import ClientRecordViews
from outreach.consents.queries import can_record, require_consent
from outreach.contacts import queries
from outreach.contacts.choices import (
    CHANNEL_NAMES,
    DEFAULT_DURATION,
    PARTICIPANT_NAMES,
    own_participants,
)
from outreach.contacts.forms import ContactEditForm, ContactFilterForm, ContactForm, QuickLogForm
from outreach.contacts.models import Contact
from outreach.contacts.quick_log import quick_context
from outreach.core.forms import name_of
from outreach.core.views import current_user_obj, is_section_request, section
from outreach.extensions import db
from outreach.offline.replay import refuse_unless, replayable, tapped_at
from outreach.record_views import Messages
from outreach.scope import PARTNERS, client_or_404, may_delete
from outreach.tasks.models import TaskOrigin
from outreach.tasks.queries import follow_up_task

bp = Blueprint("contacts", __name__, url_prefix="/clients/<int:client_id>/contacts")


def _names() -> dict:
    return {"channel_names": CHANNEL_NAMES, "participant_names": PARTICIPANT_NAMES}


class ContactViews(ClientRecordViews):
    """Her contacts: the list, the file, the full form with a draft, editing, deleting."""

    model = Contact
    id_arg = "contact_id"
    record_var = "contact"
    form, edit_form, filter_form = ContactForm, ContactEditForm, ContactFilterForm
    list_template, form_template = "contacts/index.html", "contacts/form.html"
    draft_kind = "contact"
    export_part = "contacts"
    sheet_name = _l("Contacts")
    export_columns = [
        (_l("When"), lambda contact: contact.contacted_at),
        (_l("How"), lambda contact: contact.channel_label),
        (_l("Minutes"), lambda contact: contact.duration_minutes),
        (_l("Who took part"), lambda contact: contact.participants_label),
        (_l("Topics"), lambda contact: contact.topic_labels),
        (_l("Note"), lambda contact: contact.note),
        (_l("Follow-up task"), lambda contact: contact.task.title if contact.task else None),
        (_l("Logged by"), lambda contact: contact.created_by.name),
        (_l("Recorded"), lambda contact: contact.created_at),
    ]
    export_file = "contacts-{parent.code}"
    record_or_404 = staticmethod(queries.contact_or_404)
    messages = Messages(created=_l("The contact was logged."),
                        saved=_l("The contact was saved."),
                        deleted=_l("The contact was deleted."))

    def listing(self, client, filters):
        return queries.contact_list(client, q=filters.q.data or "", channel=filters.channel.data)

    def index_context(self, user, client, filters) -> dict:
        return {"may_record": can_record(client), "may_delete": may_delete, **_names()}

    def page_context(self, user, client, form, record) -> dict:
        return {"may_delete": may_delete, **_names()}

    def fill_new(self, form, user, client) -> None:
        form.fill_defaults(user.role)

    def fill_edit(self, form, user, record, draft) -> None:
        form.default_follow_up(user.role)

    def apply(self, form, record, user, client) -> None:
        super().apply(form, record, user, client)
        if form.task_title.data and record.task_id is None:
            record.task = follow_up_task(
                client, user, form.task_title.data, form.chosen_assignee(user.role),
                form.task_due_on.data, TaskOrigin.CONTACT,
            )

    def after_write(self, client, record, *, created: bool) -> None:
        if created:
            queries.note_contact(client.id, record.contacted_at)
        else:
            queries.refresh_last_contact(client.id, touch=True)

    def after_delete(self, client, record) -> None:
        queries.refresh_last_contact(client.id)

    def may_delete(self, record, user) -> bool:
        return may_delete(record, user)

    def created_url(self, client, record) -> str:
        return url_for("clients.show", client_id=client.id, _anchor="field-work")


# Reading: also the pair's supervisor, for a client a consultation opens to her (the scope
# is clients_of; outreach.consultations). The rest: the partners.
READ, WRITE = allow_roles(*PARTNERS, Role.SUPERVISOR), allow_roles(*PARTNERS)
ContactViews().register(bp, {"index": READ, "index_export": WRITE, "new": WRITE,
                             "edit": WRITE, "delete": WRITE})


# --- The quick log on her page --------------------------------------------------------------


def _is_section_request() -> bool:
    return is_section_request("quick-log")


def _quick_section(client: Client, status: int = 200, recent_contacts=None, **extra):
    more = {} if recent_contacts is None else {"recent_contacts": recent_contacts}
    return section("contacts/_quick_log.html", status, client=client,
                   **quick_context(client, current_user_obj(), **extra), **more)


def _back_to_her(client: Client):
    return redirect(url_for("clients.show", client_id=client.id, _anchor="quick-log"))


@bp.post("/quick")
@allow_roles(*PARTNERS)
@replayable
def quick(client_id: int):
    """One POST with only the channel logs "now, 15 minutes, with me"."""
    me = current_user_obj()
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
    me = current_user_obj()
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
