"""Accompaniments (jalkautuminen): going with her to a service from the catalogue. Planned
ones appear on the week plan; once the time has passed, the one who went is asked on the
home page to record the outcome (a quick form: the time spent and the outcome's button).
Both partners plan, record and edit; the expert deletes only what she recorded herself."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.accompaniments import queries
from outreach.accompaniments.forms import (
    PLANNED,
    QUICK_MINUTES,
    AccompanimentEditForm,
    AccompanimentFilterForm,
    AccompanimentForm,
    OutcomeForm,
)
from outreach.accompaniments.models import OUTCOME_NAMES, Accompaniment, Outcome
from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.models import Client
from outreach.clients.record_views import ClientRecordViews
from outreach.consents.queries import can_record, require_consent
from outreach.contacts.choices import Participants
from outreach.contacts.queries import note_contact, refresh_last_contact
from outreach.core.clock import utcnow
from outreach.core.editing import stale_conflict
from outreach.core.formatting import format_moment
from outreach.core.forms import name_of
from outreach.core.time import aware
from outreach.core.views import current_user_obj, id_arg
from outreach.extensions import db
from outreach.offline.replay import refuse_unless, replayable
from outreach.record_views import Messages
from outreach.scope import PARTNERS, client_or_404, may_delete
from outreach.services.queries import active_services
from outreach.tasks.models import TaskOrigin
from outreach.tasks.queries import follow_up_task
from outreach.web import is_safe_next, render

bp = Blueprint("accompaniments", __name__,
               url_prefix="/clients/<int:client_id>/accompaniments")


def _names() -> dict:
    return {"outcome_names": OUTCOME_NAMES, "PLANNED": PLANNED}


def _moment(value) -> str:
    return format_moment(aware(value))


class AccompanimentViews(ClientRecordViews):
    """Her accompaniments: the list, the file, planning or recording one, editing, deleting."""

    model = Accompaniment
    id_arg = "accompaniment_id"
    form, edit_form = AccompanimentForm, AccompanimentEditForm
    filter_form = AccompanimentFilterForm
    list_template, form_template = "accompaniments/index.html", "accompaniments/form.html"
    draft_kind = "accompaniment"
    export_part = "accompaniments"
    sheet_name = _l("Accompaniments")
    export_columns = [
        (_l("Planned for"), lambda item: item.planned_at),
        (_l("Took place"), lambda item: item.took_place_at),
        (_l("Service"), lambda item: item.service.name),
        (_l("Purpose"), lambda item: item.purpose),
        (_l("Outcome"), lambda item: item.outcome_label),
        (_l("Who went"), lambda item: item.who_went_label),
        (_l("The experience expert supported the interaction"),
         lambda item: item.expert_supported_interaction),
        (_l("Minutes"), lambda item: item.minutes_spent),
        (_l("Next step"), lambda item: item.next_step),
        (_l("Task"), lambda item: item.task.title if item.task else None),
        (_l("Recorded by"), lambda item: item.created_by.name),
    ]
    export_file = "accompaniments-{parent.code}"
    record_or_404 = staticmethod(queries.accompaniment_or_404)
    messages = Messages(created=_l("The accompaniment was recorded."),
                        saved=_l("The accompaniment was saved."),
                        deleted=_l("The accompaniment was deleted."))

    def listing(self, client, filters):
        return queries.accompaniment_list(client, q=filters.q.data or "",
                                          state=filters.state.data)

    def index_context(self, user, client, filters) -> dict:
        return {"may_record": can_record(client), "now": utcnow(), **_names()}

    def form_args(self, client, record=None) -> dict:
        if record is None:
            return {"services": active_services()}
        return {"services": active_services(), "current_service": record.service}

    def page_context(self, user, client, form, record) -> dict:
        return {"may_delete": may_delete, **_names()}

    def fill_new(self, form, user, client) -> None:
        form.fill_defaults(user.role)
        self._again(client, form)

    def _again(self, client, form) -> None:
        """"Plan it again" after a postponed one: the same service, purpose and who goes."""
        earlier_id = id_arg("again")
        if earlier_id is None:
            return
        earlier = queries.accompaniment_or_404(client, earlier_id)
        form.service_id.data = earlier.service_id
        form.purpose.data = earlier.purpose
        form.who_went.data = earlier.who_went

    def fill_edit(self, form, user, record, draft) -> None:
        if draft is None:
            form.state.data = record.outcome.value if record.outcome else PLANNED
            form.make_task.data = False
        form.default_follow_up(user.role)

    def apply(self, form, record, user, client) -> None:
        """The form's values onto the record. While planned, `when` is the planned time;
        with an outcome it is when it took place (the planned time, if any, is kept)."""
        record.service_id = form.service_id.data
        record.purpose = form.purpose.data
        record.who_went = form.who_went.data
        record.minutes_spent = form.minutes_spent.data
        record.expert_supported_interaction = bool(form.expert_supported_interaction.data)
        record.next_step = form.next_step.data
        outcome = form.outcome
        if outcome is None:
            record.planned_at = form.when.data
            record.took_place_at = None
            record.outcome = None
            record.outcome_recorded_by_id = None
            record.outcome_recorded_at = None
        else:
            if record.outcome != outcome:
                record.outcome_recorded_by_id = user.id
                record.outcome_recorded_at = utcnow()
            record.outcome = outcome
            record.took_place_at = form.when.data
        if form.make_task.data and form.next_step.data and record.task_id is None:
            record.task = follow_up_task(client, user, form.next_step.data,
                                         form.chosen_assignee(user.role), form.task_due_on.data,
                                         TaskOrigin.ACCOMPANIMENT)

    def after_write(self, client, record, *, created: bool) -> None:
        if created:
            note_contact(client.id, record.took_place_at if record.met_her else None)
        else:
            refresh_last_contact(client.id, touch=True)

    def after_delete(self, client, record) -> None:
        refresh_last_contact(client.id)

    def may_delete(self, record, user) -> bool:
        return may_delete(record, user)

    def conflict(self, record, form):
        return stale_conflict(record, form, saved={
            "service_id": record.service_id,
            "purpose": record.purpose,
            "when": record.when,
            "who_went": record.who_went,
            "state": record.outcome.value if record.outcome else PLANNED,
            "minutes_spent": record.minutes_spent,
            "expert_supported_interaction": record.expert_supported_interaction,
            "next_step": record.next_step,
        })

    def created_url(self, client, record) -> str:
        return url_for("clients.show", client_id=client.id, _anchor="field-work")

    def created_message(self, record) -> tuple[str, str]:
        if record.outcome is None:
            return _("The accompaniment was planned for %(moment)s.",
                     moment=_moment(record.planned_at)), "success"
        return super().created_message(record)


# Reading: also the pair's supervisor, for a client a consultation opens to her (the scope
# is clients_of; outreach.consultations). The rest: the partners.
READ, WRITE = allow_roles(*PARTNERS, Role.SUPERVISOR), allow_roles(*PARTNERS)
AccompanimentViews().register(bp, {"index": READ, "index_export": WRITE, "new": WRITE,
                                   "edit": WRITE, "delete": WRITE})


# --- The quick outcome ---------------------------------------------------------------------------


def _next_url(client: Client) -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for("clients.show", client_id=client.id,
                                                         _anchor="field-work")


@bp.route("/<int:accompaniment_id>/outcome", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
@replayable
def outcome(client_id: int, accompaniment_id: int):
    me = current_user_obj()
    client = client_or_404(me, client_id)
    refuse_unless(client.is_active, _("Her record has been closed."))
    record = queries.accompaniment_or_404(client, accompaniment_id)
    require_consent(client)
    next_url = _next_url(client)
    if record.outcome is not None:
        return _outcome_page(client, record, None, next_url, 409 if request.method == "POST"
                             else 200)
    form = OutcomeForm()
    if request.method == "GET":
        form.expert_supported_interaction.data = False
        return _outcome_page(client, record, form, next_url)
    if not form.validate():
        return _outcome_page(client, record, form, next_url, 422)
    supported = bool(form.expert_supported_interaction.data) and \
        record.who_went != Participants.PROFESSIONAL
    if not queries.record_outcome(record, me, form.outcome.data, form.minutes_spent.data,
                                  supported):
        db.session.rollback()
        db.session.expire_all()
        record = queries.accompaniment_or_404(client, accompaniment_id)
        return _outcome_page(client, record, None, next_url, 409)
    db.session.commit()
    message = _("The outcome was recorded: %(outcome)s.",
                outcome=name_of(OUTCOME_NAMES, form.outcome.data))
    flash(message, "success")
    if form.outcome.data == Outcome.POSTPONED:
        return redirect(url_for(".new", client_id=client.id, again=record.id))
    return redirect(next_url)


def _minute_choices() -> list[tuple[int, str]]:
    return [
        (m, _("%(num)d min", num=m) if m < 60
         else _("%(hours)s h", hours=format_decimal(m / 60, format="#.#")))
        for m in QUICK_MINUTES
    ]


def _outcome_page(client, record, form, next_url, status: int = 200):
    return render("accompaniments/outcome.html", status=status, client=client, record=record,
                  form=form, next_url=next_url, quick_minutes=_minute_choices(),
                  outcomes=list(Outcome), **_names())
