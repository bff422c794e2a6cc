"""The service catalogue is the same for every signed-in user: no pair scope applies."""

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy import Select

from outreach.extensions import db
from outreach.services.models import NAME_LANGUAGES, Service, ServiceKind

# Filter values of the list's "status" parameter.
STATUS_ACTIVE = "active"
STATUS_INACTIVE = "inactive"
STATUS_ALL = "all"
STATUSES = (STATUS_ACTIVE, STATUS_INACTIVE, STATUS_ALL)


def _kind_order():
    """The kinds in the order the enum lists them (Kela first), not alphabetically."""
    return sa.case(
        {kind.value: position for position, kind in enumerate(ServiceKind)},
        value=Service.kind,
        else_=len(ServiceKind),
    )


def display_name_column(lang: str | None = None):
    """The name shown in this language in SQL, falling back to Finnish like name_for()."""
    lang = lang or str(get_locale())
    if lang not in NAME_LANGUAGES or lang == "fi":
        return Service.name_fi
    column = getattr(Service, f"name_{lang}")
    return sa.func.coalesce(sa.func.nullif(sa.func.trim(column), ""), Service.name_fi)


def search_services(
    q: str | None = None, kind: ServiceKind | str | None = None, status: str = STATUS_ACTIVE
) -> Select:
    """Services matching the list's search and filters, by name in the user's language."""
    query = sa.select(Service)
    if q and (q := q.strip()):
        query = query.where(
            sa.or_(
                Service.name_fi.icontains(q, autoescape=True),
                Service.name_sv.icontains(q, autoescape=True),
                Service.name_en.icontains(q, autoescape=True),
                Service.address.icontains(q, autoescape=True),
            )
        )
    if kind:
        query = query.where(Service.kind == ServiceKind(kind))
    if status == STATUS_ACTIVE:
        query = query.where(Service.active.is_(True))
    elif status == STATUS_INACTIVE:
        query = query.where(Service.active.is_(False))
    name = display_name_column()
    return query.order_by(sa.func.lower(name), Service.id)


def active_services() -> list[Service]:
    """Active services by kind, then Finnish name: for select lists in later records."""
    query = (
        sa.select(Service)
        .where(Service.active.is_(True))
        .order_by(_kind_order(), sa.func.lower(Service.name_fi), Service.id)
    )
    return list(db.session.scalars(query))


def service_or_404(service_id: int) -> Service:
    return db.get_or_404(Service, service_id)
