from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from outreach.core.clock import utcnow
from outreach.core.columns import enum_column
from outreach.extensions import db


class ServiceKind(StrEnum):
    KELA = "kela"
    SOCIAL_SERVICES = "social_services"
    HEALTH_CENTRE = "health_centre"
    SUBSTANCE_ABUSE = "substance_abuse"
    MENTAL_HEALTH = "mental_health"
    HOUSING = "housing"
    POLICE = "police"
    COURT = "court"
    BANK = "bank"
    PHARMACY = "pharmacy"
    SHELTER = "shelter"
    EMPLOYMENT = "employment"
    LEGAL_AID = "legal_aid"
    OTHER = "other"


KIND_NAMES = {
    ServiceKind.KELA: _l("Kela"),
    ServiceKind.SOCIAL_SERVICES: _l("Social services"),
    ServiceKind.HEALTH_CENTRE: _l("Health centre"),
    ServiceKind.SUBSTANCE_ABUSE: _l("Substance-abuse services"),
    ServiceKind.MENTAL_HEALTH: _l("Mental health services"),
    ServiceKind.HOUSING: _l("Housing services"),
    ServiceKind.POLICE: _l("Police"),
    ServiceKind.COURT: _l("Court"),
    ServiceKind.BANK: _l("Bank"),
    ServiceKind.PHARMACY: _l("Pharmacy"),
    ServiceKind.SHELTER: _l("Shelter"),
    ServiceKind.EMPLOYMENT: _l("Employment services"),
    ServiceKind.LEGAL_AID: _l("Legal aid"),
    ServiceKind.OTHER: _l("Other"),
}

NAME_LANGUAGES = ("fi", "sv", "en")


def kind_name(kind: ServiceKind | str) -> str:
    return str(KIND_NAMES.get(ServiceKind(kind), kind))


class Service(db.Model):
    """A place the pairs go to with the women. Never deleted: later records refer to it."""

    __tablename__ = "service"
    __table_args__ = (sa.Index("ix_service_active_kind", "active", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind, "service_kind"))
    name_fi: Mapped[str] = mapped_column(sa.String(200))
    # Optional: shown in Finnish when missing.
    name_sv: Mapped[str | None] = mapped_column(sa.String(200))
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(200))
    opening_hours: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def name_language_for(self, lang: str | None) -> str:
        """The language the name is shown in for a reader of `lang`: theirs if given, else fi."""
        if lang in NAME_LANGUAGES:
            name = getattr(self, f"name_{lang}")
            if name and name.strip():
                return lang
        return "fi"

    def name_for(self, lang: str | None) -> str:
        """The name in this language, else the Finnish one."""
        return getattr(self, f"name_{self.name_language_for(lang)}")

    @property
    def name(self) -> str:
        """The name in the current user's language."""
        return self.name_for(str(get_locale()))

    @property
    def name_language(self) -> str:
        """The language of `name`, for the lang attribute when it fell back to Finnish."""
        return self.name_language_for(str(get_locale()))

    @property
    def kind_label(self) -> str:
        return kind_name(self.kind)

    def __repr__(self) -> str:
        return f"<Service {self.id} {self.kind} {self.name_fi}>"
