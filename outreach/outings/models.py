"""Areas (the administrator's list of districts) and outings.

An outing stores the moments at which it becomes due for each alert, not the graces: the
pair may change its graces later, and `partner_due_at <= now` is one indexed comparison on
every database (no date arithmetic in SQL). Extending re-arms the alerts: the due moments
are computed again and `round` goes up, so the alert messages of the new time have new
keys (outreach.mail) and are sent again only after it."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.extensions import db
from outreach.pairs.models import Pair

DEFAULT_GRACE_MINUTES = 30
OTHER_PREFIX = "other: "  # encounters' free-text places kept by the migration


class Area(db.Model):
    """An area of the city (e.g. a Helsinki district): where a pair goes and meets people,
    never an address."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Area {self.id} {self.name}>"


class Outing(db.Model):
    __tablename__ = "outing"
    __table_args__ = (
        # Live outings of a pair (home panels), and the due ones (outreach notify).
        sa.Index("ix_outing_pair_returned", "pair_id", "returned_at"),
        sa.Index("ix_outing_returned_partner_due", "returned_at", "partner_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"))
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    # A colleague from the organisation's accounts; None: alone.
    companion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"),
                                                     index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expected_back_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    returned_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # When the partner is alerted: the expected return plus the pair's first grace.
    partner_due_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    partner_alerted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # When the supervisor is alerted: the partner's alert plus the second grace.
    supervisor_due_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True),
                                                               index=True)
    supervisor_alerted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    round: Mapped[int] = mapped_column(default=1)  # +1 on each extension: new alert keys

    pair: Mapped[Pair] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    companion: Mapped[User | None] = relationship(foreign_keys=[companion_id])
    area: Mapped[Area] = relationship()

    @property
    def is_live(self) -> bool:
        return self.returned_at is None

    def is_overdue(self, now: datetime) -> bool:
        """Past the first grace: the partner's banner shows, whether `outreach notify` has
        run yet or not (and when it has, on its clock)."""
        return self.returned_at is None and (self.partner_alerted_at is not None
                                             or aware(self.partner_due_at) <= now)

    def set_return(self, expected: datetime, partner_grace: int) -> None:
        """A new expected return: the alerts start over from it. Kept in UTC: SQLite
        stores the wall time without its offset."""
        expected = aware(expected).astimezone(UTC)
        self.expected_back_at = expected
        self.partner_due_at = expected + timedelta(minutes=partner_grace)
        self.partner_alerted_at = None
        self.supervisor_due_at = None
        self.supervisor_alerted_at = None


def aware(moment: datetime) -> datetime:
    """SQLite gives back naive UTC moments."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
