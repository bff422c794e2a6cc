"""The administrator's settings: the retention period (read-only, from the configuration)
and how many closed records are due for anonymisation. Counts only, no client content."""

from flask import Blueprint, current_app

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.retention.service import anonymised_count, due_count, retention_cutoff
from outreach.web import render

bp = Blueprint("retention", __name__, url_prefix="/admin")


@bp.get("/settings")
@allow_roles(Role.ADMIN)
def settings():
    years = current_app.config["RETENTION_YEARS"]
    today = local_today()
    return render(
        "retention/settings.html",
        years=years,
        cutoff=retention_cutoff(today, years),
        due=due_count(today, years),
        anonymised=anonymised_count(),
    )
