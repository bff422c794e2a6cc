"""Well-being check-ins: the expert records one (/checkins/new) and reads her history with a
chart (/checkins); the pair's list (/pairs/<id>/checkins); the professional acknowledges a
waiting one, in place with htmx or on a page of its own (/checkins/<id>/acknowledge).

Access: check-ins are the pair's own. Every view is declared for signed-in users and then
scoped: supervisors and administrators get 404 on every check-in URL and fragment (not even
a check-in's existence is theirs to know), another pair's partners 404 too; a partner of the
wrong role 403 (only the expert records, only the professional acknowledges). What the
supervisor sees is the count of waiting check-ins per pair and how long the oldest has
waited: the panels at the end of this module, built on `queries.waiting_checkins`."""

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
from flask_babel import gettext as _

from outreach.auth.access import allow_signed_in
from outreach.auth.models import Role, User
from outreach.core.formatting import format_day
from outreach.core.time import local_today
from outreach.core.views import current_user_obj, page_of
from outreach.extensions import db, htmx
from outreach.feedback.queries import open_ask_counts
from outreach.offline.replay import replayable, tapped_at
from outreach.panels import HOME_PANELS, PAIR_PANELS
from outreach.scope import PARTNERS, pair_or_404, writing_pairs
from outreach.web import form_page, is_safe_next, render
from outreach.wellbeing import queries
from outreach.wellbeing.chart import build_chart
from outreach.wellbeing.forms import CheckInForm, StrainShareForm, acknowledge_form
from outreach.wellbeing.models import STRAIN_NAMES, CheckIn

bp = Blueprint("wellbeing", __name__)



def _partner(*roles: Role) -> User:
    """The signed-in partner of one of these roles. Supervisors and administrators: 404,
    as for a check-in outside their scope; the other partner's role: 403."""
    me = current_user_obj()
    if me.role not in PARTNERS:
        abort(404)
    if me.role not in roles:
        abort(403)
    return me


def _next_url(default: str | None = None) -> str:
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_next(target) else (default or url_for("home.index"))


# --- The expert: a new check-in and her history -------------------------------------------------


@bp.route("/checkins/new", methods=["GET", "POST"])
@allow_signed_in
@replayable
def new():
    me = _partner(Role.EXPERT)
    pairs = writing_pairs(me)
    if not pairs:
        abort(404)  # no working pair the check-in could belong to
    form = CheckInForm(pairs=pairs)
    if form.validate_on_submit():
        pair = next(p for p in pairs if p.id == form.pair_id.data)
        checkin = queries.create_checkin(pair, me, form.strain.data, form.wants_to_talk.data,
                                         form.note.data)
        checkin.created_at = tapped_at()  # sent later from the phone: when she tapped
        db.session.commit()
        if form.wants_to_talk.data:
            flash(_("Thank you. Your check-in was saved, and %(name)s sees that you would "
                    "like to talk.", name=pair.professional.name), "success")
        else:
            flash(_("Thank you. Your check-in was saved."), "success")
        return redirect(url_for(".history"))
    return form_page("wellbeing/new.html", form, pairs=pairs)


@bp.get("/checkins")
@allow_signed_in
def history():
    me = _partner(Role.EXPERT)
    pagination = page_of(queries.history_of(me))
    chart = build_chart(queries.chart_points(me))
    return render("wellbeing/history.html", pagination=pagination, chart=chart,
                  strain_names=STRAIN_NAMES, can_record=bool(writing_pairs(me)),
                  shares=queries.shares_strain(me))


@bp.post("/checkins/sharing")
@allow_signed_in
def sharing():
    """She shares her monthly trend with the supervisor, or withdraws it: at once."""
    me = _partner(Role.EXPERT)
    form = StrainShareForm()
    if not form.validate_on_submit():
        abort(400)
    share = form.share.data == "1"
    queries.set_strain_sharing(me, share)
    db.session.commit()
    if share:
        flash(_("Your supervisor now sees your monthly strain trend."), "success")
    else:
        flash(_("Sharing withdrawn: your supervisor no longer sees your strain."), "success")
    return redirect(url_for(".history"))


# --- The pair's check-ins -------------------------------------------------------------------------


@bp.get("/pairs/<int:pair_id>/checkins")
@allow_signed_in
def pair_checkins(pair_id: int):
    me = _partner(*PARTNERS)
    pair = pair_or_404(me, pair_id)
    pagination = page_of(queries.pair_checkins(me, pair))
    today = local_today()
    can_ack = me.role == Role.PROFESSIONAL and pair.is_active_on(today)
    here = request.full_path.rstrip("?")
    ack_forms = {
        checkin.id: acknowledge_form(checkin)
        for checkin in pagination.items if can_ack and checkin.is_waiting
    }
    return render("wellbeing/pair.html", pair=pair, pagination=pagination, ack_forms=ack_forms,
                  today=today, next=here)


# --- The professional acknowledges ------------------------------------------------------------


def _item_target(checkin: CheckIn) -> bool:
    return (bool(htmx) and not htmx.boosted
            and request.headers.get("HX-Target") == f"checkin-{checkin.id}")


def _item(checkin: CheckIn, form=None, message: str | None = None, status: int = 200):
    """The check-in's list item alone, for htmx to swap in place, and the message."""
    html = render_template("wellbeing/_checkin.html", checkin=checkin, form=form,
                           oob_message=message, show_expert=True, next=_next_url())
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def _ack_page(checkin: CheckIn, form, status: int = 200):
    return render("wellbeing/acknowledge.html", status=status, checkin=checkin, form=form,
                  next=_next_url())


@bp.route("/checkins/<int:checkin_id>/acknowledge", methods=["GET", "POST"])
@allow_signed_in
def acknowledge(checkin_id: int):
    me = current_user_obj()
    if me.role not in PARTNERS:
        abort(404)
    checkin = queries.checkin_or_404(me, checkin_id)  # another pair: 404
    if me.role != Role.PROFESSIONAL:
        abort(403)  # the expert does not acknowledge her own check-in
    if not queries.can_acknowledge(me, checkin):
        abort(403)  # the pair has ended
    if not checkin.is_waiting:
        message = _("This check-in was already acknowledged.")
        status = 409 if request.method == "POST" else 200
        if _item_target(checkin):
            return _item(checkin, message=message, status=status)
        return _ack_page(checkin, None, status)
    if request.method == "GET":
        return _ack_page(checkin, acknowledge_form(checkin))
    form = acknowledge_form(checkin, submitted=True)
    if not form.validate():
        if _item_target(checkin):
            return _item(checkin, form, status=422)
        return _ack_page(checkin, form, 422)
    queries.acknowledge(checkin, me, form.talked_on.data, form.ack_note.data)
    db.session.commit()
    message = _("Acknowledged: you talked with %(name)s on %(day)s.",
                name=checkin.expert.name, day=format_day(form.talked_on.data))
    if _item_target(checkin):
        return _item(checkin, message=message)
    flash(message, "success")
    return redirect(_next_url())


# --- Panels: the home page and the pair page ------------------------------------------------------


def _waiting_for_professional(user: User, today) -> dict | None:
    """The professional's home: the check-ins waiting for her, each with its form."""
    if user.role != Role.PROFESSIONAL:
        return None
    checkins = queries.waiting_for_professional(user)
    if not checkins:
        return None
    return {"checkins": checkins, "ack_forms": {c.id: acknowledge_form(c) for c in checkins},
            "next": url_for("home.index")}


def _supervision(user: User, today) -> dict | None:
    """The supervisor's home: their pairs with how many check-ins wait and for how long."""
    if user.role != Role.SUPERVISOR:
        return None
    pairs = queries.supervised_pairs(user, today)
    if not pairs:
        return None
    waiting = queries.waiting_checkins(pair.id for pair in pairs)
    return {"rows": [_count_row(pair, waiting.get(pair.id), today) for pair in pairs]}


def _count_row(pair, waiting, today) -> dict:
    count, oldest = waiting or (0, None)
    return {"pair": pair, "count": count, "days": queries.waited_days(oldest, today)}


def _expert_home(user: User, today) -> dict | None:
    """The expert's home: a check-in in a few taps, and how her last one is doing."""
    if user.role != Role.EXPERT:
        return None
    if not writing_pairs(user, today):
        return None
    return {"last": queries.last_checkin(user)}


def _pair_panel(pair, user: User, today) -> dict | None:
    """Partners: check-ins waiting and feedback asks, with links. The supervisor: the count
    and the days only. Administrators: nothing."""
    if pair.is_partner(user):
        count, oldest = queries.waiting_checkins([pair.id]).get(pair.id, (0, None))
        asks = open_ask_counts(pair.id, user)
        return {"view": "partner", "count": count, "days": queries.waited_days(oldest, today),
                "asks_for_me": asks[0], "asks_by_me": asks[1]}
    if user.role == Role.SUPERVISOR and pair.supervisor_id == user.id:
        count, oldest = queries.waiting_checkins([pair.id]).get(pair.id, (0, None))
        return {"view": "supervisor", "count": count,
                "days": queries.waited_days(oldest, today)}
    return None


HOME_PANELS.register("checkins-waiting", "wellbeing/_home_waiting.html",
                     _waiting_for_professional, order=30)
HOME_PANELS.register("checkins-supervision", "wellbeing/_home_supervision.html", _supervision,
                     order=30)
HOME_PANELS.register("checkin-expert", "wellbeing/_home_expert.html", _expert_home, order=30)
PAIR_PANELS.register("wellbeing", "wellbeing/_pair_panel.html", _pair_panel, order=30)
