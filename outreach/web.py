"""Rendering one template as a whole page or, for a targeted htmx request, one of its blocks."""

from urllib.parse import urlsplit

from flask import Request as FlaskRequest
from flask import make_response, render_template, request
from jinja2_fragments import BlockNotFoundError
from jinja2_fragments.flask import render_block
from werkzeug.datastructures import ImmutableMultiDict

from outreach.extensions import htmx


def fragment_target() -> str | None:
    """The block to render: the id of the element htmx fills, unless the request is boosted."""
    if not htmx or htmx.boosted:
        return None
    target = request.headers.get("HX-Target")
    return target.replace("-", "_") if target else None


def render(template: str, status: int = 200, **context):
    """The page, or the named block that is the id in HX-Target; Vary tells caches apart."""
    html = None
    if block := fragment_target():
        try:
            html = render_block(template, block, **context)
        except BlockNotFoundError:
            html = None
    if html is None:
        html = render_template(template, **context)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response


def form_page(template: str, form, **context):
    """A page with a form: 422 when the form came back with errors (htmx swaps a 422 in, so
    she sees the messages with everything she typed), 200 otherwise."""
    return render(template, status=422 if form.errors else 200, form=form, **context)


def is_safe_next(target: str | None) -> bool:
    """Same-site paths only: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


class Parameters(ImmutableMultiDict):
    """Query-string and form values without NUL characters: nobody types one, and
    PostgreSQL refuses text that holds one (an error, not an answer). Files are untouched."""

    def __init__(self, mapping=None):
        if isinstance(mapping, list):
            mapping = [(key.replace("\x00", ""), value.replace("\x00", ""))
                       if isinstance(key, str) and isinstance(value, str) else (key, value)
                       for key, value in mapping]
        super().__init__(mapping)


class Request(FlaskRequest):
    parameter_storage_class = Parameters
