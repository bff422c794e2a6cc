"""Reading the access log and exporting her data.

Her own log and her data are for the pair's professional only (`client_or_404` scopes the
client, and is what logs the request); the administrator searches the whole log and sees
codes, never names or anything recorded about her."""

import csv
import io
import json
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    render_template,
    request,
    session,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.audit import export as her_export
from outreach.audit import log, queries
from outreach.audit.forms import LogSearchForm
from outreach.audit.labels import (
    ACTION_NAMES,
    BASIS_NAMES,
    OUTCOME_NAMES,
    name_of,
    part_name,
    part_names,
)
from outreach.audit.models import AccessLog
from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.formatting import format_moment
from outreach.core.time import local_today
from outreach.core.views import current_user_obj, page_of
from outreach.exports import columns, export_response, stream_batches
from outreach.labels import role_name
from outreach.scope import client_or_404
from outreach.web import render

bp = Blueprint("audit", __name__)

HER_LANGUAGES = ("fi", "sv", "en")
HER_LOG_ENDPOINTS = {"audit.hers", "audit.hers_csv"}


@bp.record_once
def _setup(state) -> None:
    log.init_app(state.app)
    state.app.jinja_env.filters["fromiso"] = her_export.from_iso
    state.app.jinja_env.filters["fromisoday"] = her_export.from_iso_day


@bp.before_app_request
def _keep_ui_language() -> None:
    """Her log's ?lang= is the language of her copy, not of the professional's pages: the
    session's language is put back after the app's own hook has read the parameter."""
    if request.endpoint in HER_LOG_ENDPOINTS:
        g.audit_ui_language = session.get("lang")


def _restore_ui_language() -> None:
    previous = g.pop("audit_ui_language", None)
    if previous is None:
        session.pop("lang", None)
    else:
        session["lang"] = previous



def _names() -> dict:
    return {"part_names": part_names(), "action_names": ACTION_NAMES, "basis_names": BASIS_NAMES,
            "outcome_names": OUTCOME_NAMES, "name_of": name_of}


# --- Her log for the professional ---------------------------------------------------------


@bp.get("/clients/<int:client_id>/access-log")
@allow_roles(Role.PROFESSIONAL)
def client_log(client_id: int):
    client = client_or_404(current_user_obj(), client_id)
    pagination = page_of(queries.client_log(queries.her_ids(client)))
    return render("audit/client_log.html", client=client, pagination=pagination, **_names())


# --- Her own log, for her -----------------------------------------------------------------


def _her_language() -> str:
    lang = request.args.get("lang", "")
    return lang if lang in HER_LANGUAGES else "fi"


def _her_rows(client: Client) -> list[dict]:
    organisation = current_app.config["ORGANISATION_NAME"]
    return [
        {
            "at": entry.at,
            "role": role_name(entry.role) if entry.role else "",
            "organisation": organisation,
            "part": part_name(entry.part),
            "action": name_of(ACTION_NAMES, entry.action),
        }
        for entry in queries.her_log(queries.her_ids(client))
    ]


@bp.get("/clients/<int:client_id>/access-log/hers")
@allow_roles(Role.PROFESSIONAL)
def hers(client_id: int):
    _restore_ui_language()
    client = client_or_404(current_user_obj(), client_id)
    lang = _her_language()
    with force_locale(lang):
        rows = _her_rows(client)
        html = render_template("audit/hers.html", client=client, rows=rows, her_language=lang,
                               today=local_today(), languages=HER_LANGUAGES)
    response = Response(html, mimetype="text/html")
    response.vary.add("HX-Request")
    return response


@bp.get("/clients/<int:client_id>/access-log/hers.csv")
@allow_roles(Role.PROFESSIONAL)
def hers_csv(client_id: int):
    _restore_ui_language()
    client = client_or_404(current_user_obj(), client_id)
    lang = _her_language()
    out = io.StringIO()
    writer = csv.writer(out)
    with force_locale(lang):
        writer.writerow([_("When"), _("Role"), _("Organisation"), _("What"), _("Action")])
        for row in _her_rows(client):
            writer.writerow([format_moment(row["at"]), row["role"], row["organisation"],
                             row["part"], row["action"]])
        filename = f"{_('access-log')}-{client.code}-{lang}.csv"
    body = "\ufeff" + out.getvalue()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": _attachment(filename)},
    )


def _attachment(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


# --- Her data (GDPR article 15) ------------------------------------------------------------


@bp.get("/clients/<int:client_id>/export")
@allow_roles(Role.PROFESSIONAL)
def export(client_id: int):
    client = client_or_404(current_user_obj(), client_id)
    log.record_access(client.id, "export", "export")
    parts = her_export.her_data(client)
    return render("audit/export.html", client=client, parts=parts, today=local_today(),
                  label_for=her_export.label_for, split=her_export.split,
                  is_moment=_is_moment)


def _is_moment(key: str, value) -> bool:
    return isinstance(value, str) and (key.endswith("_at") or key == "at") and "T" in value


@bp.get("/clients/<int:client_id>/export.json")
@allow_roles(Role.PROFESSIONAL)
def export_json(client_id: int):
    client = client_or_404(current_user_obj(), client_id)
    log.record_access(client.id, "export", "export")
    data = her_export.as_json(client, her_export.her_data(client))
    data["exported_at"] = utcnow().isoformat()
    data["organisation"] = current_app.config["ORGANISATION_NAME"]
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": _attachment(f"{client.code}.json")},
    )


# --- The administrator's search --------------------------------------------------------------


def _admin_search() -> tuple[LogSearchForm, queries.Search | None]:
    """The search form from the request and its Search; None when the search is not valid
    (the page and its export)."""
    form = LogSearchForm(formdata=request.args)
    valid = form.validate()
    search = queries.Search(
        user=form.user.data or "",
        code=form.code.data or "",
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
        outcome=form.outcome.data or "",
    )
    if valid and search.since and search.until and search.since > search.until:
        form.until.errors = [*form.until.errors, _("The end date is before the start date.")]
        valid = False
    return form, search if valid else None


@bp.get("/admin/access-log")
@allow_roles(Role.ADMIN)
def admin_log():
    form, search = _admin_search()
    if search is None:
        return render("audit/admin_log.html", status=422, form=form, pagination=None, codes={},
                      **_names())
    pagination = page_of(queries.admin_search(search))
    entries: list[AccessLog] = list(pagination.items)
    return render("audit/admin_log.html", form=form, pagination=pagination,
                  codes=queries.codes_of(entries), **_names())


@bp.get("/admin/access-log/export")
@allow_roles(Role.ADMIN)
def admin_log_export():
    """The search's rows as a file: the same columns as the page, codes never names."""
    form, search = _admin_search()
    if search is None:
        return render("audit/admin_log.html", status=422, form=form, pagination=None, codes={},
                      **_names())

    def rows():
        for batch in stream_batches(queries.admin_search(search)):
            codes = queries.codes_of(batch)  # one query per batch of rows
            for entry in batch:
                yield entry, codes

    def code(row):
        entry, codes = row
        if entry.client_id is None:
            return None
        return codes.get(entry.client_id, f"#{entry.client_id}")

    return export_response(
        rows(),
        columns(
            (_l("When"), lambda row: row[0].at),
            (_l("Who"), lambda row: row[0].user.name if row[0].user else _("System")),
            (_l("Role"), lambda row: role_name(row[0].role) if row[0].role else None),
            (_l("Client code"), code),
            (_l("What"), lambda row: part_name(row[0].part)),
            (_l("Action"), lambda row: name_of(ACTION_NAMES, row[0].action)),
            (_l("Basis"), lambda row: name_of(BASIS_NAMES, row[0].basis)),
            (_l("Outcome"), lambda row: name_of(OUTCOME_NAMES, row[0].outcome)),
            (_l("Address"), lambda row: row[0].remote_addr),
        ),
        "access-log",
        sheet_name=_("Access log"),
    )
