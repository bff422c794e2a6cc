"""The funder report (issue 8): what the work reached in a year or period, for a set of
pairs, as a printable page and an XLSX file. Counts only, never a name or client code.

Supervisors report on the pairs they supervise, administrators on all pairs, a partner on
her own pair: the pairs come from `visible_pair_ids`, and a pair outside it in the query
string answers 404."""

from flask import Blueprint, abort, make_response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.core.formatting import format_day
from outreach.core.time import local_today
from outreach.core.views import current_user_obj
from outreach.panels import HOME_PANELS
from outreach.reports import queries
from outreach.reports.forms import FunderReportForm
from outreach.reports.sections import footnote, sections
from outreach.reports.xlsx import workbook
from outreach.web import render

bp = Blueprint("reports", __name__, url_prefix="/reports")

REPORT_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.PROFESSIONAL, Role.EXPERT)
# The menu entry and the home page's link: for those who report on several pairs.
NAVIGATION_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = _l("Funder report")



def _report():
    """(form, report or None): the report when the choices are valid."""
    me = current_user_obj()
    pairs = queries.report_pairs(me)
    form = FunderReportForm(request.args, today=local_today(), pairs=pairs)
    if not form.validate():
        return form, None
    visible = {pair.id: pair for pair in pairs}
    if not set(form.pairs.data) <= set(visible):
        abort(404)  # a pair the user may not see: nothing tells it exists
    chosen = [pair for pair in pairs if pair.id in set(form.pairs.data)]
    return form, queries.funder_report(me, form.period, chosen)


def period_text(period: queries.Period) -> str:
    if period.year is not None:
        return str(period.year)
    return f"{format_day(period.first_day)}–{format_day(period.last_day)}"


def pairs_text(report: queries.FunderReport) -> str:
    return "; ".join(pair.label for pair in report.pairs) or _("No pairs")


@bp.get("/funder")
@allow_roles(*REPORT_ROLES)
def funder():
    form, report = _report()
    if report is None:
        return render("reports/funder.html", status=422, form=form, report=None, title=TITLE)
    return render(
        "reports/funder.html",
        form=form,
        report=report,
        sections=sections(report),
        footnote=footnote(),
        period_text=period_text(report.period),
        pairs_text=pairs_text(report),
        all_pairs=len(report.pairs) == len(form.pairs.choices),
        query=request.query_string.decode(),
        title=TITLE,
    )


funder.navigation_roles = NAVIGATION_ROLES


@bp.get("/funder.xlsx")
@allow_roles(*REPORT_ROLES)
def funder_xlsx():
    """The same report as a file, with the same choices (the page's query string)."""
    form, report = _report()
    if report is None:
        return render("reports/funder.html", status=422, form=form, report=None, title=TITLE)
    period = period_text(report.period)
    data = workbook(
        str(TITLE),
        [(_("Period"), period), (_("Pairs"), pairs_text(report))],
        sections(report),
        footnote(),
    )
    response = make_response(data)
    response.mimetype = XLSX_TYPE
    span = report.period
    name = f"funder-report-{span.year}" if span.year else \
        f"funder-report-{span.first_day.isoformat()}-{span.last_day.isoformat()}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- The home page's link ---------------------------------------------------------------


def _home_panel(user, today) -> dict | None:
    if user.role not in NAVIGATION_ROLES:
        return None
    return {"last_year": today.year - 1}


HOME_PANELS.register("funder-report", "reports/_home_panel.html", _home_panel, order=60)
