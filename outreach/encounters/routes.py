"""Anonymous encounters: quick to record on a phone, listed by month, edited and deleted by
either partner of the pair. Supervisors and administrators are refused (403): they get
counts in the reports."""

from flask import Blueprint, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from outreach.auth.access import allow_roles
from outreach.core.editing import stale_conflict
from outreach.encounters import queries
from outreach.encounters.forms import EncounterEditForm, EncounterForm
from outreach.encounters.models import (
    AnonymousEncounter,
)
from outreach.offline.replay import replayable
from outreach.record_views import Messages, RecordViews
from outreach.scope import PARTNERS, writing_pairs
from outreach.web import render

bp = Blueprint("encounters", __name__, url_prefix="/encounters")


def _writing_pairs():
    """The user's active pairs, read once a request (the refusal and the form need them)."""
    if "writing_pairs" not in g:
        g.writing_pairs = writing_pairs(current_user, newest_first=True)
    return g.writing_pairs


class EncounterViews(RecordViews):
    """No client: the user's own pairs are the scope (queries take the user)."""

    model = AnonymousEncounter
    id_arg = "encounter_id"
    record_var = "encounter"
    form, edit_form = EncounterForm, EncounterEditForm
    list_template, form_template = "encounters/index.html", "encounters/form.html"
    sheet_name = _l("Anonymous encounters")
    export_columns = [
        (_l("Date"), lambda e: e.met_on),
        (_l("Area"), lambda e: e.area),
        (_l("Number of people"), lambda e: e.people_count),
        (_l("Age group"), lambda e: e.age_group_label),
        (_l("Met by"), lambda e: e.met_by_label),
        (_l("Topics"), lambda e: e.topic_labels),
        (_l("Note"), lambda e: e.note),
        (_l("Pair"), lambda e: e.pair.label),
    ]
    export_file = "anonymous-encounters"
    messages = Messages(created=_l("The encounter was recorded."),
                        saved=_l("The encounter was saved."),
                        deleted=_l("The encounter was deleted."))

    def record_or_404(self, parent, ident):
        return queries.encounter_or_404(current_user, ident)

    def filters(self):
        return queries.parse_month(request.args.get("month"))

    def listing(self, parent, month):
        return queries.encounter_list(current_user, month)

    def index_context(self, user, parent, month) -> dict:
        count, people = queries.encounter_totals(user, month)
        return {
            "month": queries.month_value(month) if month else "",
            "months": queries.month_choices(chosen=month),
            "count": count,
            "people": people,
            "show_pair": queries.working_pair_count(user) > 1,
        }

    # No identity: the export is not logged.
    def form_args(self, parent, record=None) -> dict:
        return {"pairs": _writing_pairs()}

    def refuse(self, user, parent, record=None):
        if record is None and not _writing_pairs():
            # Encounters belong to a pair; without an active one there is nowhere to record it.
            return render("encounters/form.html", status=403 if request.method == "POST" else 200,
                          form=None, encounter=None, areas=[])
        return None

    def page_context(self, user, parent, form, record) -> dict:
        return {"areas": queries.recent_areas(user)}

    def fill_new(self, form, user, parent) -> None:
        form.fill_defaults(user)
        recent = queries.recent_areas(user, limit=1)
        if recent and recent[0] in form.area_ids:
            form.area.data = recent[0]  # where she usually meets people

    def apply(self, form, record, user, parent) -> None:
        form.save_to(record)

    def conflict(self, record, form):
        saved = {name: getattr(record, name) for name in form.FIELDS}
        saved["topics"] = list(record.topics or [])
        return stale_conflict(record, form, saved=saved)


# The partners only: supervisors and administrators get counts in the reports.
PARTNERS_ONLY = allow_roles(*PARTNERS)
EncounterViews().register(bp, {
    **dict.fromkeys(("index", "index_export", "edit", "delete"), PARTNERS_ONLY),
    # Made on a phone without a connection, sent later: one record per key however often.
    "new": lambda view: PARTNERS_ONLY(replayable(view)),
})
