"""Clients: the list, her record (create, edit, close, reopen, merge), her timeline, and
handing an ended pair's clients over to another pair.

Every view that touches a client loads her within the user's scope first (clients_of /
client_or_404), so another pair's client, a supervisor, an administrator and an expert
before the confidentiality agreement all get 404, by any URL and in any fragment."""


from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles
from outreach.auth.models import Role, User
from outreach.clients import queries, timeline
from outreach.clients.choices import CLIENT_STATUS_NAMES, LIVING_SITUATION_NAMES
from outreach.clients.forms import (
    ClientFields,
    ClientFilterForm,
    CloseClientForm,
    EditClientForm,
    HandoverForm,
    MergeForm,
    NewClientForm,
)
from outreach.clients.models import (
    Client,
)
from outreach.clients.sections import HerPage
from outreach.core.editing import flush_or_reload, is_stale, stale_conflict
from outreach.core.memo import shared_loads
from outreach.core.time import days_since, local_day, local_today
from outreach.core.views import current_user_obj, id_arg, page_of
from outreach.exports import columns, export_response, log_export, stream_rows
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.pairs.queries import pairs_awaiting_confidentiality
from outreach.scope import PARTNERS, client_or_404, clients_of, note_access, pair_or_404, reads_only
from outreach.tasks.queries import overdue_by_client
from outreach.web import form_page, fragment_target, render

bp = Blueprint("clients", __name__, url_prefix="/clients")

# The read routes of her record a consultation opens to the pair's supervisor (the scope is
# `outreach.scope.clients_of`: only a client with an active consultation opened to her). Never a
# route that changes anything.
READERS = (*PARTNERS, Role.SUPERVISOR)



# --- Loading her -------------------------------------------------------------------------


def _open(client_id: int, endpoint: str, *options, load=None):
    """(client, None) if the user may open her; (None, redirect) if her record was merged
    into one the user may open; 404 otherwise. `load(query)` runs the scoped query (her
    page loads more with her)."""
    query = clients_of(current_user_obj()).where(Client.id == client_id)
    query = query.options(*options) if options else query
    client = db.session.scalar(query) if load is None else load(query)
    if client is not None:
        note_access(current_user_obj(), client_id)
        return client, None
    kept = queries.kept_record(current_user_obj(), client_id)
    if kept is None:
        note_access(current_user_obj(), client_id, outcome="denied")
        abort(404)
    args = request.args.to_dict(flat=False)
    return None, redirect(url_for(endpoint, client_id=kept.id, **args))


def _names() -> dict:
    return {"living_names": LIVING_SITUATION_NAMES, "status_names": CLIENT_STATUS_NAMES}


@bp.app_context_processor
def _reads_only() -> dict:
    """`reads_only` in every template: the supervisor reading a record through a
    consultation is offered no changes (the write routes refuse her anyway)."""
    return {"reads_only": current_user.is_authenticated and reads_only(current_user)}


# --- The list ---------------------------------------------------------------------------------


def _list(me: User):
    """The list's filters from the request and its query (the page and its export)."""
    # "No contact in N days" is each pair's own setting (the pair's page): when the user's
    # pairs agree on N the form shows it, otherwise the field is empty and each woman's own
    # pair counts. A number typed in the form applies to all.
    pair_days = queries.no_contact_days_by_pair(me)
    settings = set(pair_days.values())
    default_days = current_app.config["NO_CONTACT_DAYS"] if not settings \
        else (settings.pop() if len(settings) == 1 else None)
    filters = ClientFilterForm(formdata=request.args, default_days=default_days)
    return filters, pair_days, queries.client_list(me, **filters.filters(), pair_days=pair_days)


@bp.get("/")
@allow_roles(*PARTNERS)
def index():
    me = current_user_obj()
    filters, pair_days, query = _list(me)
    pagination = page_of(query)
    return render(
        "clients/index.html",
        filters=filters,
        pagination=pagination,
        days=filters.days.data,
        pair_days=pair_days,
        # Overdue tasks per woman on this page: one GROUP BY (outreach.tasks).
        overdue=overdue_by_client([client.id for client in pagination.items]),
        today=local_today(),
        days_since=days_since,
        waiting=pairs_awaiting_confidentiality(me) if fragment_target() is None else [],
        **_names(),
    )


@bp.get("/export")
@allow_roles(*PARTNERS)
def index_export():
    """The list as a file, with the page's filters and scope; logged as one export."""
    me = current_user_obj()
    filters, pair_days, query = _list(me)
    today = local_today()
    log_export(None, "client_list")
    return export_response(
        stream_rows(queries.with_overdue_tasks(query, today), scalars=False),
        _export_columns(filters.days.data, pair_days, today), "clients",
        sheet_name=_("Clients"))


def _export_columns(days: int | None, pair_days: dict[int, int], today) -> list:
    """What the list shows, one column per figure; rows are (client, overdue tasks)."""

    def since(row):
        return days_since(row[0].last_seen_at, today)

    def quiet(row):
        client = row[0]
        limit = days or pair_days.get(client.pair_id, current_app.config["NO_CONTACT_DAYS"])
        return client.is_active and since(row) >= limit

    return columns(
        (_l("Name"), lambda row: row[0].name),
        (_l("Code"), lambda row: row[0].code),
        (_l("Living situation"), lambda row: LIVING_SITUATION_NAMES[row[0].living_situation]),
        (_l("Usually met"), lambda row: row[0].usual_place),
        (_l("Last contact"), lambda row: local_day(row[0].last_seen_at)),
        (_l("Days since contact"), since),
        (_l("No contact in the set number of days"), quiet),
        (_l("Overdue tasks"), lambda row: row[1]),
        (_l("Status"), lambda row: CLIENT_STATUS_NAMES[row[0].status]),
        (_l("Closed on"), lambda row: row[0].closed_on),
        (_l("Safety notes"), lambda row: bool(row[0].safety_notes)),
    )


# --- Her record -------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new():
    me = current_user_obj()
    pairs = queries.pairs_for_new_client(me)
    if not pairs and request.method == "POST":
        abort(404)  # no pair in which she could be recorded
    form = NewClientForm(pairs=pairs)
    duplicates = []
    if pairs and form.validate_on_submit():
        values = form.values()
        if not form.create_anyway.data:
            duplicates = queries.possible_duplicates(
                me, values["name"], values["birth_year"], values["phone"]
            )
        if not duplicates:
            client = Client(
                pair_id=form.pair_id.data,
                code=queries.next_client_code(),
                created_by_id=me.id,
                **values,
            )
            db.session.add(client)
            queries.note_living_situation(client, me)  # her living situation's history
            db.session.commit()
            flash(_("The record of %(name)s was created with the code %(code)s.",
                    name=client.name, code=client.code), "success")
            return redirect(url_for(".show", client_id=client.id))
    return form_page(
        "clients/new.html", form,
        pairs=pairs,
        duplicates=duplicates,
        **_names(),
    )


@bp.get("/<int:client_id>")
@allow_roles(*READERS)
def show(client_id: int):
    me = current_user_obj()
    page = HerPage(me)
    with shared_loads():  # the sections share what more than one of them loads
        client, moved = _open(
            client_id, ".show",
            joinedload(Client.pair).joinedload(Pair.professional),
            joinedload(Client.pair).joinedload(Pair.expert),
            joinedload(Client.created_by),
            load=page.load,
        )
        if moved:
            return moved
        # Each section's partial gets `client` and what its loader returned, by name.
        loaded = page.contexts(client)
        sections = [(section, _render_section(section, client, data))
                    for section, data in loaded]
    # The quick log leads on a phone, when a contact can be logged; until then her consent
    # (the reason nothing can be recorded) comes first.
    quick_first = any(section.name == "quick-log" and data.get("may_record")
                      for section, data in loaded)
    return render(
        "clients/show.html",
        client=client,
        sections=sections,
        quick_first=quick_first,
        merged_codes=page.merged_codes,
        since=days_since(client.last_seen_at),
        can_merge=me.role == Role.PROFESSIONAL,
        **_names(),
    )


def _render_section(section, client: Client, data: dict) -> Markup:
    html = render_template(section.template, client=client, section=section, data=data, **data)
    return Markup(html)  # noqa: S704 - rendered by Jinja with autoescaping on


def _edit_page(client: Client, form: EditClientForm, status: int = 200, conflict=None):
    return render("clients/edit.html", status=status, client=client, form=form,
                  conflict=conflict, **_names())


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def edit(client_id: int):
    client = client_or_404(current_user_obj(), client_id)
    if request.method == "GET":
        return _edit_page(client, EditClientForm(obj=client))
    form = EditClientForm()
    valid = form.validate_on_submit()
    if is_stale(client, form.version.data):
        return _stale(client, form)
    if not valid:
        return _edit_page(client, form, status=422)
    values = form.values()
    changed = {name: value for name, value in values.items() if getattr(client, name) != value}
    if not changed:
        flash(_("Nothing was changed."), "success")
        return redirect(url_for(".show", client_id=client.id))
    for name, value in changed.items():
        setattr(client, name, value)
    if "living_situation" in changed:
        queries.note_living_situation(client, current_user_obj())  # her living situation's history
    saved_now = flush_or_reload(lambda: client_or_404(current_user_obj(), client_id),
                                commit=True)
    if saved_now is not None:
        return _stale(saved_now, form)
    flash(_("The changes were saved."), "success")
    return redirect(url_for(".show", client_id=client.id))


def _stale(client: Client, form: EditClientForm):
    """409: someone saved her record first (outreach.core.editing)."""
    names = ClientFields.FIELDS
    conflict = stale_conflict(client, form, fields=names,
                              mine={name: form[name].data for name in names})
    return _edit_page(client, form, status=409, conflict=conflict)


@bp.route("/<int:client_id>/close", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def close(client_id: int):
    """A page of its own, so that it asks first and keeps the reason if something is wrong."""
    client = client_or_404(current_user_obj(), client_id)
    if not client.is_active:
        status = 409 if request.method == "POST" else 200
        return render("clients/close.html", status=status, client=client, form=None)
    form = CloseClientForm()
    if not form.is_submitted():
        form.closed_on.data = local_today()
    if form.validate_on_submit():
        queries.close_client(client, current_user_obj(), form.closed_on.data, form.reason.data)
        if _commit_or_conflict():
            flash(_("The record of %(name)s was closed.", name=client.name), "success")
        return redirect(url_for(".show", client_id=client_id))
    return form_page("clients/close.html", form, client=client)


@bp.post("/<int:client_id>/reopen")
@allow_roles(*PARTNERS)
def reopen(client_id: int):
    client = client_or_404(current_user_obj(), client_id)
    if client.is_active:
        flash(_("The record was already active."), "success")
    else:
        queries.reopen_client(client, current_user_obj())
        if _commit_or_conflict():
            flash(_("The record of %(name)s was reopened.", name=client.name), "success")
    return redirect(url_for(".show", client_id=client_id))


def _commit_or_conflict() -> bool:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(_("Your pair changed her record at the same moment. Nothing was changed; "
                "check the record and try again."), "error")
        return False
    return True


# --- Merging two records of the same woman --------------------------------------------------


@bp.route("/<int:client_id>/merge", methods=["GET", "POST"])
@allow_roles(Role.PROFESSIONAL)
def merge(client_id: int):
    """Choose the other record (GET ?other=), see both and confirm, then merge (POST)."""
    me = current_user_obj()
    keep = client_or_404(me, client_id)
    if request.method == "POST":
        form = MergeForm()
        if not form.validate_on_submit():
            abort(400)
        other = queries.merge_candidate_or_404(me, keep, form.other_id.data)
        code, name = other.code, other.name
        queries.merge_clients(keep, other, me)
        if _commit_or_conflict():
            flash(_("The record %(code)s (%(name)s) was merged into this one. Both histories "
                    "are here now.", code=code, name=name), "success")
        return redirect(url_for(".show", client_id=keep.id))
    other_id = id_arg("other")
    other = queries.merge_candidate_or_404(me, keep, other_id) if other_id else None
    return render(
        "clients/merge.html",
        client=keep,
        other=other,
        form=MergeForm(other_id=other.id) if other else None,
        candidates=[] if other else queries.merge_candidates(me, keep),
        **_names(),
    )


# --- Her timeline -----------------------------------------------------------------------------


@bp.get("/<int:client_id>/timeline", endpoint="timeline")
@allow_roles(*READERS)
def timeline_page(client_id: int):
    client, moved = _open(client_id, ".timeline")
    if moved:
        return moved
    selected = [kind for kind in request.args.getlist("kind") if kind in timeline.all_kinds()]
    before = request.args.get("before") or None
    page = timeline.page(
        [client.id, *queries.merged_ids(client)], selected or None, before,
        size=current_app.config["PAGE_SIZE"],
    )
    more_url = (
        url_for(".timeline", client_id=client.id, kind=selected, before=page.cursor)
        if page.cursor else None
    )
    return render(
        "clients/timeline.html",
        client=client,
        page=page,
        kinds=list(timeline.all_kinds().values()),
        selected=set(selected),
        before=before,
        more_url=more_url,
        newest_url=url_for(".timeline", client_id=client.id, kind=selected),
        actors=queries.users_by_id(entry.actor_id for entry in page.entries),
        appending=fragment_target() == "timeline_entries",
    )


# --- Handing an ended pair's clients over -----------------------------------------------------


@bp.route("/handover/<int:pair_id>", methods=["GET", "POST"])
@allow_roles(Role.ADMIN, Role.SUPERVISOR)
def handover(pair_id: int):
    """Administrators and the pair's own supervisor: they see codes and counts, never names."""
    me = current_user_obj()
    pair = pair_or_404(me, pair_id, visible=True, roles=(Role.ADMIN, Role.SUPERVISOR))
    codes = queries.handover_codes(pair) if pair.ends_on else []
    targets = queries.handover_targets(me, pair)
    form = HandoverForm(targets=targets)
    status = 200
    if form.is_submitted():
        if not codes:
            status = 409  # nothing to hand over (the pair has not ended, or no active clients)
        elif form.validate_on_submit():
            to_pair = next(target for target in targets if target.id == form.to_pair_id.data)
            moved = queries.hand_over(pair, to_pair, me, form.note.data)
            db.session.commit()
            flash(ngettext("%(num)d client was handed over to the pair %(label)s.",
                           "%(num)d clients were handed over to the pair %(label)s.",
                           moved, label=to_pair.label), "success")
            return redirect(url_for("pairs.show", pair_id=pair.id))
        else:
            status = 422
    return render("clients/handover.html", status=status, pair=pair, codes=codes, form=form,
                  targets=targets, today=local_today())
