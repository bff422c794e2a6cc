"""Peer-support groups (vertaistukiryhmä) led by a pair, and their sessions."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User, utcnow
from outreach.extensions import db
from outreach.pairs.models import Pair


class PeerGroup(db.Model):
    """A peer-support group the pair leads together (seed 2: Voimaa ja valoa)."""

    __tablename__ = "peer_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    aim: Mapped[str | None] = mapped_column(sa.Text)
    place: Mapped[str | None] = mapped_column(sa.String(300))
    schedule: Mapped[str | None] = mapped_column(sa.String(300))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User] = relationship()
