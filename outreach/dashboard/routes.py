"""The workload dashboard: /dashboard, for a period and some of the user's pairs."""

from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from outreach.accompaniments.models import OUTCOME_NAMES, Outcome
from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.contacts.choices import CHANNEL_NAMES, Channel
from outreach.core.formatting import format_number
from outreach.core.time import local_today
from outreach.core.views import counted_page, page_number
from outreach.dashboard import queries
from outreach.dashboard.chart import ORDER, balance_svg, role_names, total_bar
from outreach.dashboard.forms import DashboardFilterForm
from outreach.meetings.models import MEETING_KIND_NAMES, MeetingKind
from outreach.network.models import NETWORK_CHANNEL_NAMES, NetworkChannel
from outreach.pairs.agreement import rhythm_name
from outreach.scope import PARTNERS
from outreach.services.models import KIND_NAMES, ServiceKind
from outreach.tasks.models import ASSIGNEE_NAMES, Assignee
from outreach.web import render

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

# Meeting kinds shown against the agreed rhythm.
MEETING_KINDS = (MeetingKind.PLANNING, MeetingKind.DEBRIEF, MeetingKind.SUPERVISION)


def hours(minutes: int) -> str:
    """Minutes as hours with one decimal, in the reader's number format (1,5 / 1.5)."""
    return format_number(minutes / 60, "#,##0.0")


def percent(share: float | None) -> str:
    return "–" if share is None else format_number(share, "#,##0 %")


def mean_text(value: float) -> str:
    return format_number(value, "0.0")


def month_name(month) -> str:
    return format_date(month, "LLLL y")


def rhythm_due(status, kind: str):
    """The planning or debrief meeting's due state in a RhythmStatus (None otherwise)."""
    if status is None:
        return None
    return next((due for due in status.dues if due.kind == kind), None)


PERIOD_ARGS = ("period", "start", "end")


def _period_args() -> dict:
    """The request's period choice, carried over into the links between the views."""
    return {name: request.args[name] for name in PERIOD_ARGS if request.args.get(name)}


def breakdown_url(pair_id: int) -> str:
    """The breakdown of one pair for the same period."""
    return url_for("dashboard.index", pair=pair_id, **_period_args())


def overview_url() -> str:
    """Every pair for the same period."""
    return url_for("dashboard.index", **_period_args())


def _names() -> dict:
    return {
        "channel_names": {c.value: CHANNEL_NAMES[c] for c in Channel},
        "network_channel_names": {c.value: NETWORK_CHANNEL_NAMES[c] for c in NetworkChannel},
        "service_kind_names": {k.value: KIND_NAMES[k] for k in ServiceKind},
        "outcome_names": {o.value: OUTCOME_NAMES[o] for o in Outcome},
        "assignee_names": {a.value: ASSIGNEE_NAMES[a] for a in Assignee},
        "assignees": [a.value for a in Assignee],
        "meeting_kind_names": {k.value: MEETING_KIND_NAMES[k] for k in MeetingKind},
        "meeting_kinds": [k.value for k in MEETING_KINDS],
    }


def _chart(dash) -> str:
    """The balance chart: in the overview a first bar for all the shown pairs together and
    one for each pair on the table's page, their shares left to the table; in the
    breakdown every share described."""
    if dash is None:
        return ""
    total = None
    if not dash.detailed and dash.totals.pairs > 1:
        total = total_bar(_("All the pairs shown together"), dash.totals.minutes,
                          dash.totals.balance.hours)
    return balance_svg(dash.figures, total=total, described_in_table=not dash.detailed)


@bp.get("/")
@allow_roles(Role.ADMIN, Role.SUPERVISOR, Role.PROFESSIONAL, Role.EXPERT)
def index():
    me = current_user._get_current_object()
    today = local_today()
    form = DashboardFilterForm(formdata=request.args)
    valid = form.validate()
    period = form.chosen_period(today) if valid else None
    dash = None
    page = page_number()
    if period is not None:
        # The overview of many pairs (a thousand, nationally) stays a page a person can
        # read: the totals over all, then a page of pairs, those needing attention first.
        dash = queries.dashboard(me, period, today, form.pair.data or None,
                                 search=form.q.data, page=page,
                                 per_page=current_app.config["PAGE_SIZE"])
        # A pair outside the user's scope is not there at all.
        if dash is None:
            abort(404)
        form.pair.choices = [(choice.id, choice.label) for choice in dash.choices]
    elif form.pair.data and not queries.all_visible(me, form.pair.data):
        abort(404)
    rows = None
    if dash is not None and not dash.detailed:
        rows = counted_page(dash.figures, dash.matched, page)
    return render(
        "dashboard/index.html",
        status=200 if valid else 422,
        form=form,
        dash=dash,
        today=today,
        is_partner=me.role in PARTNERS,
        chart=_chart(dash),
        rows=rows,
        role_names=role_names,
        roles=ORDER,
        hours=hours,
        percent=percent,
        mean_text=mean_text,
        month_name=month_name,
        rhythm_due=rhythm_due,
        rhythm_name=rhythm_name,
        breakdown_url=breakdown_url,
        overview_url=overview_url,
        expected_share=float(queries.EXPECTED_EXPERT_SHARE),
        flag_share=float(queries.SOLO_HOURS_FLAG_SHARE),
        **_names(),
    )
