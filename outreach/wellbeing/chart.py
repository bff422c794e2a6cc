"""Her strain over time as a small server-rendered SVG (drawn by templates/wellbeing/_chart.html):
pure functions from (moment, strain) points to coordinates, no JavaScript, no inline style.
The same numbers are in the table next to it."""

from dataclasses import dataclass
from datetime import date, datetime

from outreach.core.charts import time_positions
from outreach.core.time import local_day
from outreach.wellbeing.models import STRAIN_MAX, STRAIN_MIN

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 26, 12, 12, 26


@dataclass(frozen=True)
class ChartPoint:
    on: date
    strain: int
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    points: list[ChartPoint]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - 6

    @property
    def levels(self) -> list[tuple[int, float]]:
        """(strain, y) of each grid line, 1 at the bottom, 5 at the top."""
        return [(value, y_position(value)) for value in range(STRAIN_MIN, STRAIN_MAX + 1)]

    @property
    def polyline(self) -> str:
        return " ".join(f"{_num(p.x)},{_num(p.y)}" for p in self.points)

    @property
    def first(self) -> ChartPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> ChartPoint | None:
        return self.points[-1] if self.points else None


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def y_position(strain: int) -> float:
    step = (HEIGHT - TOP - BOTTOM) / (STRAIN_MAX - STRAIN_MIN)
    return TOP + (STRAIN_MAX - strain) * step


def x_positions(days: list[date]) -> list[float]:
    """Proportional to time, so the gaps between check-ins show; one day sits in the middle."""
    return time_positions(days, LEFT, WIDTH - RIGHT)


def build_chart(points: list[tuple[datetime, int]]) -> Chart:
    """The chart of (moment, strain) points given oldest first."""
    days = [local_day(moment) for moment, _strain in points]
    xs = x_positions(days)
    return Chart([
        ChartPoint(on=day, strain=strain, x=round(x, 1), y=round(y_position(strain), 1))
        for day, (_moment, strain), x in zip(days, points, xs, strict=True)
    ])
