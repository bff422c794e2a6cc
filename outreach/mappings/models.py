from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.choices import LifeDomain
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.columns import enum_column
from outreach.extensions import db

RATING_MIN = 1  # acute crisis
RATING_MAX = 5  # stable


class Mapping(db.Model):
    """One dated snapshot. A new mapping is a new row: old ones are never overwritten, so
    the change over time can be shown."""

    __tablename__ = "mapping"
    __table_args__ = (sa.Index("ix_mapping_client_mapped_on", "client_id", "mapped_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    mapped_on: Mapped[date]
    # Her own words on what matters most to her right now.
    what_matters_most: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    client: Mapped[Client] = relationship()
    created_by: Mapped[User] = relationship()
    ratings: Mapped[list["MappingRating"]] = relationship(
        back_populates="mapping",
        cascade="all, delete-orphan",
        order_by="MappingRating.id",
    )

    def rating_for(self, domain: LifeDomain) -> "MappingRating | None":
        for rating in self.ratings:
            if rating.domain == domain:
                return rating
        return None

    @property
    def rated_count(self) -> int:
        return sum(1 for rating in self.ratings if rating.rating is not None)


class MappingRating(db.Model):
    """One life domain of a mapping: ten rows per mapping, one per domain. The rating is
    empty when the domain was not assessed this time."""

    __tablename__ = "mapping_rating"
    __table_args__ = (
        sa.UniqueConstraint("mapping_id", "domain"),
        sa.CheckConstraint(
            f"rating IS NULL OR (rating >= {RATING_MIN} AND rating <= {RATING_MAX})",
            name="rating_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mapping_id: Mapped[int] = mapped_column(sa.ForeignKey("mapping.id"), index=True)
    domain: Mapped[LifeDomain] = mapped_column(enum_column(LifeDomain, "life_domain"))
    rating: Mapped[int | None] = mapped_column(sa.SmallInteger)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    mapping: Mapped[Mapping] = relationship(back_populates="ratings")
