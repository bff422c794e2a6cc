from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.contacts.choices import PARTICIPANT_NAMES, Participants
from outreach.core.clock import utcnow
from outreach.core.columns import Versioned, enum_column
from outreach.extensions import db
from outreach.pairs.models import Pair


class AgeGroup(StrEnum):
    UNDER_25 = "under_25"
    AGE_25_34 = "25_34"
    AGE_35_49 = "35_49"
    AGE_50_64 = "50_64"
    AGE_65_PLUS = "65_plus"
    UNKNOWN = "unknown"


AGE_GROUP_NAMES = {
    AgeGroup.UNDER_25: _l("Under 25"),
    AgeGroup.AGE_25_34: _l("25–34"),
    AgeGroup.AGE_35_49: _l("35–49"),
    AgeGroup.AGE_50_64: _l("50–64"),
    AgeGroup.AGE_65_PLUS: _l("65 or over"),
    AgeGroup.UNKNOWN: _l("Not known"),
}


# Who of the pair met them: the same choice (values and names) as who took part in a contact.
MetBy = Participants
MET_BY_NAMES = PARTICIPANT_NAMES


class AnonymousEncounter(Versioned, db.Model):
    """An outreach meeting with one or more women who do not want to be registered.
    No identity by design: nothing here may name or point to a person. Counted in reports."""

    __tablename__ = "anonymous_encounter"
    __table_args__ = (
        sa.Index("ix_anonymous_encounter_pair_met_on", "pair_id", "met_on", "id"),
        # Where the work is (the dashboard, the funder report): a period's encounters per
        # area, read from the index alone.
        sa.Index("ix_anonymous_encounter_met_on_area", "met_on", "pair_id", "area"),
        sa.CheckConstraint("people_count >= 1", name="ck_anonymous_encounter_people_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    met_on: Mapped[date]
    # The area's name as chosen from the list (outreach.outings.models.Area), or a place
    # recorded before the list as "other: <place>" (then area_id is None).
    area: Mapped[str] = mapped_column(sa.String(80))  # e.g. "Kallio", "Rautatientori"
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    age_group: Mapped[AgeGroup] = mapped_column(
        enum_column(AgeGroup, "encounter_age_group"), default=AgeGroup.UNKNOWN
    )
    # LifeDomain values; a JSON list works the same on SQLite and PostgreSQL.
    topics: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    people_count: Mapped[int] = mapped_column(default=1)
    met_by: Mapped[MetBy] = mapped_column(enum_column(MetBy, "encounter_met_by"))
    note: Mapped[str | None] = mapped_column(sa.String(200))  # short, no names
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def age_group_label(self) -> str:
        return str(AGE_GROUP_NAMES.get(self.age_group, self.age_group))

    @property
    def met_by_label(self) -> str:
        return str(MET_BY_NAMES.get(self.met_by, self.met_by))

    @property
    def topic_labels(self) -> list[str]:
        known = {domain.value: domain for domain in LifeDomain}
        return [
            str(LIFE_DOMAIN_NAMES[known[topic]]) for topic in (self.topics or []) if topic in known
        ]

    def __repr__(self) -> str:
        return f"<AnonymousEncounter {self.id} pair={self.pair_id} {self.met_on}>"
