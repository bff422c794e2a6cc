"""Small pieces every view uses: the signed-in user as a plain object, one page of a list,
and a section of a page answered alone for a targeted htmx request."""

from flask import current_app, make_response, render_template, request
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from jinja2_fragments.flask import render_block
from werkzeug.routing import IntegerConverter

from outreach.core.forms import INT_MAX
from outreach.extensions import db, htmx


def current_user_obj():
    """The signed-in user itself, not Flask-Login's proxy: what is stored on a record or
    compared by identity must be the object (the proxy is a different object each time)."""
    return current_user._get_current_object()


def page_of(query):
    """The page of this SELECT that ?page= asks for, PAGE_SIZE rows: a page past the end is
    an empty page, not a 404, so an old link still opens the list; a bad number is the
    first page."""
    return db.paginate(
        query,
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )


class CountedPagination(Pagination):
    """Flask-SQLAlchemy's pagination over one page of rows already read, with the number of
    rows in all known: rows that are figures worked out in SQL, paged there."""

    def _query_items(self) -> list:
        return self._query_args["rows"]

    def _query_count(self) -> int:
        return self._query_args["total"]


# No list has this many pages; a larger number would not fit the database's integers.
LAST_PAGE = 1_000_000


def page_number() -> int:
    """The page ?page= asks for: 1 for a bad number, a page past every list for a huge one."""
    return min(max(request.args.get("page", 1, type=int), 1), LAST_PAGE)


class IdConverter(IntegerConverter):
    """The app's `<int:...>` in URLs: a number beyond any id matches no route (404), not a
    lookup that overflows the database's integers (500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_arg(name: str) -> int | None:
    """A record's id from ?name=, to look up: None when missing, not a number, or beyond any
    id (a larger number would not fit the database's integers)."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= INT_MAX else None


def counted_page(rows: list, total: int, page: int) -> CountedPagination:
    """This page's rows (worked out by the caller) as a pagination of `total` rows."""
    return CountedPagination(rows=rows, total=total, page=page,
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)


def is_section_request(target: str) -> bool:
    """A targeted htmx request for the element with this id (not a boosted page load)."""
    return bool(htmx) and not htmx.boosted and request.headers.get("HX-Target") == target


def section(template: str, status: int = 200, *, block: str | None = None, **context):
    """A section alone: a whole small template, or one named block of a page's template.
    Vary: the same URL also answers the page, and caches must tell the two apart."""
    if block is None:
        html = render_template(template, **context)
    else:
        html = render_block(template, block, **context)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response
