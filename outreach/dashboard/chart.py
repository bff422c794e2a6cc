"""The balance of the division of labour as server-rendered SVG: for each pair one bar of
its hours split by who worked (the professional alone, both together, the expert alone),
with a mark at the share the model expects of the expert. No JavaScript, no inline style
(the CSP forbids both); classes in static/css/app.css give the colours. Every text that
goes in (the partners' names among them) is escaped by markupsafe. The same numbers are in
the balance table next to it."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from markupsafe import Markup, escape

from outreach.core.formatting import format_number
from outreach.dashboard.queries import EXPECTED_EXPERT_SHARE, PairFigures

WIDTH = 320
LEFT, RIGHT = 4, 4
ROW = 56  # label line + bar
BAR = 22
TOP = 4
BOTTOM = 20
INK = "#1f1f2b"
COLOURS = {"professional": "#0b5c6b", "both": "#7a5c00", "expert": "#8a2f5b"}
ORDER = ("professional", "both", "expert")
NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")


@lru_cache(maxsize=64)
def _name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ValueError(f"not a tag or attribute name: {name!r}")
    return name  # checked above: letters, digits and hyphens only


def _tag(name: str, content="", **attributes) -> Markup:
    """<name attributes>content</name>: every value and any content that is not Markup
    already are escaped. Plain string building (a chart of fifty pairs has hundreds of
    elements; Markup.format would be most of the page's time)."""
    tag = _name(name)
    attrs = "".join(f' {_name(key.rstrip("_").replace("_", "-"))}="{escape(value)}"'
                    for key, value in attributes.items() if value is not None)
    return Markup(f"<{tag}{attrs}>{escape(content)}</{tag}>")  # noqa: S704 - escaped


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def role_names(pair) -> dict[str, str]:
    return {
        "professional": _("%(name)s alone", name=pair.professional.name),
        "expert": _("%(name)s alone", name=pair.expert.name),
        "both": _("Together"),
    }


def _percent(share: float | None) -> str:
    return "–" if share is None else format_number(share, "#,##0 %")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, the minutes, the shares of the hours by role, the role names."""

    label: str
    minutes: int
    shares: dict
    names: dict


def pair_bar(item: PairFigures) -> Bar:
    return Bar(item.pair.label, item.minutes, item.balance.hours, role_names(item.pair))


def total_bar(label: str, minutes: int, shares: dict) -> Bar:
    names = {"professional": _("The professional alone"), "both": _("Together"),
             "expert": _("The experience expert alone")}
    return Bar(label, minutes, shares, names)


def balance_svg(figures: Sequence[PairFigures], element_id: str = "balance-chart",
                total: Bar | None = None, described_in_table: bool = False) -> Markup:
    """One bar per pair (after the `total` bar when given): its hours by who worked,
    100 % wide, the expected expert share marked by one dashed line across. Empty markup
    without pairs. `described_in_table`: the shares per pair are in the table next to the
    chart, so the description does not repeat them (fifty pairs would be a page of it)."""
    if not figures:
        return Markup("")
    bars = ([total] if total else []) + [pair_bar(item) for item in figures]
    height = TOP + ROW * len(bars) + BOTTOM
    inner = WIDTH - LEFT - RIGHT
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    descriptions = []
    rows = []
    for index, bar in enumerate(bars):
        y = TOP + index * ROW
        label = _("%(pair)s: %(hours)s h", pair=bar.label, hours=_num(bar.minutes / 60))
        rows.append(_tag("text", label, x=_num(LEFT), y=_num(y + 14), fill=INK,
                         font_size="13", class_="chart-label-text"))
        bar_y = y + 22
        if not bar.minutes:
            rows.append(_tag("rect", "", x=_num(LEFT), y=_num(bar_y), width=_num(inner),
                             height=str(BAR), fill="none", stroke="#767676",
                             class_="bar-empty"))
            rows.append(_tag("text", _("No hours recorded"), x=_num(LEFT + 8),
                             y=_num(bar_y + 15), fill=INK, font_size="12"))
            descriptions.append(_("%(pair)s: no hours recorded", pair=bar.label))
            continue
        x = float(LEFT)
        parts = []
        for role in ORDER:
            share = bar.shares[role] or 0
            if share <= 0:
                continue
            width = share * inner
            text = f"{bar.names[role]}: {_percent(share)}"
            parts.append(text)
            rows.append(_tag("rect", _tag("title", text), x=_num(x), y=_num(bar_y),
                             width=_num(width), height=str(BAR), fill=COLOURS[role],
                             class_=f"bar-{role}"))
            x += width
        descriptions.append(f"{bar.label}: " + "; ".join(parts))
    # The model's expectation: the expert's part (alone or together) from here on.
    mark = LEFT + float(1 - EXPECTED_EXPERT_SHARE) * inner
    rows.append(_tag("line", "", x1=_num(mark), x2=_num(mark), y1=_num(TOP + 19),
                     y2=_num(TOP + ROW * len(bars) - 5), stroke=INK, stroke_width="2",
                     stroke_dasharray="3 2", class_="expectation-mark"))
    description = _("Hours by who worked, per pair. The dashed line marks where the "
                    "experience expert's expected third begins.")
    if described_in_table:
        shown = descriptions[:1] if total else []
        description += " " + "".join(f"{text}. " for text in shown) + \
            _("The table of the pairs gives each pair's shares.")
    else:
        description += " " + ". ".join(descriptions) + "."
    content = Markup("").join([
        _tag("title", _("Balance of the division of labour: hours"), id=title_id),
        _tag("desc", description, id=desc_id),
        *rows,
    ])
    return _tag("svg", content, xmlns="http://www.w3.org/2000/svg", class_="balance-chart",
                width=str(WIDTH), height=str(height), viewBox=f"0 0 {WIDTH} {height}",
                role="img", aria_labelledby=f"{title_id} {desc_id}", id=element_id)
