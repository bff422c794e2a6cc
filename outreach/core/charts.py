"""What the server-rendered SVG charts share: where a day stands on a time axis."""

from collections.abc import Sequence
from datetime import date


def time_positions(days: Sequence[date], x0: float, x1: float) -> list[float]:
    """x of each day between x0 and x1, proportional to time so that the gaps between the
    days show; a single day (or all on one day) sits in the middle."""
    if not days:
        return []
    first, last = min(days), max(days)
    span = (last - first).days
    if span == 0:
        return [(x0 + x1) / 2 for _day in days]
    return [x0 + (day - first).days / span * (x1 - x0) for day in days]
