"""Outings: going out (/outings/new), "I'm back" and extending (one tap each), the
supervisor's overdue outings (/outings/overdue), and the administrator's list of areas
(/admin/areas). Home panels at the end: the partner's alert banner and live outings, the
supervisor's overdue ones.

Access: the partners of a working pair record and see their pair's outings; only the one
who went out says she is back or extends (403 for her partner); the supervisor sees the
outings of the pairs they supervise past the second grace (the worker's name, the area,
since when); administrators keep the areas and see no outing."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from outreach.auth.access import allow_roles
from outreach.auth.models import Role, User
from outreach.core.clock import utcnow
from outreach.core.formatting import format_clock
from outreach.core.views import current_user_obj
from outreach.extensions import db
from outreach.outings import queries
from outreach.outings.forms import AreaForm, ExtendForm, OutingForm
from outreach.outings.models import Area
from outreach.panels import HOME_PANELS
from outreach.web import form_page, render

bp = Blueprint("outings", __name__)


def _outing_form(me: User, pairs, formdata=None) -> OutingForm:
    form = OutingForm(formdata=formdata, pairs=pairs, areas=queries.active_areas(),
                      colleagues=queries.colleagues(me))
    if formdata is None and (last := queries.last_area_id(me)) is not None:
        form.area_id.data = last  # her usual area: going out is then two taps
    return form


@bp.route("/outings/new", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL, Role.EXPERT)
def new():
    me = current_user_obj()
    pairs = queries.working_pairs(me)
    if not pairs:
        abort(404)
    if request.method == "GET":
        return render("outings/new.html", form=_outing_form(me, pairs), pairs=pairs)
    form = _outing_form(me, pairs, formdata=request.form)
    if not form.validate_on_submit():
        return render("outings/new.html", status=422, form=form, pairs=pairs)
    pair = next((p for p in pairs if p.id == form.pair_id.data), pairs[0])
    area = db.session.get(Area, form.area_id.data)
    companion = (db.session.get(User, form.companion_id.data)
                 if form.companion_id.data else None)
    outing = queries.start(pair, me, area, companion, form.expected_return())
    db.session.commit()
    flash(_("Have a safe outing. %(name)s sees that you are in %(area)s until %(time)s.",
            name=queries.partner_in(pair, me).name, area=area.name,
            time=format_clock(outing.expected_back_at)), "success")
    return redirect(url_for("home.index"))


@bp.post("/outings/<int:outing_id>/back")
@allow_roles(Role.PROFESSIONAL, Role.EXPERT)
def back(outing_id: int):
    me = current_user_obj()
    outing = queries.own_outing_or_404(me, outing_id)
    if outing.is_live:
        queries.come_back(outing)
        db.session.commit()
    return redirect(url_for(".welcome", outing_id=outing.id))


@bp.get("/outings/<int:outing_id>/welcome")
@allow_roles(Role.PROFESSIONAL, Role.EXPERT)
def welcome(outing_id: int):
    """Back: the check-in offered (to the expert, who records them)."""
    me = current_user_obj()
    outing = queries.own_outing_or_404(me, outing_id)
    return render("outings/welcome.html", outing=outing)


@bp.post("/outings/<int:outing_id>/extend")
@allow_roles(Role.PROFESSIONAL, Role.EXPERT)
def extend(outing_id: int):
    me = current_user_obj()
    outing = queries.own_outing_or_404(me, outing_id)
    if not outing.is_live:
        flash(_("This outing has already ended."), "success")
        return redirect(url_for("home.index"))
    form = ExtendForm()
    if not form.validate_on_submit():
        return render("outings/extend.html", status=422, outing=outing, form=form)
    queries.extend(outing, form.extended_return(outing.expected_back_at))
    db.session.commit()
    flash(_("Your return is now %(time)s.", time=format_clock(outing.expected_back_at)),
          "success")
    return redirect(url_for("home.index"))


@bp.get("/outings/<int:outing_id>/extend")
@allow_roles(Role.PROFESSIONAL, Role.EXPERT)
def extend_form(outing_id: int):
    """A new return time of her own choosing (the home page's button adds 30 minutes)."""
    outing = queries.own_outing_or_404(current_user_obj(), outing_id)
    return render("outings/extend.html", outing=outing, form=ExtendForm())


@bp.get("/outings/overdue")
@allow_roles(Role.SUPERVISOR)
def overdue():
    return render("outings/overdue.html", outings=queries.supervisor_overdue(current_user_obj()))


# --- The administrator's list of areas --------------------------------------------------------


@bp.get("/admin/areas")
@allow_roles(Role.ADMIN)
def areas():
    return render("outings/areas.html", areas=queries.all_areas())


def _save_area(form: AreaForm, area: Area | None):
    if queries.area_named(form.name.data, other_than=area.id if area else None):
        form.name.errors.append(_("An area with this name is already on the list."))
        return None
    if area is None:
        area = Area()
        db.session.add(area)
    area.name = form.name.data
    area.active = form.active.data
    try:
        db.session.commit()
    except IntegrityError:  # the same name saved at the same moment by someone else
        db.session.rollback()
        form.name.errors.append(_("An area with this name is already on the list."))
        return None
    return area


@bp.route("/admin/areas/new", methods=["GET", "POST"])
@allow_roles(Role.ADMIN)
def new_area():
    form = AreaForm()
    if form.validate_on_submit() and _save_area(form, None):
        flash(_("The area was added."), "success")
        return redirect(url_for(".areas"))
    return form_page("outings/area_form.html", form, area=None)


@bp.route("/admin/areas/<int:area_id>", methods=["GET", "POST"])
@allow_roles(Role.ADMIN)
def edit_area(area_id: int):
    area = queries.area_or_404(area_id)
    form = AreaForm(obj=area)
    if form.validate_on_submit() and _save_area(form, area):
        flash(_("The area was saved."), "success")
        return redirect(url_for(".areas"))
    return form_page("outings/area_form.html", form, area=area)


@bp.post("/admin/areas/<int:area_id>/delete")
@allow_roles(Role.ADMIN)
def delete_area(area_id: int):
    """Only an area nothing refers to; one in use is taken out of use instead."""
    area = queries.area_or_404(area_id)
    if queries.area_in_use(area):
        area.active = False
        db.session.commit()
        flash(_("The area has been used, so it was taken out of use instead of deleted."),
              "success")
    else:
        db.session.delete(area)
        db.session.commit()
        flash(_("The area was deleted."), "success")
    return redirect(url_for(".areas"))


# --- Home panels ------------------------------------------------------------------------------


def _partner_alerts(user: User, today) -> dict | None:
    """The partner's banner: her partner's outing past its return and the first grace."""
    if user.role not in queries.PARTNERS:
        return None
    now = utcnow()
    late = [o for o in queries.live_outings(user)
            if o.worker_id != user.id and o.is_overdue(now)]
    return {"outings": late} if late else None


def _live(user: User, today) -> dict | None:
    """Her own live outing with "I'm back" and +30 min, or the button to go out; and her
    partner's live outings."""
    if user.role not in queries.PARTNERS or not queries.working_pairs(user, today):
        return None
    live = queries.live_outings(user)
    return {"mine": [o for o in live if o.worker_id == user.id],
            "partners": [o for o in live if o.worker_id != user.id],
            "extend_form": ExtendForm(), "now": utcnow()}


def _supervisor(user: User, today) -> dict | None:
    if user.role != Role.SUPERVISOR:
        return None
    late = queries.supervisor_overdue(user)
    return {"outings": late} if late else None


HOME_PANELS.register("outing-alerts", "outings/_home_alert.html", _partner_alerts, order=1)
HOME_PANELS.register("outings-overdue", "outings/_home_supervisor.html", _supervisor, order=1)
HOME_PANELS.register("outings", "outings/_home_live.html", _live, order=5)
