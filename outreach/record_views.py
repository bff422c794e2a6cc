"""One base for the views of a kind of record: list (search, filters, paging), export,
new, edit with the stale check, delete. It sits above the core (it exports and renders
through outreach.exports and outreach.web) and below the domains that use it. A domain
declares what differs, explicitly, and registers the routes it uses on its own blueprint,
saying who may use each:

    class EncounterViews(RecordViews):
        model = AnonymousEncounter
        id_arg = "encounter_id"
        record_var = "encounter"
        form, edit_form = EncounterForm, EncounterEditForm
        list_template = form_template = ...
        messages = Messages(created=_l("..."), saved=_l("..."), deleted=_l("..."))

        def record_or_404(self, parent, ident): ...
        def listing(self, parent, filters): ...

    partners = allow_roles(Role.PROFESSIONAL, Role.EXPERT)
    EncounterViews().register(bp, dict.fromkeys(
        ("index", "index_export", "new", "edit", "delete"), partners))

Endpoints and URLs are fixed by the base (index "/", index_export "/export", new "/new",
edit "/<id>/edit", delete "/<id>/delete"); `urls` gives a rule where a domain's URL was
different and `renamed` an endpoint named otherwise (steps' "edit_step" is the base's edit).
The parent (the client, for a client record) is loaded first, within the user's scope, by
`parent()`: a subclass above the core supplies it (outreach.clients.record_views).

A write made on a phone without a connection and sent later is made replayable (one record
however often it arrives) by wrapping its route in the access map, e.g. `"new": lambda view:
partners(replayable(view))` with outreach.offline.replay.replayable (see encounters).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import Select
from wtforms import SearchField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from outreach.core.editing import Conflict, flush_or_reload, is_stale, stale_conflict
from outreach.core.forms import search_text
from outreach.core.views import current_user_obj, page_of
from outreach.exports import columns, export_response, stream_rows
from outreach.extensions import db
from outreach.web import render


class ListFilters(FlaskForm):
    """A list's search and filters, read from the query string (`filter_form`): a GET form,
    so no CSRF token. Declare the search with `search_field`."""

    class Meta:
        csrf = False

    def choose(self, field, choices: list[SelectChoice], any_label) -> None:
        """A filter's choices with "any" first; a value that is none of them reads as any."""
        field.choices = [SelectChoice("", any_label), *choices]
        if field.data not in {str(choice.value) for choice in choices}:
            field.data = ""


def search_field(label) -> SearchField:
    return SearchField(label, filters=[search_text], validators=[Optional()])


@dataclass(frozen=True)
class Messages:
    """The flash messages, lazy so that they are read in the user's language."""

    created: str | None = None
    saved: str | None = None
    deleted: str | None = None


@dataclass(frozen=True)
class Route:
    rule: str
    methods: tuple[str, ...]


class RecordViews:
    """The shared views of one kind of record; override the hooks for what differs."""

    # --- Declarations (every domain sets these) ---------------------------------------------
    model: type
    id_arg: str = "record_id"  # the URL's name for the record's id
    record_var: str = "record"  # the record's name in the form template
    form: type | None = None  # the new form
    edit_form: type | None = None  # the edit form (carries the version)
    filter_form: type | None = None  # the list's search and filters (from the query string)
    list_template: str | None = None
    form_template: str | None = None
    messages: Messages
    # The kind's name for its drafts (outreach.drafts): None keeps no drafts, and the form
    # is then built on the record for both GET and POST.
    draft_kind: str | None = None
    # URL rules that differ from the base's (endpoint → rule).
    urls: dict[str, str] = {}
    # Endpoints named otherwise than the base's view (endpoint → view, e.g. "edit_step" →
    # "edit"), so that existing URLs, templates and the permission matrix keep their names.
    renamed: dict[str, str] = {}

    ROUTES = {
        "index": Route("/", ("GET",)),
        "index_export": Route("/export", ("GET",)),
        "new": Route("/new", ("GET", "POST")),
        "edit": Route("/<int:{id}>/edit", ("GET", "POST")),
        "delete": Route("/<int:{id}>/delete", ("POST",)),
    }

    # --- Registering ------------------------------------------------------------------------

    def register(self, bp, access: dict[str, Callable]) -> None:
        """The routes named in `access`, each wrapped in its access declaration (one of
        outreach.auth.access's decorators): a route is never registered undeclared."""
        self.blueprint = bp.name
        for endpoint, declare in access.items():
            view = self.renamed.get(endpoint, endpoint)
            route = self.ROUTES[view]
            rule = self.urls.get(endpoint, route.rule).format(id=self.id_arg)
            bp.add_url_rule(rule, endpoint, declare(self._view(view)),
                            methods=list(route.methods))

    def _view(self, endpoint: str):
        method = getattr(self, endpoint)

        def view(**args):
            return method(**args)

        view.__name__ = endpoint
        view.__doc__ = method.__doc__
        return view

    # --- Hooks: scope and parent ------------------------------------------------------------

    def parent(self, user, args: dict):
        """What the records hang on (her, for a client record), loaded within the user's
        scope (404 outside it)."""
        return None

    def parent_args(self, parent) -> dict:
        """The URL arguments that name the parent."""
        return {}

    def parent_context(self, parent) -> dict:
        return {}

    def record_or_404(self, parent, ident: int):
        raise NotImplementedError

    def refuse(self, user, parent, record=None):
        """Before a new or edit form: a response that refuses the write (e.g. a closed
        challenge), or None; may also abort (403 without her consent)."""
        return None

    # --- Hooks: the list and the export ----------------------------------------------------

    def filters(self):
        return self.filter_form(formdata=request.args) if self.filter_form else None

    def listing(self, parent, filters) -> Select:
        raise NotImplementedError

    def index_context(self, user, parent, filters) -> dict:
        return {}

    # The export: (label, value of a record) pairs, the file's name with `{parent}` for the
    # parent (e.g. "contacts-{parent.code}") and the sheet's name in an XLSX.
    export_columns: list[tuple] = []
    export_file: str = "export"
    sheet_name: str | None = None

    def log_export(self, parent) -> None:
        """One access-log row for an export of her data (client records do this)."""

    # --- Hooks: the form --------------------------------------------------------------------

    def form_args(self, parent, record=None) -> dict:
        """Extra arguments for the form class (choices loaded once per request)."""
        return {}

    def fill_new(self, form, user, parent) -> None:
        """Defaults for a new form that no draft filled."""

    def fill_edit(self, form, user, record, draft) -> None:
        """Form fields that are not the record's attributes (when no draft filled them)."""

    def page_context(self, user, parent, form, record) -> dict:
        return {}

    def accept(self, parent, form, record=None) -> bool:
        """Checks after validation that need her data; False answers the form again with
        422 (the check has put its messages on the fields)."""
        return True

    def create(self, user, parent, form):
        """The new record, not yet added; the default gives it the form's values."""
        record = self.model(**self.owner_values(user, parent))
        self.apply(form, record, user, parent)
        return record

    def owner_values(self, user, parent) -> dict:
        return {"created_by_id": user.id}

    def apply(self, form, record, user, parent) -> None:
        """The form's values onto the record (and what goes with them: a follow-up task)."""
        for name, value in form.values().items():
            setattr(record, name, value)

    def after_write(self, parent, record, *, created: bool) -> None:
        """After the record is written, in the same transaction (e.g. her last contact)."""

    def after_delete(self, parent, record) -> None:
        """After the record is deleted, in the same transaction."""

    def may_delete(self, record, user) -> bool:
        return True

    def conflict(self, record, form) -> Conflict:
        """The stale check's answer; override to compare values the form names otherwise."""
        return stale_conflict(record, form)

    # --- Hooks: where the user lands ------------------------------------------------------

    def index_url(self, parent, anchor: str | None = None) -> str:
        return url_for(f"{self.blueprint}.index", **self.parent_args(parent), _anchor=anchor)

    def created_url(self, parent, record) -> str:
        return self.index_url(parent)

    def saved_url(self, parent, record) -> str:
        return self.index_url(parent)

    def created_message(self, record) -> tuple[str, str]:
        return str(self.messages.created), "success"

    # --- Drafts (a subclass above the core wires them to outreach.drafts) -----------------

    def draft_key(self, action: str, ident: int) -> str | None:
        return None

    def open_draft(self, form_class, user, key, **args):
        """(form, draft) for a GET: the form filled from the user's draft, if any."""
        return form_class(**args), None

    def discard_draft(self, user, key) -> None:
        """The saved form's draft is no longer needed."""

    # --- The views ------------------------------------------------------------------------

    def _args(self, args: dict) -> dict:
        return {name: value for name, value in args.items() if name != self.id_arg}

    def index(self, **args):
        user = current_user_obj()
        parent = self.parent(user, self._args(args))
        filters = self.filters()
        pagination = page_of(self.listing(parent, filters))
        return render(self.list_template, filters=filters, pagination=pagination,
                      **self.parent_context(parent), **self.index_context(user, parent, filters))

    def index_export(self, **args):
        """The list as a file (CSV or XLSX), with the page's search and filters."""
        user = current_user_obj()
        parent = self.parent(user, self._args(args))
        filters = self.filters()
        self.log_export(parent)
        return export_response(
            stream_rows(self.listing(parent, filters)),
            columns(*self.export_columns),
            self.export_file.format(parent=parent),
            sheet_name=str(self.sheet_name) if self.sheet_name else None,
        )

    def form_page(self, user, parent, form, *, record=None, key=None, draft=None,
                  status: int = 200, conflict: Conflict | None = None):
        return render(self.form_template, status=status, form=form, draft_key=key, draft=draft,
                      conflict=conflict, **{self.record_var: record},
                      **self.parent_context(parent),
                      **self.page_context(user, parent, form, record))

    def _form(self, form_class, user, parent, record, key):
        """(form, draft): on GET from the draft or the record; on POST from the request."""
        args = self.form_args(parent, record)
        if record is not None and (self.draft_kind is None or request.method == "GET"):
            # Without drafts the form is built on the record for GET and POST alike.
            args["obj"] = record
        if self.draft_kind is None:
            return form_class(**args), None
        if request.method == "GET":
            return self.open_draft(form_class, user, key, **args)
        return form_class(**args), None

    def new(self, **args):
        user = current_user_obj()
        parent = self.parent(user, args)
        if (refused := self.refuse(user, parent)) is not None:
            return refused
        key = self.draft_key("new", parent.id if parent is not None else user.id)
        form, draft = self._form(self.form, user, parent, None, key)
        if request.method == "GET":
            if draft is None:
                self.fill_new(form, user, parent)
            return self.form_page(user, parent, form, key=key, draft=draft)
        if not form.validate() or not self.accept(parent, form):
            return self.form_page(user, parent, form, key=key, status=422)
        record = self.create(user, parent, form)
        db.session.add(record)
        self.after_write(parent, record, created=True)
        self.discard_draft(user, key)
        db.session.commit()
        flash(*self.created_message(record))
        return redirect(self.created_url(parent, record))

    def edit(self, **args):
        user = current_user_obj()
        ident = args[self.id_arg]
        parent = self.parent(user, self._args(args))
        record = self.record_or_404(parent, ident)
        if (refused := self.refuse(user, parent, record)) is not None:
            return refused
        key = self.draft_key("edit", record.id)
        form, draft = self._form(self.edit_form, user, parent, record, key)
        if request.method == "GET":
            self.fill_edit(form, user, record, draft)
            return self.form_page(user, parent, form, record=record, key=key, draft=draft)
        valid = form.validate()
        if is_stale(record, form.version.data):
            return self.stale(user, parent, record, form, key)
        if not valid or not self.accept(parent, form, record):
            return self.form_page(user, parent, form, record=record, key=key, status=422)
        self.apply(form, record, user, parent)
        saved_now = flush_or_reload(lambda: self.record_or_404(parent, ident))
        if saved_now is not None:
            # The partner saved between our version check and our write.
            return self.stale(user, parent, saved_now, form, key)
        self.after_write(parent, record, created=False)
        self.discard_draft(user, key)
        db.session.commit()
        flash(str(self.messages.saved), "success")
        return redirect(self.saved_url(parent, record))

    def stale(self, user, parent, record, form, key):
        """409: the partner saved first; both versions side by side, the input kept."""
        return self.form_page(user, parent, form, record=record, key=key, status=409,
                              conflict=self.conflict(record, form))

    def delete(self, **args):
        """Delete (the page asked first: forms.confirm)."""
        user = current_user_obj()
        ident = args[self.id_arg]
        parent = self.parent(user, self._args(args))
        record = self.record_or_404(parent, ident)
        if not self.may_delete(record, user):
            abort(403)
        db.session.delete(record)
        self.after_delete(parent, record)
        self.discard_draft(user, self.draft_key("edit", ident))
        db.session.commit()
        flash(str(self.messages.deleted), "success")
        return redirect(self.index_url(parent))
