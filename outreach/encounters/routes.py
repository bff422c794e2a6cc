"""Anonymous encounters: quick to record on a phone, listed by month, edited and deleted by
either partner of the pair. Supervisors and administrators are refused (403): they get
counts in the reports."""

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.editing import is_stale
from outreach.encounters import queries
from outreach.encounters.forms import EncounterEditForm, EncounterForm
from outreach.encounters.models import (
    AGE_GROUP_NAMES,
    MET_BY_NAMES,
    AgeGroup,
    AnonymousEncounter,
    MetBy,
)
from outreach.exports import columns, export_response, stream_rows
from outreach.extensions import db
from outreach.formatting import format_day
from outreach.web import render

bp = Blueprint("encounters", __name__, url_prefix="/encounters")

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)


@bp.get("/")
@allow_roles(*PARTNERS)
def index():
    month = queries.parse_month(request.args.get("month"))
    pagination = db.paginate(
        queries.encounter_list(current_user, month),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    count, people = queries.encounter_totals(current_user, month)
    return render(
        "encounters/index.html",
        pagination=pagination,
        month=queries.month_value(month) if month else "",
        months=queries.month_choices(chosen=month),
        count=count,
        people=people,
        show_pair=queries.working_pair_count(current_user) > 1,
    )


@bp.get("/export")
@allow_roles(*PARTNERS)
def index_export():
    """The list as a file, for the month chosen on the page. No identity: not logged."""
    month = queries.parse_month(request.args.get("month"))
    return export_response(
        stream_rows(queries.encounter_list(current_user, month)),
        columns(
            (_l("Date"), lambda e: e.met_on),
            (_l("Area"), lambda e: e.area),
            (_l("Number of people"), lambda e: e.people_count),
            (_l("Age group"), lambda e: e.age_group_label),
            (_l("Met by"), lambda e: e.met_by_label),
            (_l("Topics"), lambda e: e.topic_labels),
            (_l("Note"), lambda e: e.note),
            (_l("Pair"), lambda e: e.pair.label),
        ),
        "anonymous-encounters",
        sheet_name=_("Anonymous encounters"),
    )


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new():
    pairs = queries.working_pairs(current_user)
    form = EncounterForm(pairs=pairs)
    if not pairs:
        # Encounters belong to a pair; without an active one there is nowhere to record it.
        return render("encounters/form.html", status=403 if form.is_submitted() else 200,
                      form=None, encounter=None, areas=[])
    if not form.is_submitted():
        form.fill_defaults(current_user)
        recent = queries.recent_areas(current_user, limit=1)
        if recent and recent[0] in form.area_ids:
            form.area.data = recent[0]  # where she usually meets people
    if form.validate_on_submit():
        encounter = AnonymousEncounter(created_by_id=current_user.id)
        form.save_to(encounter)
        db.session.add(encounter)
        db.session.commit()
        flash(_("The encounter was recorded."), "success")
        return redirect(url_for(".index"))
    return render(
        "encounters/form.html",
        status=422 if form.errors else 200,
        form=form,
        encounter=None,
        areas=queries.recent_areas(current_user),
    )


@bp.route("/<int:encounter_id>/edit", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def edit(encounter_id: int):
    encounter = queries.encounter_or_404(current_user, encounter_id)
    form = EncounterEditForm(obj=encounter, pairs=queries.working_pairs(current_user))
    if form.is_submitted():
        valid = form.validate()
        if is_stale(encounter, form.version.data):
            return _stale(encounter, form)
        if valid:
            form.save_to(encounter)
            try:
                db.session.commit()
            except StaleDataError:
                # The partner saved between our check and our write.
                db.session.rollback()
                db.session.expire_all()
                return _stale(queries.encounter_or_404(current_user, encounter_id), form)
            flash(_("The encounter was saved."), "success")
            return redirect(url_for(".index"))
    return _edit_page(encounter, form, status=422 if form.errors else 200)


@bp.post("/<int:encounter_id>/delete")
@allow_roles(*PARTNERS)
def delete(encounter_id: int):
    encounter = queries.encounter_or_404(current_user, encounter_id)
    db.session.delete(encounter)
    db.session.commit()
    flash(_("The encounter was deleted."), "success")
    return redirect(url_for(".index"))


def _edit_page(encounter, form, status=200, conflict=None):
    return render(
        "encounters/form.html",
        status=status,
        form=form,
        encounter=encounter,
        areas=queries.recent_areas(current_user),
        conflict=conflict,
    )


# --- A stale save: both versions side by side ---------------------------------------------

FIELDS = ("pair_id", "met_on", "area", "people_count", "age_group", "topics", "met_by", "note")


def _display(name: str, value, pairs: dict) -> str:
    if value in (None, "", []):
        return ""
    match name:
        case "pair_id":
            return pairs.get(value, "")
        case "met_on":
            return format_day(value)
        case "age_group":
            return _choice_name(AGE_GROUP_NAMES, AgeGroup, value)
        case "met_by":
            return _choice_name(MET_BY_NAMES, MetBy, value)
        case "topics":
            known = {domain.value: domain for domain in LifeDomain}
            return ", ".join(str(LIFE_DOMAIN_NAMES[known[v]]) for v in value if v in known)
    return str(value)


def _choice_name(names: dict, choices, value) -> str:
    """The name of a choice; a value that is none of them (typed input) as it is."""
    try:
        return str(names.get(choices(value), value))
    except ValueError:
        return str(value)


def _stale(encounter: AnonymousEncounter, form: EncounterEditForm):
    """409: the partner saved first. What is saved now and the user's unsaved input side by
    side; the form keeps the input and carries the current version, so saving again is a
    deliberate choice."""
    pairs = {pair.id: pair.label for pair in form.pairs}
    saved = {
        "pair_id": encounter.pair_id,
        "met_on": encounter.met_on,
        "area": encounter.area,
        "people_count": encounter.people_count,
        "age_group": encounter.age_group.value,
        "topics": list(encounter.topics or []),
        "met_by": encounter.met_by.value,
        "note": encounter.note,
    }
    mine = {name: form[name].data for name in FIELDS}
    mine["topics"] = form.topic_values()
    shown = [
        (form[name].label.text, _display(name, saved[name], pairs),
         _display(name, mine[name], pairs))
        for name in FIELDS
    ]
    rows = [row for row in shown if row[1] != row[2]]
    form.version.data = str(encounter.version)
    return _edit_page(encounter, form, status=409, conflict={"rows": rows})
