"""Pair meetings: the pair's list, a new meeting (with its agreed actions), the meeting's
page with its notes edited in place, its edit history and its actions as tasks; edit and
delete. The pair page's panel shows when the next planning and debrief meeting is due.

Who: the two partners of the pair only. Every route is declared for signed-in users and
scopes the pair or meeting by the partner's own pairs in the query, so a supervisor, an
administrator or another pair gets 404 on every meeting URL (and the existence of a
meeting is not revealed); writing needs a WORKING pair (an ended pair's partners read).
Supervisors see only the rhythm and counts per kind in the pair page's panel."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.auth.access import allow_signed_in
from outreach.auth.models import Role, User
from outreach.core.editing import flush_or_reload, is_stale, stale_conflict
from outreach.core.time import local_today
from outreach.core.views import current_user_obj, page_of
from outreach.extensions import db, htmx
from outreach.meetings import queries
from outreach.meetings.forms import (
    ActionsForm,
    EditMeetingForm,
    NewMeetingForm,
    NotesForm,
    add_lines,
    filled_lines,
)
from outreach.meetings.models import MEETING_KIND_NAMES, MeetingKind, PairMeeting
from outreach.pairs.agreement import rhythm_name
from outreach.panels import HOME_PANELS, PAIR_PANELS
from outreach.scope import PARTNERS, pair_or_404
from outreach.tasks.models import ASSIGNEE_NAMES, TASK_STATUS_NAMES
from outreach.web import form_page, render

bp = Blueprint("meetings", __name__)

FIELD_NAMES = {
    "kind": _l("Kind of meeting"),
    "held_on": _l("Date"),
    "starts_at": _l("Time (optional)"),
    "duration_minutes": _l("Duration in minutes (optional)"),
    "external_supervisor": _l("Work supervisor's name"),
    "professional_present": _l("The professional took part"),
    "expert_present": _l("The experience expert took part"),
    "others_present": _l("Others present (optional)"),
    "notes": _l("Notes"),
}



def _names() -> dict:
    return {
        "kind_names": MEETING_KIND_NAMES,
        "assignee_names": ASSIGNEE_NAMES,
        "status_names": TASK_STATUS_NAMES,
        "field_names": FIELD_NAMES,
    }


def _fragment(target: str) -> bool:
    return bool(htmx) and not htmx.boosted and request.headers.get("HX-Target") == target


# --- The pair's meetings --------------------------------------------------------------------


@bp.get("/pairs/<int:pair_id>/meetings")
@allow_signed_in
def index(pair_id: int):
    me = current_user_obj()
    pair = pair_or_404(me, pair_id, load=queries.PAIR_LOAD)
    kind = request.args.get("kind", "")
    try:
        chosen = MeetingKind(kind) if kind else None
    except ValueError:
        chosen, kind = None, ""
    pagination = page_of(queries.meeting_list(pair, chosen))
    return render(
        "meetings/index.html",
        pair=pair,
        pagination=pagination,
        kind=kind,
        can_write=queries.can_write(me, pair),
        **_names(),
    )


@bp.route("/pairs/<int:pair_id>/meetings/new", methods=["GET", "POST"])
@allow_signed_in
def new(pair_id: int):
    me = current_user_obj()
    pair = pair_or_404(me, pair_id, write=True, load=queries.PAIR_LOAD)
    form = NewMeetingForm()
    if not form.is_submitted():
        form.professional_present.data = True
        form.expert_present.data = True
        form.held_on.data = local_today()
        if (kind := request.args.get("kind")) in {k.value for k in MeetingKind}:
            form.kind.data = MeetingKind(kind)
    add_lines(form.actions, request.args.get("lines", type=int))
    if form.validate_on_submit():
        meeting = queries.create_meeting(pair, me, form.values())
        db.session.flush()
        tasks = queries.add_actions(meeting, me, filled_lines(form.actions))
        db.session.commit()
        if tasks:
            flash(_("The meeting was recorded, and its agreed actions are now tasks."),
                  "success")
        else:
            flash(_("The meeting was recorded."), "success")
        return redirect(url_for(".show", meeting_id=meeting.id))
    return form_page("meetings/new.html", form, pair=pair, **_names())


# --- One meeting ------------------------------------------------------------------------------


def _show_context(me: User, meeting: PairMeeting, **extra) -> dict:
    can_write = queries.can_write(me, meeting.pair)
    actions_form = extra.pop("actions_form", None)
    if actions_form is None and can_write:
        actions_form = ActionsForm(formdata=None)
        add_lines(actions_form.actions, request.args.get("lines", type=int))
    return {
        "meeting": meeting,
        "pair": meeting.pair,
        "revisions": queries.revisions_of(meeting),
        "actions": queries.actions_of(meeting),
        "can_write": can_write,
        "can_delete": can_write and queries.may_delete(me, meeting),
        "actions_form": actions_form,
        "today": local_today(),
        **_names(),
        **extra,
    }


@bp.get("/meetings/<int:meeting_id>")
@allow_signed_in
def show(meeting_id: int):
    me = current_user_obj()
    meeting = queries.meeting_or_404(me, meeting_id)
    return render("meetings/show.html", **_show_context(me, meeting))


@bp.route("/meetings/<int:meeting_id>/notes", methods=["GET", "POST"])
@allow_signed_in
def notes(meeting_id: int):
    """The notes alone: a page of its own without JavaScript, the notes block of the
    meeting page swapped in place with htmx."""
    me = current_user_obj()
    meeting = queries.meeting_or_404(me, meeting_id, write=True)
    if request.method == "GET":
        form = NotesForm(obj=meeting)
        return render("meetings/notes.html", meeting=meeting, form=form, conflict=None)
    form = NotesForm()
    valid = form.validate()
    if is_stale(meeting, form.version.data):
        return _stale_notes(meeting, form)
    if not valid:
        return render("meetings/notes.html", status=422, meeting=meeting, form=form,
                      conflict=None)
    changed = queries.save_meeting(meeting, me, {"notes": form.notes.data or None})
    if changed:
        saved_now = flush_or_reload(
            lambda: queries.meeting_or_404(me, meeting_id, write=True), commit=True)
        if saved_now is not None:
            return _stale_notes(saved_now, form)
        message = _("The notes were saved.")
    else:
        message = _("Nothing was changed.")
    if _fragment("meeting-notes"):
        return render("meetings/show.html", oob_message=message,
                      **_show_context(me, meeting))
    flash(message, "success")
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="notes-heading"))


def _stale_notes(meeting: PairMeeting, form: NotesForm):
    """409: the partner saved the notes first. Both texts; the form keeps the user's text
    and now carries the current version, so saving again is deliberate."""
    conflict = stale_conflict(meeting, form, fields=("notes",),
                              mine={"notes": form.notes.data}, label=FIELD_NAMES.__getitem__)
    return render("meetings/notes.html", status=409, meeting=meeting, form=form,
                  conflict=conflict)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@allow_signed_in
def edit(meeting_id: int):
    me = current_user_obj()
    meeting = queries.meeting_or_404(me, meeting_id, write=True)
    if request.method == "GET":
        return _edit_page(meeting, EditMeetingForm(obj=meeting))
    form = EditMeetingForm()
    valid = form.validate()
    if is_stale(meeting, form.version.data):
        return _stale(meeting, form)
    if not valid:
        return _edit_page(meeting, form, status=422)
    changed = queries.save_meeting(meeting, me, form.values())
    if not changed:
        flash(_("Nothing was changed."), "success")
        return redirect(url_for(".show", meeting_id=meeting.id))
    saved_now = flush_or_reload(
        lambda: queries.meeting_or_404(me, meeting_id, write=True), commit=True)
    if saved_now is not None:
        return _stale(saved_now, form)
    flash(_("The meeting was saved."), "success")
    return redirect(url_for(".show", meeting_id=meeting.id))


def _edit_page(meeting, form, status=200, conflict=None):
    return render("meetings/edit.html", status=status, meeting=meeting, form=form,
                  conflict=conflict, **_names())


def _stale(meeting: PairMeeting, form: EditMeetingForm):
    """409 on the whole meeting: the fields that differ, saved and unsaved side by side."""
    conflict = stale_conflict(meeting, form, label=FIELD_NAMES.__getitem__)
    return _edit_page(meeting, form, status=409, conflict=conflict)


@bp.post("/meetings/<int:meeting_id>/actions")
@allow_signed_in
def actions(meeting_id: int):
    """Several agreed actions become tasks of the pair in one submit."""
    me = current_user_obj()
    meeting = queries.meeting_or_404(me, meeting_id, write=True)
    form = ActionsForm()
    if not form.validate():
        return render("meetings/show.html", status=422,
                      **_show_context(me, meeting, actions_form=form))
    tasks = queries.add_actions(meeting, me, filled_lines(form.actions))
    db.session.commit()
    message = _("Agreed actions added as tasks: %(num)d.", num=len(tasks))
    if _fragment("meeting-actions"):
        return render("meetings/show.html", oob_message=message,
                      **_show_context(me, meeting))
    flash(message, "success")
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="actions-heading"))


@bp.post("/meetings/<int:meeting_id>/delete")
@allow_signed_in
def delete(meeting_id: int):
    """Deletes the meeting with its notes and history; its tasks stay with the pair."""
    me = current_user_obj()
    meeting = queries.meeting_or_404(me, meeting_id, write=True)
    if not queries.may_delete(me, meeting):
        abort(403)
    pair_id = meeting.pair_id
    db.session.delete(meeting)
    db.session.commit()
    flash(_("The meeting was deleted. Its agreed actions stay on the task list."), "success")
    return redirect(url_for(".index", pair_id=pair_id))


# --- Panels -----------------------------------------------------------------------------------


def pair_panel(pair, user: User, today) -> dict | None:
    """Partners: the rhythm, the last supervision, the three latest meetings and links.
    The pair's supervisor: the rhythm and the counts per kind only. Others: nothing."""
    is_partner = user.role in PARTNERS and pair.is_partner(user)
    is_supervisor = user.role == Role.SUPERVISOR and pair.supervisor_id == user.id
    if not (is_partner or is_supervisor):
        return None
    status = queries.meeting_rhythm_status([pair], today)[pair.id]
    return {
        "status": status,
        "is_partner": is_partner,
        "latest": queries.latest_meetings(pair.id) if is_partner else [],
        "can_write": is_partner and queries.can_write(user, pair, today),
        "rhythm_name": rhythm_name,
        "kind_names": MEETING_KIND_NAMES,
        "kinds": list(MeetingKind),
    }


def home_panel(user: User, today) -> dict | None:
    """Partners whose planning or debrief meeting is overdue: a short reminder."""
    overdue = queries.overdue_meetings(user, today)
    if not overdue:
        return None
    return {"overdue": overdue, "kind_names": MEETING_KIND_NAMES}


PAIR_PANELS.register("meetings-panel", "meetings/_pair_panel.html", pair_panel, order=20)
HOME_PANELS.register("meetings-home", "meetings/_home_panel.html", home_panel, order=30)
