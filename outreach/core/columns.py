"""Column helpers and mixins every domain's models use: a portable enum, the version that
refuses a stale save, a moment stamped by the one clock, and the columns every client record
carries, and `in_any` for a column among several lists of ids. Only SQLAlchemy and the
clock: models of any domain can build on it."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from outreach.core.clock import utcnow


def enum_column(enum: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum: a VARCHAR with a CHECK constraint, storing the values."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Versioned:
    """Mixin: an integer version that SQLAlchemy increments on every UPDATE and checks in
    the UPDATE's WHERE clause, so even two saves racing each other cannot both win."""

    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


class ClientRecordMixin(Versioned):
    """What a record of the work with one client carries: her, the pair that did the work
    (her pair at the time; kept if she is handed over), who wrote it and when, and the
    version. A model whose pair_id needs its own index declares pair_id itself."""

    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


def in_any(column, *selects: sa.Select):
    """`column` is among the values any of `selects` picks (each may have its own order
    and limit): one IN over their UNION ALL. An OR of INs made PostgreSQL read the whole
    table instead (a client's page took 3.8 s with ten million contacts); over a union it
    looks each list up in its index."""
    return column.in_(sa.union_all(*(sa.select(s.subquery().c[0]) for s in selects)))
