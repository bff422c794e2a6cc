"""Tasks: my tasks, new and edit, done/undo/drop in place, the pair's week plan with the
professional's moves and the expert's proposals, and a task from an agreed step.

Partners only (supervisors and administrators: 403). Every task is loaded inside the
user's scope (`task_or_404`): another pair's task is 404, and so is a task about a
client for an expert before the confidentiality agreement."""

import contextlib
from datetime import date, timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles
from outreach.auth.models import Role, User
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.consents.queries import can_record, require_consent
from outreach.core.editing import flush_or_reload, is_stale, stale_conflict
from outreach.core.formatting import format_day, format_time_of_day
from outreach.core.time import local_today, week_bounds
from outreach.core.views import current_user_obj
from outreach.exports import columns, export_response, log_export, stream_rows
from outreach.extensions import db, htmx
from outreach.offline.replay import replayable, tapped_at
from outreach.pairs.queries import pairs_awaiting_confidentiality
from outreach.scope import PARTNERS, client_or_404, clients_of, pair_or_404, writing_pairs
from outreach.steps.models import Assignee as StepAssignee
from outreach.steps.models import Decision, Step
from outreach.tasks import queries
from outreach.tasks.forms import DropForm, EditTaskForm, NewTaskForm, PlanForm, ProposalForm
from outreach.tasks.models import (
    ASSIGNEE_NAMES,
    TASK_ORIGIN_NAMES,
    TASK_STATUS_NAMES,
    Assignee,
    Task,
    TaskOrigin,
)
from outreach.web import form_page, is_safe_next, render

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

UNDO_SECONDS = 8



def _names() -> dict:
    return {
        "assignee_names": ASSIGNEE_NAMES,
        "status_names": TASK_STATUS_NAMES,
        "origin_names": TASK_ORIGIN_NAMES,
    }


def _next_url(default: str | None = None) -> str:
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_next(target) else (default or url_for(".index"))


@bp.app_template_filter("clock_time")
def clock_time(value) -> str:
    """A time of day (datetime.time) in the user's language: 14.30 in Finnish."""
    return format_time_of_day(value)


DAY_PATTERNS = {"fi": "EEEE d.M.", "sv": "EEEE d MMM", "en": "EEEE d MMM"}


@bp.app_template_filter("weekday")
def weekday(value: date) -> str:
    """The day's name and date, short, in the user's language: maanantai 23.11."""
    return format_date(value, DAY_PATTERNS.get(str(get_locale()), DAY_PATTERNS["fi"]))


# --- My tasks ------------------------------------------------------------------------------


@bp.get("/")
@allow_roles(*PARTNERS)
def index():
    me = current_user_obj()
    today = local_today()
    tasks = queries.my_tasks(me, today)
    return render(
        "tasks/index.html",
        tasks=tasks,
        today=today,
        pairs=writing_pairs(me, today),
        hidden_pairs=pairs_awaiting_confidentiality(me, today),
        groups=[
            ("overdue", _l("Overdue"), tasks.overdue),
            ("today", _l("Today"), tasks.today),
            ("this-week", _l("Later this week"), tasks.this_week),
            ("later", _l("Later"), tasks.later),
            ("no-date", _l("No date"), tasks.no_date),
        ],
        **_names(),
    )


@bp.get("/export")
@allow_roles(*PARTNERS)
def index_export():
    """My tasks as a file: the same rows as the page (open ones and those done today)."""
    me = current_user_obj()
    log_export(None, "tasks")
    return export_response(stream_rows(queries.my_tasks_query(me, local_today())),
                           _export_columns(), "my-tasks", sheet_name=_("My tasks"))


def _export_columns() -> list:
    return columns(
        (_l("Task"), lambda task: task.title),
        (_l("Client"), lambda task: task.client.name if task.client else None),
        (_l("Code"), lambda task: task.client.code if task.client else None),
        (_l("Who does it"), lambda task: ASSIGNEE_NAMES[task.assignee]),
        (_l("Due"), lambda task: task.due_on),
        (_l("Time"), lambda task: task.due_time),
        (_l("Status"), lambda task: TASK_STATUS_NAMES[task.status]),
        (_l("Done"), lambda task: task.done_at),
        (_l("Pair"), lambda task: task.pair.label),
    )


# --- One task: new, edit ---------------------------------------------------------------------


def _client_choices(me: User, task: Task | None = None) -> list[Client]:
    """Her active clients (and the task's own client even if her record is closed)."""
    query = clients_of(me).where(
        sa.or_(Client.status == ClientStatus.ACTIVE,
               Client.id == (task.client_id if task and task.client_id else -1))
    ).order_by(sa.func.lower(Client.name), Client.code)
    return list(db.session.scalars(query))


def _check_client(form, clients: list[Client], pair_id: int,
                  current_client_id=None) -> Client | None:
    """The chosen client must be one of the pair's; a new link to her needs her consent."""
    client_id = form.client_id.data
    if client_id is None:
        return None
    client = next((c for c in clients if c.id == client_id), None)
    if client is None:
        form.client_id.errors.append(_("Choose one of your clients from the list, or none."))
        return None
    if client.pair_id != pair_id:
        form.client_id.errors.append(
            _("%(name)s is a client of another of your pairs. Choose that pair, or no client.",
              name=client.name))
        return None
    if client_id != current_client_id and not can_record(client):
        form.client_id.errors.append(
            _("No task about %(name)s can be added without her valid consent. Record her "
              "consent first.", name=client.name))
        return None
    return client


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new():
    me = current_user_obj()
    pairs = writing_pairs(me)
    if not pairs:
        abort(404)  # no pair the task could belong to
    clients = _client_choices(me)
    form = NewTaskForm(pairs=pairs)
    form.set_clients(clients)
    if not form.is_submitted():
        form.assignee.data = queries.OWN_ASSIGNEE.get(me.role, Assignee.PAIR)
        wanted = request.args.get("client", type=int)
        if wanted and (client := next((c for c in clients if c.id == wanted), None)):
            form.client_id.data = client.id
            form.pair_id.data = client.pair_id
        if due := request.args.get("due"):
            with contextlib.suppress(ValueError):
                form.due_on.data = date.fromisoformat(due)
    elif form.validate():
        client = _check_client(form, clients, form.pair_id.data)
        if not form.client_id.errors:
            values = form.values()
            task = queries.create_task(
                form.pair_id.data, values["title"], values["assignee"], me,
                client_id=values["client_id"], due_on=values["due_on"],
                due_time=values["due_time"],
            )
            if client is not None:
                client.touch()
            db.session.commit()
            flash(_("The task was added: %(title)s", title=task.title), "success")
            return redirect(_next_url())
    return form_page("tasks/new.html", form, pairs=pairs, next=_next_url(), **_names())


def _edit_page(task: Task, form: EditTaskForm, status: int = 200, conflict=None):
    return render("tasks/edit.html", status=status, task=task, form=form, conflict=conflict,
                  next=_next_url(), **_names())


@bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def edit(task_id: int):
    me = current_user_obj()
    task = queries.task_or_404(me, task_id, *queries.row_options())
    clients = _client_choices(me, task)
    form = EditTaskForm(obj=task) if request.method == "GET" else EditTaskForm()
    form.set_clients(clients)
    if _planning_locked(me, task):
        form.lock_planning()
    if request.method == "GET":
        return _edit_page(task, form)
    valid = form.validate()
    if is_stale(task, form.version.data):
        return _stale(task, form)
    client = _check_client(form, clients, task.pair_id, task.client_id) if valid else None
    if not valid or form.client_id.errors:
        return _edit_page(task, form, status=422)
    values = form.values()
    changed = {name: value for name, value in values.items() if getattr(task, name) != value}
    if not changed:
        flash(_("Nothing was changed."), "success")
        return redirect(_next_url())
    for name, value in changed.items():
        setattr(task, name, value)
    if client is not None and "client_id" in changed:
        client.touch()
    saved_now = flush_or_reload(
        lambda: queries.task_or_404(me, task_id, *queries.row_options()), commit=True)
    if saved_now is not None:
        return _stale(saved_now, form)
    flash(_("The task was saved."), "success")
    return redirect(_next_url())


def _planning_locked(me: User, task: Task) -> bool:
    """The expert changes who does a task and when only on tasks she added herself;
    on the others she proposes a change, which the professional decides on."""
    return me.role == Role.EXPERT and task.created_by_id != me.id


def _stale(task: Task, form: EditTaskForm):
    """409: the partner saved the task first (outreach.core.editing)."""
    return _edit_page(task, form, 409, stale_conflict(task, form, fields=form.fields))


# --- Done, undo, drop ------------------------------------------------------------------------


def _row_target(task: Task) -> bool:
    return bool(htmx) and not htmx.boosted and request.headers.get("HX-Target") == f"task-{task.id}"


def _row(task: Task, *, undo: bool = False, message: str | None = None, status: int = 200):
    """The task's row alone, for htmx to swap in place (and the message for the live region)."""
    html = render_template(
        "tasks/_row.html", task=task, today=local_today(), undo=undo, undo_seconds=UNDO_SECONDS,
        oob_message=message, show_pair=request.values.get("show_pair") == "1",
        next=_next_url(), **_names(),
    )
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _commit() -> bool:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return False
    return True


def _reloaded(task_id: int) -> Task:
    db.session.expire_all()
    return queries.task_or_404(current_user_obj(), task_id, *queries.row_options())


@bp.post("/<int:task_id>/done")
@allow_roles(*PARTNERS)
@replayable
def done(task_id: int):
    task = queries.task_or_404(current_user_obj(), task_id, *queries.row_options())
    changed = queries.mark_done(task, current_user_obj())
    task.done_at = tapped_at() if changed else task.done_at  # sent later: when she tapped
    ok = _commit() if changed else True
    message = (_("Marked done: %(title)s", title=task.title) if ok else
               _("Your partner changed this task at the same moment. Check it and try again."))
    if _row_target(task):
        return _row(_reloaded(task_id), undo=ok, message=message, status=200 if ok else 409)
    flash(message, "success" if ok else "warning")
    return redirect(_next_url())


@bp.post("/<int:task_id>/reopen")
@allow_roles(*PARTNERS)
def reopen(task_id: int):
    task = queries.task_or_404(current_user_obj(), task_id, *queries.row_options())
    changed = queries.reopen(task)
    ok = _commit() if changed else True
    message = (_("Open again: %(title)s", title=task.title) if ok else
               _("Your partner changed this task at the same moment. Check it and try again."))
    if _row_target(task):
        return _row(_reloaded(task_id), message=message, status=200 if ok else 409)
    flash(message, "success" if ok else "warning")
    return redirect(_next_url())


@bp.get("/<int:task_id>/row")
@allow_roles(*PARTNERS)
def row(task_id: int):
    """The plain row (no undo button): fetched by the done row when its undo time is over."""
    task = queries.task_or_404(current_user_obj(), task_id, *queries.row_options())
    if not htmx:
        return redirect(url_for(".edit", task_id=task.id))
    return _row(task)


@bp.route("/<int:task_id>/drop", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def drop(task_id: int):
    """Asks first (a page of its own without JS, a disclosure on the row), with a reason."""
    task = queries.task_or_404(current_user_obj(), task_id, *queries.row_options())
    form = DropForm()
    if not form.is_submitted():
        form.next.data = _next_url()
    if not task.is_open:
        return render("tasks/drop.html", status=409 if form.is_submitted() else 200, task=task,
                      form=None, **_names())
    if form.validate_on_submit():
        queries.drop(task, current_user_obj(), form.reason.data)
        if _commit():
            flash(_("The task was dropped: %(title)s", title=task.title), "success")
        else:
            flash(_("Your partner changed this task at the same moment. Check it and try "
                    "again."), "warning")
        return redirect(_next_url())
    return form_page("tasks/drop.html", form, task=task, **_names())


# --- The week plan ----------------------------------------------------------------------------


def _week_context(me: User, pair, monday: date, **extra) -> dict:
    today = local_today()
    plan = queries.week_plan(me, pair, monday, today)
    return {
        "plan": plan,
        "pair": pair,
        "today": today,
        "week": queries.week_label(monday),
        "prev_week": queries.week_label(monday - timedelta(days=7)),
        "next_week": queries.week_label(monday + timedelta(days=7)),
        "this_week": queries.week_label(week_bounds(today)[0]),
        "week_number": monday.isocalendar()[1],
        "can_plan": me.role == Role.PROFESSIONAL,
        "can_propose": me.role == Role.EXPERT,
        "hidden_reason": None if plan.with_clients else _(
            "Tasks about clients are not shown to you yet, because the pair's confidentiality "
            "agreement has not been recorded."),
        "plan_errors": extra.pop("plan_errors", {}),
        "oob_message": extra.pop("oob_message", None),
        **_names(),
        **extra,
    }


@bp.get("/week")
@allow_roles(*PARTNERS)
def week():
    me = current_user_obj()
    pairs = writing_pairs(me)
    pair_id = request.args.get("pair", type=int)
    if pair_id is None:
        if len(pairs) != 1:
            return render("tasks/week_pairs.html", pairs=pairs,
                          week=request.args.get("week", ""))
        pair = pairs[0]
    else:
        pair = next((p for p in pairs if p.id == pair_id), None)
        if pair is None:
            abort(404)
    monday = queries.parse_week(request.args.get("week")) or week_bounds(local_today())[0]
    return render("tasks/week.html", pairs=pairs, **_week_context(me, pair, monday))


def _week_url(task: Task, week: str | None = None) -> str:
    if not queries.parse_week(week) and task.due_on:
        week = queries.week_label(week_bounds(task.due_on)[0])
    return url_for(".week", pair=task.pair_id, week=week or None)


@bp.post("/<int:task_id>/plan")
@allow_roles(Role.PROFESSIONAL)
def plan(task_id: int):
    """The professional moves a task to another day and/or re-assigns it, in place."""
    me = current_user_obj()
    task = queries.task_or_404(me, task_id)
    form = PlanForm()
    monday = queries.parse_week(form.week.data) or week_bounds(
        task.due_on or local_today())[0]
    pair = pair_or_404(me, task.pair_id, write=True)
    if not task.is_open:
        message = _("Only an open task can be moved or re-assigned.")
        return _plan_answer(me, pair, monday, 409, {task.id: [message]})
    if not form.validate_on_submit():
        errors = form.assignee.errors + form.due_on.errors
        return _plan_answer(me, pair, monday, 422, {task.id: errors})
    task.assignee = form.assignee.data
    task.due_on = form.due_on.data
    if task.due_on is None:
        task.due_time = None
    if not _commit():
        db.session.expire_all()
        message = _("Your partner changed this task at the same moment. Check it and try again.")
        return _plan_answer(me, pair, monday, 409, {task.id: [message]})
    day = format_day(task.due_on) if task.due_on else _("no date")
    message = _("%(title)s: %(assignee)s, %(day)s.", title=task.title,
                assignee=ASSIGNEE_NAMES[task.assignee], day=day)
    if htmx and not htmx.boosted:
        db.session.expire_all()
        return render("tasks/week.html", pairs=[],
                      **_week_context(me, pair, monday, oob_message=message))
    flash(message, "success")
    return redirect(url_for(".week", pair=pair.id, week=queries.week_label(monday)))


def _plan_answer(me, pair, monday, status, errors):
    return render("tasks/week.html", status=status, pairs=writing_pairs(me),
                  **_week_context(me, pair, monday, plan_errors=errors))


@bp.route("/<int:task_id>/propose", methods=["GET", "POST"])
@allow_roles(Role.EXPERT)
def propose(task_id: int):
    """The expert proposes a new day and/or assignee; the professional decides."""
    me = current_user_obj()
    task = queries.task_or_404(me, task_id, *queries.row_options())
    form = ProposalForm(task=task)
    if not form.is_submitted():
        form.next.data = _next_url(_week_url(task))
    if not task.is_open:
        return render("tasks/propose.html", status=409 if form.is_submitted() else 200,
                      task=task, form=None, **_names())
    if form.validate_on_submit():
        queries.propose(task, me, form.new_due_on.data, form.new_assignee.data, form.note.data)
        db.session.commit()
        flash(_("Your proposal was sent to the professional, who accepts or declines it."),
              "success")
        return redirect(_next_url(_week_url(task)))
    return form_page("tasks/propose.html", form, task=task, **_names())


def _decide(proposal_id: int, accept: bool):
    me = current_user_obj()
    proposal = queries.proposal_or_404(me, proposal_id)
    task = proposal.task
    if not task.is_open:
        flash(_("The task is no longer open, so the proposal cannot be applied."), "warning")
        return redirect(_next_url(_week_url(task)))
    if not queries.decide(proposal, me, accept) or not _commit():
        db.session.rollback()
        flash(_("This proposal had already been decided."), "warning")
        return redirect(_next_url(_week_url(task)))
    if accept:
        flash(_("The proposal was accepted and the task changed: %(title)s", title=task.title),
              "success")
    else:
        flash(_("The proposal was declined: %(title)s", title=task.title), "success")
    return redirect(_next_url(_week_url(task)))


@bp.post("/proposals/<int:proposal_id>/accept")
@allow_roles(Role.PROFESSIONAL)
def accept_proposal(proposal_id: int):
    return _decide(proposal_id, True)


@bp.post("/proposals/<int:proposal_id>/decline")
@allow_roles(Role.PROFESSIONAL)
def decline_proposal(proposal_id: int):
    return _decide(proposal_id, False)


# --- A task from an agreed step ---------------------------------------------------------------

STEP_ASSIGNEE = {
    StepAssignee.PROFESSIONAL: Assignee.PROFESSIONAL,
    StepAssignee.EXPERT: Assignee.EXPERT,
    StepAssignee.PAIR: Assignee.PAIR,
    StepAssignee.WOMAN: Assignee.CLIENT,
}


@bp.post("/from-step/<int:step_id>")
@allow_roles(*PARTNERS)
def from_step(step_id: int):
    """One action: the agreed step becomes a task of the pair, with the step's assignee and
    due date. Refused (409) for a step she has not agreed to, or one that has a task."""
    me = current_user_obj()
    client_id = db.session.scalar(sa.select(Step.client_id).where(Step.id == step_id))
    if client_id is None:
        abort(404)
    client = client_or_404(me, client_id)
    step = db.session.scalar(
        sa.select(Step).where(Step.id == step_id).options(queries.step_tasks_options())
    )
    require_consent(client)
    if step.decision != Decision.AGREED or not step.challenge.is_open:
        message = _("Only a step she has agreed to, in an open challenge, can become a task.")
        return _step_refused(client, step, message)
    if any(task.status != "dropped" for task in step.tasks):
        return _step_refused(client, step, _("This step already has a task."))
    task = queries.create_task(
        client.pair_id, step.proposal, STEP_ASSIGNEE[step.assignee], me, client_id=client.id,
        step_id=step.id, due_on=step.due_on, origin=TaskOrigin.STEP,
    )
    client.touch()
    db.session.commit()
    flash(_("The step is now a task: %(title)s", title=task.title), "success")
    return redirect(url_for("steps.index", client_id=client.id, _anchor=f"step-{step.id}"))


def _step_refused(client, step, message):
    """409 with a page that says why and leads back to the step."""
    back = url_for("steps.index", client_id=client.id, _anchor=f"step-{step.id}")
    return render("tasks/refused.html", status=409, message=message, back=back, client=client)


