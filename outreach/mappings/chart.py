"""The change over time as server-rendered SVG: one small line chart per life domain
(small multiples), rating 1–5 over the mapping dates, plus a table with the same numbers.

Pure functions: mappings in, markup out. No JavaScript and no inline style (the CSP
forbids both): presentation attributes give a readable default, classes in
static/css/app.css the final look. Every text that goes in is escaped by markupsafe.
"""

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.core.charts import time_positions
from outreach.core.formatting import format_day as format_local_day
from outreach.mappings.models import RATING_MAX, RATING_MIN

# The drawing area of one small chart, in SVG user units.
WIDTH, HEIGHT = 260, 132
LEFT, RIGHT, TOP, BOTTOM = 30, 14, 12, 24
POINT_RADIUS = 4
ACCENT = "#0b5c6b"  # the default look, overridden by the CSS classes
GRID = "#c9c5bb"
INK = "#4a4a5a"


@dataclass(frozen=True)
class Point:
    on: date
    rating: int | None  # None: not assessed in that mapping


NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")


def _name(name: str) -> Markup:
    """A tag or attribute name: only ever a constant of this module, checked anyway."""
    if not NAME.fullmatch(name):
        raise ValueError(f"not a tag or attribute name: {name!r}")
    return Markup(name)  # noqa: S704 - checked above: letters, digits and hyphens only


def _attrs(**attributes) -> Markup:
    """HTML attributes with escaped values; a trailing underscore is dropped (class_) and
    other underscores become hyphens (aria_labelledby)."""
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        parts.append(Markup('{}="{}"').format(_name(name.rstrip("_").replace("_", "-")), value))
    return Markup(" ").join(parts)


def _tag(name: str, content="", **attributes) -> Markup:
    """An element; `content` is escaped unless it is markup already."""
    attrs = _attrs(**attributes)
    return Markup("<{0}{1}>{2}</{0}>").format(
        _name(name), Markup(" ") + attrs if attrs else "", content
    )


def _empty_tag(name: str, **attributes) -> Markup:
    return Markup("<{} {}/>").format(_name(name), _attrs(**attributes))


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def ordered(mappings: Iterable) -> list:
    return sorted(mappings, key=lambda m: (m.mapped_on, m.id or 0))


def series(mappings: Sequence, domain: LifeDomain) -> list[Point]:
    """The domain's rating in each mapping, oldest first."""
    points = []
    for mapping in mappings:
        rating = next((r.rating for r in mapping.ratings if r.domain == domain), None)
        points.append(Point(mapping.mapped_on, rating))
    return points


def x_positions(days: Sequence[date]) -> list[float]:
    """Proportional to time, so that the gaps between mappings show; one date sits in the middle."""
    return time_positions(days, LEFT, WIDTH - RIGHT)


def y_position(rating: int) -> float:
    step = (HEIGHT - TOP - BOTTOM) / (RATING_MAX - RATING_MIN)
    return TOP + (RATING_MAX - rating) * step


def _rating_text(rating: int | None) -> str:
    return str(rating) if rating is not None else _("not assessed")


def domain_svg(domain: LifeDomain, points: Sequence[Point], element_id: str,
               format_day: Callable[[date], str]) -> Markup:
    name = str(LIFE_DOMAIN_NAMES[domain])
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    values = "; ".join(f"{format_day(p.on)}: {_rating_text(p.rating)}" for p in points)
    description = _("Rating from 1 (acute crisis) to 5 (stable), oldest first: %(values)s.",
                    values=values)
    parts = [
        _tag("title", escape(name), id=title_id),
        _tag("desc", escape(description), id=desc_id),
    ]
    # Horizontal grid lines and the scale.
    grid = []
    for rating in range(RATING_MIN, RATING_MAX + 1):
        y = _num(y_position(rating))
        grid.append(_empty_tag("line", x1=_num(LEFT), x2=_num(WIDTH - RIGHT), y1=y, y2=y,
                               stroke=GRID, stroke_width="1"))
        grid.append(_tag("text", str(rating), x=_num(LEFT - 10), y=y, fill=INK,
                         font_size="11", text_anchor="end", dominant_baseline="middle"))
    parts.append(_tag("g", Markup("").join(grid), class_="chart-grid"))
    # The first and the last date under the axis; the table has every date.
    xs = x_positions([p.on for p in points])
    if points:
        labels = [(xs[0], points[0].on, "start")]
        if points[-1].on != points[0].on:
            labels.append((xs[-1], points[-1].on, "end"))
        else:
            labels = [(xs[0], points[0].on, "middle")]
        parts.append(_tag("g", Markup("").join(
            _tag("text", escape(format_day(on)), x=_num(x), y=_num(HEIGHT - 6), fill=INK,
                 font_size="11", text_anchor=anchor)
            for x, on, anchor in labels
        ), class_="chart-axis"))
    # The line joins consecutive assessed points; a mapping without a rating leaves a gap.
    runs: list[list[tuple[float, float]]] = [[]]
    for x, point in zip(xs, points, strict=True):
        if point.rating is None:
            runs.append([])
        else:
            runs[-1].append((x, y_position(point.rating)))
    for run in runs:
        if len(run) > 1:
            parts.append(_empty_tag(
                "polyline", class_="chart-line", fill="none", stroke=ACCENT, stroke_width="2",
                points=" ".join(f"{_num(x)},{_num(y)}" for x, y in run),
            ))
    for x, point in zip(xs, points, strict=True):
        if point.rating is not None:
            label = f"{format_day(point.on)}: {point.rating}"
            parts.append(_tag(
                "circle", _tag("title", escape(label)), class_="chart-point",
                cx=_num(x), cy=_num(y_position(point.rating)), r=str(POINT_RADIUS),
                fill=ACCENT, data_rating=str(point.rating),
            ))
    return _tag(
        "svg", Markup("").join(parts), xmlns="http://www.w3.org/2000/svg",
        class_="mapping-chart", width=str(WIDTH), height=str(HEIGHT),
        viewBox=f"0 0 {WIDTH} {HEIGHT}", role="img",
        aria_labelledby=f"{title_id} {desc_id}", id=element_id,
    )


def chart_table(mappings: Sequence, format_day: Callable[[date], str], caption_id: str) -> Markup:
    """The same numbers as a table: life domains as rows, mapping dates as columns."""
    head = [_tag("th", escape(_("Life domain")), scope="col")]
    head += [_tag("th", escape(format_day(m.mapped_on)), scope="col") for m in mappings]
    rows = []
    for domain in LifeDomain:
        cells = [_tag("th", escape(LIFE_DOMAIN_NAMES[domain]), scope="row")]
        for point in series(mappings, domain):
            if point.rating is None:
                content = Markup("{}{}").format(
                    _tag("span", "–", aria_hidden="true"),
                    _tag("span", escape(_("not assessed")), class_="visually-hidden"),
                )
            else:
                content = escape(str(point.rating))
            cells.append(_tag("td", content))
        rows.append(_tag("tr", Markup("").join(cells)))
    caption = _tag("caption", escape(_(
        "Ratings by life domain, 1 = acute crisis, 5 = stable; – = not assessed"
    )), id=caption_id)
    table = _tag("table", Markup("").join([
        caption,
        _tag("thead", _tag("tr", Markup("").join(head))),
        _tag("tbody", Markup("").join(rows)),
    ]))
    # Scrolls sideways on a phone when there are many dates: focusable, so a keyboard can too.
    return _tag("div", table, class_="table-wrap", role="region", tabindex="0",
                aria_labelledby=caption_id)


def render_chart(mappings: Iterable, id_prefix: str = "mapping-chart",
                 format_day: Callable[[date], str] | None = None) -> Markup:
    """Small multiples for every life domain, and the table alternative in a disclosure.
    Empty markup when there are no mappings."""
    format_day = format_day or format_local_day
    mappings = ordered(mappings)
    if not mappings:
        return Markup("")
    # The chart depends only on these: built once per set of mapping dates and ratings
    # (a new or edited mapping changes the key), per language and date format.
    key = (id_prefix, str(get_locale()), format_day, tuple(
        (m.mapped_on, tuple(sorted(((str(r.domain), r.rating) for r in m.ratings),
                                   key=itemgetter(0))))
        for m in mappings
    ))
    with _CACHE_LOCK:
        if (cached := _CACHE.get(key)) is not None:
            _CACHE.move_to_end(key)
            return cached
    markup = _build_chart(mappings, id_prefix, format_day)
    with _CACHE_LOCK:
        _CACHE[key] = markup
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return markup


# Charts built, most recently used last: about 40 KB each, so a few MB per worker at most.
CACHE_SIZE = 128
_CACHE: OrderedDict = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _build_chart(mappings: Sequence, id_prefix: str,
                 format_day: Callable[[date], str]) -> Markup:
    prefix = str(escape(id_prefix))
    items = []
    for domain in LifeDomain:
        element_id = f"{prefix}-{domain.value.replace('_', '-')}"
        label = _tag("p", escape(LIFE_DOMAIN_NAMES[domain]), class_="chart-label",
                     aria_hidden="true")
        svg = domain_svg(domain, series(mappings, domain), element_id, format_day)
        items.append(_tag("li", label + svg))
    charts = _tag("ul", Markup("").join(items), class_="small-multiples")
    table = _tag(
        "details",
        _tag("summary", escape(_("Show as a table"))) + chart_table(
            mappings, format_day, f"{prefix}-table-caption"
        ),
        class_="chart-table",
    )
    return _tag("div", charts + table, class_="mapping-charts", id=prefix)
