"""Accompaniments (jalkautuminen): going with her to a service from the catalogue. Planned
ones appear on the week plan; once the time has passed, the one who went is asked on the
home page to record the outcome (a quick form: the time spent and the outcome's button).
Both partners plan, record and edit; the expert deletes only what she recorded herself."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

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
from outreach.auth.models import Role, User, utcnow
from outreach.clients import timeline
from outreach.clients.models import Client
from outreach.clients.queries import client_or_404, clients_of
from outreach.consents.queries import can_record, require_consent
from outreach.contacts.choices import Participants, name_of
from outreach.contacts.fields import conflict_rows
from outreach.contacts.queries import (
    follow_up_task,
    may_delete,
    note_contact,
    refresh_last_contact,
)
from outreach.drafts.queries import discard_draft, form_key, open_form, register_form
from outreach.editing import is_stale
from outreach.exports import columns, export_response, log_export, stream_rows
from outreach.extensions import db
from outreach.offline.replay import refuse_unless, replayable
from outreach.services.queries import active_services
from outreach.tasks.models import TaskOrigin
from outreach.web import is_safe_next, render

bp = Blueprint("accompaniments", __name__,
               url_prefix="/clients/<int:client_id>/accompaniments")

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)


def _me() -> User:
    return current_user._get_current_object()


def _names() -> dict:
    return {"outcome_names": OUTCOME_NAMES, "PLANNED": PLANNED}



# --- Her accompaniments ------------------------------------------------------------------------


@bp.get("/")
# Read only: also the pair's supervisor, for a client a consultation opens to her
# (the scope is clients_of; outreach.consultations).
@allow_roles(*PARTNERS, Role.SUPERVISOR)
def index(client_id: int):
    client = client_or_404(_me(), client_id)
    filters = AccompanimentFilterForm(formdata=request.args)
    pagination = db.paginate(
        queries.accompaniment_list(client, q=filters.q.data or "", state=filters.state.data),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render("accompaniments/index.html", client=client, filters=filters,
                  pagination=pagination, may_record=can_record(client), now=utcnow(),
                  **_names())


@bp.get("/export")
@allow_roles(*PARTNERS)
def index_export(client_id: int):
    """Her accompaniments as a file, with the page's filters; one access-log row (export)."""
    client = client_or_404(_me(), client_id)
    filters = AccompanimentFilterForm(formdata=request.args)
    log_export(client.id, "accompaniments")
    return export_response(
        stream_rows(queries.accompaniment_list(client, q=filters.q.data or "",
                                               state=filters.state.data)),
        columns(
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
        ),
        f"accompaniments-{client.code}",
        sheet_name=_("Accompaniments"),
    )


# --- The form ------------------------------------------------------------------------------------


def _form_page(client: Client, form: AccompanimentForm, *, record: Accompaniment | None = None,
               key: str, draft=None, status: int = 200, conflict=None):
    return render("accompaniments/form.html", status=status, client=client, form=form,
                  record=record, draft_key=key, draft=draft, conflict=conflict,
                  may_delete=may_delete, **_names())


def _apply(form: AccompanimentForm, record: Accompaniment, me: User) -> None:
    """The form's values onto the record. While planned, `when` is the planned time; with
    an outcome it is when it took place (the planned time, if any, is kept)."""
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
            record.outcome_recorded_by_id = me.id
            record.outcome_recorded_at = utcnow()
        record.outcome = outcome
        record.took_place_at = form.when.data


def _follow_up(form: AccompanimentForm, client: Client, record: Accompaniment) -> None:
    if form.make_task.data and form.next_step.data and record.task_id is None:
        record.task = follow_up_task(client, _me(), form.next_step.data,
                                     form.chosen_assignee(_me().role), form.task_due_on.data,
                                     TaskOrigin.ACCOMPANIMENT)


def _again(client: Client, form: AccompanimentForm) -> None:
    """"Plan it again" after a postponed one: the same service, purpose and who goes."""
    earlier_id = request.args.get("again", type=int)
    if earlier_id is None:
        return
    earlier = queries.accompaniment_or_404(client, earlier_id)
    form.service_id.data = earlier.service_id
    form.purpose.data = earlier.purpose
    form.who_went.data = earlier.who_went


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new(client_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    require_consent(client)
    key = form_key("accompaniment", "new", client.id)
    services = active_services()
    if request.method == "GET":
        form, draft = open_form(AccompanimentForm, me, key, services=services)
        if draft is None:
            form.fill_defaults(me.role)
            _again(client, form)
        return _form_page(client, form, key=key, draft=draft)
    form = AccompanimentForm(services=services)
    if not form.validate():
        return _form_page(client, form, key=key, status=422)
    record = Accompaniment(client_id=client.id, pair_id=client.pair_id, created_by_id=me.id)
    _apply(form, record, me)
    db.session.add(record)
    _follow_up(form, client, record)
    note_contact(client.id, record.took_place_at if record.met_her else None)
    discard_draft(me, key)
    db.session.commit()
    if record.outcome is None:
        flash(_("The accompaniment was planned for %(moment)s.",
                moment=_moment(record.planned_at)), "success")
    else:
        flash(_("The accompaniment was recorded."), "success")
    return redirect(url_for("clients.show", client_id=client.id, _anchor="field-work"))


def _moment(value) -> str:
    from outreach.clients.models import aware
    from outreach.formatting import format_moment

    return format_moment(aware(value))


@bp.route("/<int:accompaniment_id>/edit", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def edit(client_id: int, accompaniment_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    record = queries.accompaniment_or_404(client, accompaniment_id)
    require_consent(client)
    key = form_key("accompaniment", "edit", record.id)
    services = active_services()
    if request.method == "GET":
        form, draft = open_form(AccompanimentEditForm, me, key, obj=record, services=services,
                                current_service=record.service)
        if draft is None:
            form.state.data = record.outcome.value if record.outcome else PLANNED
            form.make_task.data = False
        form.default_follow_up(me.role)
        return _form_page(client, form, record=record, key=key, draft=draft)
    form = AccompanimentEditForm(services=services, current_service=record.service)
    valid = form.validate()
    if is_stale(record, form.version.data):
        return _stale(client, record, form, key)
    if not valid:
        return _form_page(client, form, record=record, key=key, status=422)
    _apply(form, record, me)
    _follow_up(form, client, record)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        db.session.expire_all()
        return _stale(client, queries.accompaniment_or_404(client, accompaniment_id), form, key)
    refresh_last_contact(client.id, touch=True)
    discard_draft(me, key)
    db.session.commit()
    flash(_("The accompaniment was saved."), "success")
    return redirect(url_for(".index", client_id=client.id))


def _saved_values(record: Accompaniment) -> dict:
    return {
        "service_id": record.service_id,
        "purpose": record.purpose,
        "when": record.when,
        "who_went": record.who_went,
        "state": record.outcome.value if record.outcome else PLANNED,
        "minutes_spent": record.minutes_spent,
        "expert_supported_interaction": record.expert_supported_interaction,
        "next_step": record.next_step,
    }


def _stale(client: Client, record: Accompaniment, form: AccompanimentEditForm, key: str):
    rows = conflict_rows(form, _saved_values(record), form.values())
    form.version.data = str(record.version)
    return _form_page(client, form, record=record, key=key, status=409, conflict=rows)


@bp.post("/<int:accompaniment_id>/delete")
@allow_roles(*PARTNERS)
def delete(client_id: int, accompaniment_id: int):
    me = _me()
    client = client_or_404(me, client_id)
    record = queries.accompaniment_or_404(client, accompaniment_id)
    if not may_delete(record, me):
        abort(403)
    db.session.delete(record)
    refresh_last_contact(client.id)
    discard_draft(me, form_key("accompaniment", "edit", accompaniment_id))
    db.session.commit()
    flash(_("The accompaniment was deleted."), "success")
    return redirect(url_for(".index", client_id=client.id))


# --- The quick outcome ---------------------------------------------------------------------------


def _next_url(client: Client) -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for("clients.show", client_id=client.id,
                                                         _anchor="field-work")


@bp.route("/<int:accompaniment_id>/outcome", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
@replayable
def outcome(client_id: int, accompaniment_id: int):
    me = _me()
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
    from flask_babel import format_decimal

    return [
        (m, _("%(num)d min", num=m) if m < 60
         else _("%(hours)s h", hours=format_decimal(m / 60, format="#.#")))
        for m in QUICK_MINUTES
    ]


def _outcome_page(client, record, form, next_url, status: int = 200):
    return render("accompaniments/outcome.html", status=status, client=client, record=record,
                  form=form, next_url=next_url, quick_minutes=_minute_choices(),
                  outcomes=list(Outcome), **_names())


# --- Her timeline, drafts ------------------------------------------------------------------------


def _loader(ids: list[int]) -> dict[int, Accompaniment]:
    query = sa.select(Accompaniment).where(Accompaniment.id.in_(ids)).options(
        joinedload(Accompaniment.service), joinedload(Accompaniment.created_by),
        joinedload(Accompaniment.outcome_recorded_by),
    )
    return {record.id: record for record in db.session.scalars(query)}


def _source():
    # When it took place; a planned one when it was planned (not at its future time).
    at = sa.func.coalesce(Accompaniment.took_place_at, Accompaniment.created_at)
    actor = sa.func.coalesce(Accompaniment.outcome_recorded_by_id, Accompaniment.created_by_id)
    return timeline.source_columns("accompaniment", Accompaniment, at, actor,
                                   Accompaniment.client_id)


timeline.register("accompaniment", _l("Accompaniment"), _source, _loader,
                  "accompaniments/_timeline.html")


def _check_draft(user: User, action: str, ident: int) -> None:
    if action == "new":
        client_or_404(user, ident)
        return
    found = db.session.scalar(
        sa.select(Accompaniment.id).where(
            Accompaniment.id == ident,
            Accompaniment.client_id.in_(clients_of(user).with_only_columns(Client.id)),
        )
    )
    if found is None:
        abort(404)


register_form("accompaniment", _check_draft)
