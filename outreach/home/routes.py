
from flask import Blueprint
from flask_login import current_user

from outreach.accompaniments.queries import outcomes_due
from outreach.auth.access import allow_signed_in
from outreach.core.memo import shared_loads
from outreach.core.time import local_today
from outreach.pairs.queries import home_pairs, pairs_awaiting_confidentiality
from outreach.panels import HOME_PANELS
from outreach.tasks.queries import home_summary
from outreach.web import render

bp = Blueprint("home", __name__)


@bp.get("/")
@allow_signed_in
def index():
    today = local_today()
    # The panels ask about the user's pairs (and more) in one query between them.
    with shared_loads():
        pairs, pairs_total = home_pairs(current_user)
        return render(
            "home/index.html",
            pairs=pairs,
            pairs_total=pairs_total,
            # The expert's pairs whose clients she cannot open yet: the page says why.
            awaiting_confidentiality=pairs_awaiting_confidentiality(current_user),
            today=today,
            # Partners: overdue tasks, proposals waiting, women not reached (outreach.tasks).
            **home_summary(current_user),
            # Planned accompaniments past their time, for the one who went
            # (outreach.accompaniments).
            outcomes_due=outcomes_due(current_user),
            # Check-ins, feedback asked for... from other domains (outreach.panels).
            panels=HOME_PANELS.render(current_user, today, today=today),
        )
