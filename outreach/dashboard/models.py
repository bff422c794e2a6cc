from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from outreach.extensions import db


class RollupKind(StrEnum):
    CONTACT = "contact"
    ACCOMPANIMENT = "accompaniment"
    NETWORK = "network"
    ENCOUNTER = "encounter"


class _RollupFigures:
    """The columns every rollup shares: what was done, by whom of the pair, how much."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"))
    role: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16))
    detail: Mapped[str] = mapped_column(sa.String(32), default="", server_default="")
    outcome: Mapped[str] = mapped_column(sa.String(16), default="", server_default="")
    count: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[int] = mapped_column(default=0)
    people: Mapped[int] = mapped_column(default=0)


class WorkRollup(_RollupFigures, db.Model):
    """The pair's field work summed per local (Helsinki) day: a year is about 365 rows per
    pair and kind instead of every contact. Kept in step with the records on write by
    outreach.dashboard.rollup; `rebuild()` recomputes it from the records.

    `role`: who of the pair took part (professional, expert, both). `detail`: the contact's
    or network contact's channel, the accompanied service's kind; "" when there is none.
    `outcome`: the accompaniment's outcome; "" otherwise. Empty strings, not NULLs, so that
    the unique constraint holds on every database."""

    __tablename__ = "work_rollup"
    __table_args__ = (
        # Its first two columns also serve the dashboard's (pair_id, day) range reads.
        sa.UniqueConstraint("pair_id", "day", "role", "kind", "detail", "outcome",
                            name="uq_work_rollup_group"),
    )

    day: Mapped[date]

    def __repr__(self) -> str:
        return f"<WorkRollup pair={self.pair_id} {self.day} {self.kind} {self.role}>"


class WorkRollupMonth(_RollupFigures, db.Model):
    """The work rollup summed per calendar month (`month` is its first day), derived from
    the daily rows of `work_rollup` in the same before-commit step that keeps those in step
    (outreach.dashboard.rollup). A year reads about 12 rows per pair and category instead
    of 365: the dashboard takes a period's whole months from here and only the days of the
    months it cuts at its ends from the daily table. Same columns otherwise."""

    __tablename__ = "work_rollup_month"
    __table_args__ = (
        # Its first two columns serve the dashboard's (pair_id, month) range reads.
        sa.UniqueConstraint("pair_id", "month", "role", "kind", "detail", "outcome",
                            name="uq_work_rollup_month_group"),
    )

    month: Mapped[date]

    def __repr__(self) -> str:
        return f"<WorkRollupMonth pair={self.pair_id} {self.month} {self.kind} {self.role}>"


class WorkRollupYear(_RollupFigures, db.Model):
    """The monthly rollup summed per calendar year (`year` is its first day), derived from
    `work_rollup_month` in the same before-commit step (outreach.dashboard.rollup). A
    year's breakdown of a pair and the funder report read one row per category instead of
    twelve; the overview of every pair reads the totals (`WorkRollupYearTotal`)."""

    __tablename__ = "work_rollup_year"
    __table_args__ = (
        sa.UniqueConstraint("pair_id", "year", "role", "kind", "detail", "outcome",
                            name="uq_work_rollup_year_group"),
    )

    year: Mapped[date]

    def __repr__(self) -> str:
        return f"<WorkRollupYear pair={self.pair_id} {self.year} {self.kind} {self.role}>"


class WorkRollupYearTotal(_RollupFigures, db.Model):
    """The yearly rollup summed over channels, service kinds and outcomes (`detail` and
    `outcome` are always ""): per pair and year, who of the pair did how much of each kind.
    What the overview of every pair reads for a whole year: about 12 rows per pair
    instead of the yearly rollup's 100 to 200."""

    __tablename__ = "work_rollup_year_total"
    __table_args__ = (
        sa.UniqueConstraint("pair_id", "year", "role", "kind", "detail", "outcome",
                            name="uq_work_rollup_year_total_group"),
    )

    year: Mapped[date]

    def __repr__(self) -> str:
        return f"<WorkRollupYearTotal pair={self.pair_id} {self.year} {self.kind} {self.role}>"
