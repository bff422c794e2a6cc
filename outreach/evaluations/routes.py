"""Evaluation rounds (arviointilomake): the pair's professional or supervisor opens a round,
each partner fills her/his own form (draft, then submit), the joint review once both have
submitted, and the anonymous summary for supervisors and administrators.

Forms and the joint review are for the pair's two partners only: for everyone else,
supervisors and administrators included, they do not exist (404). Before both partners
have submitted, neither can load the other's answers (outreach.evaluations.queries)."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles, allow_signed_in
from outreach.auth.models import Role
from outreach.core.clock import utcnow
from outreach.core.editing import flush_or_reload, is_stale, stale_conflict
from outreach.core.formatting import format_number
from outreach.core.time import local_today
from outreach.core.views import current_user_obj
from outreach.evaluations import chart, queries
from outreach.evaluations import items as form_items
from outreach.evaluations.forms import NotesForm, RoundForm, answers_form
from outreach.evaluations.models import (
    ACTIVITY_NAMES,
    ROLE_NAMES,
    Activity,
    EvaluationRound,
    FormStatus,
)
from outreach.extensions import db
from outreach.pairs.queries import PAIR_PAGE
from outreach.panels import HOME_PANELS, PAIR_PANELS
from outreach.scope import pair_or_404
from outreach.web import form_page, render

bp = Blueprint("evaluations", __name__)

PANEL_ROUNDS = 5
FIRST_YEAR = 2020



def _names() -> dict:
    return {"activity_names": ACTIVITY_NAMES, "role_names": ROLE_NAMES, "items": form_items,
            "FormStatus": FormStatus}


# --- The pair's rounds ------------------------------------------------------------------------


@bp.get("/pairs/<int:pair_id>/evaluations")
@allow_signed_in
def index(pair_id: int):
    me = current_user_obj()
    pair = pair_or_404(me, pair_id, visible=True, load=PAIR_PAGE)
    today = local_today()
    return render("evaluations/index.html", pair=pair, rows=queries.pair_rounds(pair, me),
                  is_partner=pair.is_partner(me),
                  can_open=queries.can_open_round(pair, me, today), **_names())


@bp.route("/pairs/<int:pair_id>/evaluations/new", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL, Role.SUPERVISOR)
def new_round(pair_id: int):
    """The pair's professional or its supervisor opens a round; `?group_id=` starts it
    for one of the pair's peer-support groups."""
    me = current_user_obj()
    pair = pair_or_404(me, pair_id, visible=True, load=PAIR_PAGE)
    if not queries.can_open_round(pair, me, local_today()):
        abort(404)
    groups = queries.groups_of(pair)
    form = RoundForm()
    form.set_groups(groups)
    if not form.is_submitted():
        form.activity.data = Activity.OUTREACH
        wanted = request.args.get("group_id", type=int)
        if wanted and any(group.id == wanted for group in groups):
            form.group_id.data = wanted
            form.activity.data = Activity.PEER_GROUP
    elif form.validate():
        evaluation_round = queries.open_round(pair, me, {
            "activity": form.activity.data,
            "activity_detail": form.activity_detail.data or None,
            "group_id": form.group_id.data,
            "duration": form.duration.data,
        })
        db.session.commit()
        flash(_("The evaluation round was opened. Each partner now fills in her or his own "
                "form."), "success")
        if pair.is_partner(me):
            return redirect(url_for(".fill", round_id=evaluation_round.id))
        return redirect(url_for(".index", pair_id=pair.id))
    return form_page("evaluations/new.html", form, pair=pair, groups=groups, **_names())


# --- One's own form ---------------------------------------------------------------------------


def _form_page(evaluation_round, form_row, answers, role, status=200, message=None):
    pair = evaluation_round.pair
    can_edit = (form_row is None or not form_row.is_submitted) and pair.is_active_on(
        local_today())
    return render(
        "evaluations/form.html", status=status, round=evaluation_round, form_row=form_row,
        form=answers, role=role, can_edit=can_edit, message=message,
        partner_status=queries.partner_status(current_user_obj(), evaluation_round), **_names(),
    )


@bp.route("/evaluations/<int:round_id>/form", methods=["GET", "POST"])
@allow_signed_in
def fill(round_id: int):
    """The user's own form in the round: 404 for anyone but the pair's two partners."""
    me = current_user_obj()
    writing = request.method == "POST"
    evaluation_round = queries.partner_round_or_404(me, round_id, write=writing)
    role = queries.role_in(evaluation_round.pair, me)
    if role is None:
        abort(404)
    form_row = queries.my_form(me, evaluation_round.id)
    if not writing:
        answers = answers_form(role, formdata=None, data=_saved_data(form_row))
        return _form_page(evaluation_round, form_row, answers, role)
    answers = answers_form(role)
    if form_row is not None and form_row.is_submitted:
        return _form_page(evaluation_round, form_row,
                          answers_form(role, formdata=None, data=_saved_data(form_row)), role,
                          status=409, message=_("You have already submitted your form; it "
                                                "can no longer be changed."))
    submit = request.form.get("action") == "submit"
    valid = answers.validate()
    if submit and valid:
        valid = answers.require_every_statement()
    if not valid:
        return _form_page(evaluation_round, form_row, answers, role, status=422)
    queries.save_answers(me, evaluation_round, form_row, answers, submit)
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        return _form_page(evaluation_round, queries.my_form(me, round_id), answers, role,
                          status=409, message=_("Your form was saved in another window at "
                                                "the same moment. Check it and save again."))
    if not submit:
        flash(_("Your draft was saved. Your partner cannot see it."), "success")
        return redirect(url_for(".fill", round_id=round_id))
    if queries.joint_forms(evaluation_round) is not None:
        flash(_("Your form was submitted. Both of you have now submitted: go through the "
                "answers together."), "success")
        return redirect(url_for(".review", round_id=round_id))
    flash(_("Your form was submitted. You will see your partner's answers once your partner "
            "has submitted too."), "success")
    return redirect(url_for(".index", pair_id=evaluation_round.pair_id))


def _saved_data(form_row) -> dict:
    data = {}
    if form_row is None:
        return data
    for answer in form_row.answers:
        if answer.value is not None:
            data[answer.item] = answer.value
        if answer.text is not None:
            data[answer.item] = answer.text
            data[f"{answer.item}_quote"] = answer.may_quote
    return data


# --- The joint review -------------------------------------------------------------------------


DIVERGENCE = 2  # A statements whose two answers differ by this much or more are marked


def _comparison(forms) -> list[dict]:
    pro, expert = forms[form_items.FormRole.PROFESSIONAL], forms[form_items.FormRole.EXPERT]
    rows = []
    for item in form_items.A_STATEMENTS:
        a, b = pro.answer(item.key), expert.answer(item.key)
        values = (a.value if a else None, b.value if b else None)
        differs = None not in values and abs(values[0] - values[1]) >= DIVERGENCE
        rows.append({"item": item, "professional": values[0], "expert": values[1],
                     "differs": differs})
    return rows


def _review_page(evaluation_round, forms, notes_form, status=200, conflict=None):
    comparison = _comparison(forms)
    return render(
        "evaluations/review.html", status=status, round=evaluation_round, both=forms,
        comparison=comparison, divergences=sum(1 for row in comparison if row["differs"]),
        notes_form=notes_form, conflict=conflict,
        can_edit=evaluation_round.pair.is_active_on(local_today()),
        roles=(form_items.FormRole.PROFESSIONAL, form_items.FormRole.EXPERT), **_names(),
    )


@bp.route("/evaluations/<int:round_id>/review", methods=["GET", "POST"])
@allow_signed_in
def review(round_id: int):
    """Both forms side by side, once both partners have submitted; until then 404, as for
    anyone but the two partners. The notes of the joint discussion: 409 on a stale save."""
    me = current_user_obj()
    writing = request.method == "POST"
    evaluation_round = queries.partner_round_or_404(me, round_id, write=writing)
    forms = queries.joint_forms(evaluation_round)
    if forms is None:
        abort(404)
    if not writing:
        return _review_page(evaluation_round, forms, NotesForm(obj=evaluation_round))
    notes_form = NotesForm()
    valid = notes_form.validate()
    if is_stale(evaluation_round, notes_form.version.data):
        return _stale(evaluation_round, forms, notes_form)
    if not valid:
        return _review_page(evaluation_round, forms, notes_form, status=422)
    values = notes_form.values()
    changed = {k: v for k, v in values.items() if getattr(evaluation_round, k) != v}
    if changed:
        for name, value in changed.items():
            setattr(evaluation_round, name, value)
        evaluation_round.notes_edited_by_id = me.id
        evaluation_round.notes_edited_at = utcnow()
        saved_now = flush_or_reload(
            lambda: queries.partner_round_or_404(me, round_id, write=True), commit=True)
        if saved_now is not None:
            return _stale(saved_now, queries.joint_forms(saved_now), notes_form)
        flash(_("The notes of the joint discussion were saved."), "success")
    else:
        flash(_("Nothing was changed."), "success")
    return redirect(url_for(".review", round_id=round_id, _anchor="discussion-heading"))


def _stale(evaluation_round: EvaluationRound, forms, notes_form: NotesForm):
    """409: the partner saved the notes first (outreach.core.editing)."""
    conflict = stale_conflict(evaluation_round, notes_form, fields=notes_form.fields)
    return _review_page(evaluation_round, forms, notes_form, status=409, conflict=conflict)


# --- The anonymous summary --------------------------------------------------------------------


@bp.get("/evaluations/summary")
@allow_roles(Role.SUPERVISOR, Role.ADMIN)
def summary():
    """Over the rounds of the supervisor's pairs (administrators: all): per statement n,
    mean and distribution, quotes given permission; never a name, a pair or a form."""
    activity = request.args.get("activity") or None
    if activity not in {member.value for member in Activity}:
        activity = None
    this_year = local_today().year
    years = list(range(this_year, FIRST_YEAR - 1, -1))
    year = request.args.get("year", type=int)
    if year not in years:
        year = None
    sections = queries.summary(current_user_obj(), Activity(activity) if activity else None, year)
    return render("evaluations/summary.html", sections=sections, activity=activity,
                  year=year, years=years, chart=chart, min_answers=queries.MIN_ANSWERS,
                  decimal=_decimal,
                  **_names())


def _decimal(value: float | None) -> str:
    return "" if value is None else format_number(value, "0.0")


# --- Panels on the pair page and the home page ------------------------------------------------


def _pair_panel(pair, user, today) -> dict | None:
    return {
        "rows": queries.pair_rounds(pair, user, limit=PANEL_ROUNDS),
        "is_partner": pair.is_partner(user),
        "can_open": queries.can_open_round(pair, user, today),
        "can_summarise": user.role in (Role.SUPERVISOR, Role.ADMIN),
        **_names(),
    }


def _home_panel(user, today) -> dict | None:
    waiting = queries.waiting_rounds(user)
    if not waiting:
        return None
    return {"waiting": waiting, **_names()}


PAIR_PANELS.register("evaluations-panel", "evaluations/_pair_panel.html", _pair_panel,
                     order=40)
HOME_PANELS.register("evaluations-waiting", "evaluations/_home_panel.html", _home_panel,
                     order=40)
