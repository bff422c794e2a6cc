"""Peer-support groups (vertaistukiryhmä) led by a pair, and their sessions.

- The list (/groups): partners see their working pairs' groups; supervisors their pairs'
  groups and administrators all groups, with counts only (sessions held, participants).
- The group page and a session's page carry the planning and debrief notes: only the
  partners of the pair's active pair reach them; anyone else gets 404.
- Creating and editing is for the partners (supervisors and administrators: 403); a
  session's record is Versioned, so a stale save answers 409 with both versions and the
  user's input kept.
"""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles, allow_signed_in
from outreach.auth.models import Role, User
from outreach.core.clock import utcnow
from outreach.core.editing import Conflict, flush_or_reload, is_stale, shown, stale_conflict
from outreach.core.formatting import format_day
from outreach.core.forms import search_text
from outreach.core.time import local_today
from outreach.core.views import current_user_obj, page_of
from outreach.exports import columns, export_response, stream_batches
from outreach.extensions import db
from outreach.groups import queries
from outreach.groups.forms import (
    NEW_SESSION_PARTS,
    EditGroupForm,
    EditSessionForm,
    NewGroupForm,
    NewSessionForm,
    RecordForm,
)
from outreach.groups.models import LEADER_NAMES, GroupSession, GroupSessionPart, PeerGroup
from outreach.panels import PAIR_PANELS
from outreach.scope import PARTNERS, is_partner, writing_pairs
from outreach.web import form_page, render

bp = Blueprint("groups", __name__, url_prefix="/groups")



def evaluation_url(group: PeerGroup) -> str:
    """The group's evaluation round: the pair's evaluation forms (outreach/evaluations),
    started for this group so the form of activity reads "vertaistukiryhmä"."""
    return url_for("evaluations.new_round", pair_id=group.pair_id, group_id=group.id)


# --- The list --------------------------------------------------------------------------------


@bp.get("/")
@allow_signed_in
def index():
    me = current_user_obj()
    today = local_today()
    q = search_text(request.args.get("q") or "")
    pagination = page_of(queries.group_list(me, q))
    counts = queries.counts_of([group.id for group in pagination.items], today)
    return render(
        "groups/index.html",
        pagination=pagination,
        counts=counts,
        q=q,
        today=today,
        is_partner=is_partner(me),
        can_create=is_partner(me) and queries.has_working_pair(me),
    )


@bp.get("/export")
@allow_signed_in
def index_export():
    """The list as a file, with the page's search and scope; supervisors and
    administrators get the same counts-only columns as their page."""
    me = current_user_obj()
    today = local_today()
    q = search_text(request.args.get("q") or "")
    partner = is_partner(me)

    def rows():
        for batch in stream_batches(queries.group_list(me, q)):
            counts = queries.counts_of([group.id for group in batch], today)  # one per batch
            for group in batch:
                yield group, counts.get(group.id) or queries.GroupCounts()

    cols = [
        (_l("Name"), lambda row: row[0].name),
        (_l("Pair"), lambda row: row[0].pair.label),
        (_l("Schedule"), lambda row: row[0].schedule),
        (_l("Starts"), lambda row: row[0].starts_on),
        (_l("Ends"), lambda row: row[0].ends_on),
        (_l("Sessions held"), lambda row: row[1].held),
        (_l("Participants in all"), lambda row: row[1].participants),
        (_l("Last session"), lambda row: row[1].last_on),
    ]
    if partner:
        cols += [
            (_l("Place"), lambda row: row[0].place),
            (_l("Next session"), lambda row: row[1].next_on),
        ]
    return export_response(rows(), columns(*cols), "groups",
                           sheet_name=_("Peer-support groups"))


# --- A group ------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new():
    me = current_user_obj()
    pairs = writing_pairs(me, newest_first=True)
    form = NewGroupForm(pairs=pairs)
    if not pairs:
        return render("groups/group_form.html", status=403 if form.is_submitted() else 200,
                      form=None, group=None)
    wanted = request.args.get("pair", type=int)
    if not form.is_submitted() and any(pair.id == wanted for pair in pairs):
        form.pair_id.data = wanted
    if form.validate_on_submit():
        group = PeerGroup(pair_id=form.pair_id.data, created_by_id=me.id, **form.values())
        db.session.add(group)
        db.session.commit()
        flash(_("The group %(name)s was created.", name=group.name), "success")
        return redirect(url_for(".show", group_id=group.id))
    return form_page("groups/group_form.html", form, group=None)


@bp.get("/<int:group_id>")
@allow_signed_in
def show(group_id: int):
    me = current_user_obj()
    group = queries.group_or_404(me, group_id)
    today = local_today()
    pagination = page_of(queries.session_list(group))
    return render(
        "groups/show.html",
        group=group,
        pagination=pagination,
        counts=queries.group_counts(group, today),
        today=today,
        evaluation_url=evaluation_url(group),
        can_evaluate=me.role == Role.PROFESSIONAL,
    )


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def edit(group_id: int):
    me = current_user_obj()
    group = queries.group_or_404(me, group_id)
    form = EditGroupForm(obj=group) if request.method == "GET" else EditGroupForm()
    if request.method == "GET":
        return render("groups/group_form.html", form=form, group=group)
    valid = form.validate()
    if is_stale(group, form.version.data):
        return _stale_group(group, form)
    if not valid:
        return render("groups/group_form.html", status=422, form=form, group=group)
    for name, value in form.values().items():
        setattr(group, name, value)
    saved_now = flush_or_reload(lambda: queries.group_or_404(me, group_id), commit=True)
    if saved_now is not None:
        return _stale_group(saved_now, form)
    flash(_("The group was saved."), "success")
    return redirect(url_for(".show", group_id=group.id))


def _stale_group(group: PeerGroup, form: EditGroupForm):
    """409: the partner saved the group first; both versions, the input kept."""
    return render("groups/group_form.html", status=409, form=form, group=group,
                  conflict=stale_conflict(group, form))


# --- Sessions -------------------------------------------------------------------------------


@bp.route("/<int:group_id>/sessions/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new_session(group_id: int):
    me = current_user_obj()
    group = queries.group_or_404(me, group_id)
    form = NewSessionForm()
    if not form.is_submitted():
        form.held_on.data = queries.suggested_day(group, local_today())
        form.fill_parts(blank=NEW_SESSION_PARTS)
    elif form.validate():
        session = GroupSession(
            group_id=group.id,
            held_on=form.held_on.data,
            starts_at=form.starts_at.data,
            planning_notes=form.planning_notes.data,
            created_by_id=me.id,
        )
        session.parts = _parts(form.part_values())
        db.session.add(session)
        db.session.commit()
        flash(_("The session of %(day)s was planned.", day=format_day(session.held_on)),
              "success")
        return redirect(url_for(".session", group_id=group.id, session_id=session.id))
    return form_page("groups/session_form.html", form, group=group, session=None)


def _parts(values) -> list[GroupSessionPart]:
    return [
        GroupSessionPart(position=position, description=description, leader=leader)
        for position, (description, leader) in enumerate(values)
    ]


@bp.get("/<int:group_id>/sessions/<int:session_id>")
@allow_signed_in
def session(group_id: int, session_id: int):
    session = queries.session_or_404(current_user_obj(), group_id, session_id)
    return render("groups/session.html", session=session, group=session.group,
                  today=local_today())


@bp.route("/<int:group_id>/sessions/<int:session_id>/record", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def record(group_id: int, session_id: int):
    """After the session: how many took part (no names) and the debrief notes."""
    me = current_user_obj()
    session = queries.session_or_404(me, group_id, session_id)
    if request.method == "GET":
        form = RecordForm(obj=session, session=session)
        return _record_page(session, form)
    form = RecordForm(session=session)
    valid = form.validate()
    if is_stale(session, form.version.data):
        return _stale_record(session, form)
    if not valid:
        return _record_page(session, form, 422)
    session.participants = form.participants.data
    session.debrief_notes = form.debrief_notes.data
    if not _save(session, me):
        return _stale_record(queries.session_or_404(me, group_id, session_id), form)
    flash(_("The session of %(day)s was recorded.", day=format_day(session.held_on)), "success")
    return redirect(url_for(".session", group_id=group_id, session_id=session_id))


def _save(session: GroupSession, me: User) -> bool:
    """Commit; False when the partner saved first (the version in the WHERE clause)."""
    session.updated_by_id = me.id
    session.updated_at = utcnow()  # always an UPDATE of the row, so the version moves
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.expire_all()
        return False
    return True


def _record_page(session, form, status=200, conflict=None):
    return render("groups/record.html", status=status, form=form, session=session,
                  group=session.group, today=local_today(), conflict=conflict)


def _parts_shown(parts) -> str:
    return "\n".join(f"{description} ({LEADER_NAMES[leader]})" for description, leader in parts)


def _saved_values(session: GroupSession) -> dict:
    return {
        "held_on": session.held_on,
        "starts_at": session.starts_at,
        "parts": [(part.description, part.leader) for part in session.parts],
        "planning_notes": session.planning_notes,
        "participants": session.participants,
        "debrief_notes": session.debrief_notes,
    }


def _conflict(session: GroupSession, form, names) -> Conflict:
    """The session as saved against the input (outreach.core.editing), with who saved it."""
    saved = _saved_values(session)
    mine = {name: (form.part_values() if name == "parts" else form[name].data) for name in names}
    saver = session.updated_by or session.created_by
    return stale_conflict(
        session, form, fields=names, saved=saved, mine=mine,
        label=lambda name: _("Parts and who leads them") if name == "parts"
        else form[name].label.text,
        show=lambda name, value: _parts_shown(value) if name == "parts"
        else shown(form[name], value),
        by=saver.name if saver else "", at=session.updated_at,
    )


def _stale_record(session: GroupSession, form: RecordForm):
    return _record_page(session, form, 409, _conflict(session, form, ("participants",
                                                                     "debrief_notes")))


@bp.route("/<int:group_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def edit_session(group_id: int, session_id: int):
    me = current_user_obj()
    session = queries.session_or_404(me, group_id, session_id)
    if request.method == "GET":
        form = EditSessionForm(obj=session)
        form.fill_parts(session.parts)
        return _edit_session_page(session, form)
    form = EditSessionForm()
    valid = form.validate()
    if is_stale(session, form.version.data):
        return _stale_session(session, form)
    if not valid:
        return _edit_session_page(session, form, 422)
    values = form.values()
    if values == _saved_values(session):
        flash(_("Nothing was changed."), "success")
        return redirect(url_for(".session", group_id=group_id, session_id=session_id))
    for name in ("held_on", "starts_at", "planning_notes", "participants", "debrief_notes"):
        setattr(session, name, values[name])
    if values["parts"] != _saved_values(session)["parts"]:
        session.parts = _parts(values["parts"])
    if not _save(session, me):
        return _stale_session(queries.session_or_404(me, group_id, session_id), form)
    flash(_("The session was saved."), "success")
    return redirect(url_for(".session", group_id=group_id, session_id=session_id))


def _edit_session_page(session, form, status=200, conflict=None):
    return render("groups/session_form.html", status=status, form=form, session=session,
                  group=session.group, conflict=conflict)


def _stale_session(session: GroupSession, form: EditSessionForm):
    conflict = _conflict(session, form, ("held_on", "starts_at", "parts", "planning_notes",
                                         "participants", "debrief_notes"))
    return _edit_session_page(session, form, 409, conflict)


@bp.post("/<int:group_id>/sessions/<int:session_id>/delete")
@allow_roles(*PARTNERS)
def delete_session(group_id: int, session_id: int):
    session = queries.session_or_404(current_user_obj(), group_id, session_id)
    day = format_day(session.held_on)
    db.session.delete(session)
    db.session.commit()
    flash(_("The session of %(day)s was deleted.", day=day), "success")
    return redirect(url_for(".show", group_id=group_id))


# --- The pair's page -------------------------------------------------------------------------


def pair_panel(pair, user, today) -> dict | None:
    """The pair's groups with their last and next session and counts, for the partners
    and the supervisor (and administrators): counts only, never notes. Two queries."""
    partner = pair.is_partner(user)
    if not partner and user.role not in (Role.SUPERVISOR, Role.ADMIN):
        return None
    rows = queries.group_rows(user, today, pair_id=pair.id)
    can_create = partner and pair.is_active_on(today)
    if not rows and not can_create:
        return None
    return {"group_rows": rows, "can_create": can_create, "links": partner and can_create}


PAIR_PANELS.register("groups-panel", "groups/_pair_panel.html", pair_panel, order=60)
