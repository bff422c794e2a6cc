"""The distribution of one statement's answers (1–5) as a small server-rendered SVG bar
chart; the summary page has the same numbers in a table. No JavaScript, no inline style
(the CSP forbids both); every text is escaped (outreach.mappings.chart's helpers)."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from outreach.evaluations.items import SCALE
from outreach.mappings.chart import ACCENT, INK, _empty_tag, _num, _tag

WIDTH = 260
BAR_HEIGHT = 18
GAP = 6
LEFT, RIGHT, TOP = 22, 34, 4
HEIGHT = TOP + len(SCALE) * (BAR_HEIGHT + GAP)


def distribution_svg(label: str, counts: dict[int, int], element_id: str) -> Markup:
    """One bar per scale value, its length the share of the answers, the count beside it."""
    n = sum(counts.values())
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    values = "; ".join(f"{value}: {counts.get(value, 0)}" for value in SCALE)
    description = _("Answers by value, 1 = strongly disagree, 5 = strongly agree: %(values)s.",
                    values=values)
    parts = [_tag("title", escape(label), id=title_id),
             _tag("desc", escape(description), id=desc_id)]
    widest = WIDTH - LEFT - RIGHT
    biggest = max(counts.values(), default=0) or 1
    for index, value in enumerate(SCALE):
        count = counts.get(value, 0)
        y = TOP + index * (BAR_HEIGHT + GAP)
        length = widest * count / biggest if n else 0
        middle = _num(y + BAR_HEIGHT / 2)
        parts.append(_tag("text", str(value), x=_num(LEFT - 8), y=middle, fill=INK,
                          font_size="12", text_anchor="end", dominant_baseline="middle"))
        parts.append(_empty_tag("rect", class_="chart-bar", x=_num(LEFT), y=_num(y),
                                width=_num(max(length, 1 if count else 0)),
                                height=str(BAR_HEIGHT), fill=ACCENT, data_value=str(value),
                                data_count=str(count)))
        parts.append(_tag("text", str(count), x=_num(LEFT + length + 4), y=middle, fill=INK,
                          font_size="12", dominant_baseline="middle"))
    return _tag(
        "svg", Markup("").join(parts), xmlns="http://www.w3.org/2000/svg",
        class_="evaluation-chart", width=str(WIDTH), height=str(HEIGHT),
        viewBox=f"0 0 {WIDTH} {HEIGHT}", role="img",
        aria_labelledby=f"{title_id} {desc_id}", id=element_id,
    )
