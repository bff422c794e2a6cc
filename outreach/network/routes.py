"""Network contacts (verkostotyö): the professional contacting a service about her. The
expert reads them (403 on everything else). When her consent does not cover the
organisation (a catalogue service her consent does not name, or any organisation outside
the catalogue), the form warns before saving and asks for the reason to go on; the reason
is kept with the record."""

from flask import Blueprint
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.models import Client
from outreach.clients.record_views import ClientRecordViews
from outreach.consents.queries import can_record, consent_covers
from outreach.contacts.queries import note_contact
from outreach.network import queries
from outreach.network.forms import NetworkContactEditForm, NetworkContactForm, NetworkFilterForm
from outreach.network.models import NetworkContact
from outreach.record_views import Messages
from outreach.scope import PARTNERS
from outreach.services.queries import active_services
from outreach.tasks.models import TaskOrigin
from outreach.tasks.queries import follow_up_task

bp = Blueprint("network", __name__, url_prefix="/clients/<int:client_id>/network")


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


class NetworkViews(ClientRecordViews):
    """Her network contacts; the form warns when her consent does not cover the
    organisation and keeps the reason to go on."""

    model = NetworkContact
    form, edit_form, filter_form = NetworkContactForm, NetworkContactEditForm, NetworkFilterForm
    list_template, form_template = "network/index.html", "network/form.html"
    draft_kind = "network"
    export_part = "network"
    sheet_name = _l("Network contacts")
    export_columns = [
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
    ]
    export_file = "network-contacts-{parent.code}"
    record_or_404 = staticmethod(queries.network_or_404)
    messages = Messages(created=_l("The network contact was recorded."),
                        saved=_l("The network contact was saved."),
                        deleted=_l("The network contact was deleted."))

    def listing(self, client, filters):
        return queries.network_list(client, q=filters.q.data or "")

    def index_context(self, user, client, filters) -> dict:
        return {"may_record": user.role == Role.PROFESSIONAL and can_record(client)}

    def form_args(self, client, record=None) -> dict:
        if record is None:
            return {"services": active_services()}
        return {"services": active_services(), "current_service": record.service}

    def page_context(self, user, client, form, record) -> dict:
        # The warning shows whenever a named organisation is outside her consent.
        return {"warning": _named(form) and not _covered(client, form),
                "covered": queries.covered_organisations(client)}

    def fill_new(self, form, user, client) -> None:
        form.fill_defaults(user.role)

    def fill_edit(self, form, user, record, draft) -> None:
        if draft is None:
            form.reason.data = record.consent_warning_overridden_reason
            form.go_on.data = bool(record.consent_warning_overridden_reason)
            form.make_task.data = False
        form.default_follow_up(user.role)

    def accept(self, client, form, record=None) -> bool:
        return _covered(client, form) or _warned(form)

    def apply(self, form, record, user, client) -> None:
        super().apply(form, record, user, client)
        covered = _covered(client, form)
        record.consent_warning_overridden_reason = None if covered else form.reason.data
        if form.make_task.data and form.next_step.data and record.task_id is None:
            record.task = follow_up_task(client, user, form.next_step.data,
                                         form.chosen_assignee(user.role), form.task_due_on.data,
                                         TaskOrigin.NETWORK_CONTACT)

    def after_write(self, client, record, *, created: bool) -> None:
        note_contact(client.id, None)  # client.touch(), without bumping her record's version

    def created_message(self, record) -> tuple[str, str]:
        if record.consent_warning_overridden_reason is None:
            return super().created_message(record)
        return _("The network contact was recorded with your reason to go on without her "
                 "consent."), "warning"


# Reading: the partners, and the pair's supervisor for a client a consultation opens to her.
# The professional contacts services; the expert reads them.
READ, PROFESSIONAL = allow_roles(*PARTNERS, Role.SUPERVISOR), allow_roles(Role.PROFESSIONAL)
NetworkViews().register(bp, {"index": READ, "index_export": allow_roles(*PARTNERS),
                             "new": PROFESSIONAL, "edit": PROFESSIONAL,
                             "delete": PROFESSIONAL})

