"""Mapping queries. Every one starts from a client the user may open (client_or_404 /
clients_of), so the pair scope is checked in the query."""

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.extensions import db
from outreach.mappings.models import Mapping
from outreach.scope import client_ids_of, note_access


def mappings_of(client: Client) -> list[Mapping]:
    """Her mappings, oldest first, with their ratings and authors: two queries."""
    query = (
        sa.select(Mapping)
        .where(Mapping.client_id == client.id)
        .options(joinedload(Mapping.created_by), selectinload(Mapping.ratings))
        .order_by(Mapping.mapped_on, Mapping.id)
    )
    return list(db.session.scalars(query))


def latest_mapping(client: Client) -> Mapping | None:
    """The newest mapping, the starting point of the next one."""
    query = (
        sa.select(Mapping)
        .where(Mapping.client_id == client.id)
        .options(selectinload(Mapping.ratings))
        .order_by(Mapping.mapped_on.desc(), Mapping.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def previous_mapping(mapping: Mapping) -> Mapping | None:
    """The mapping made before this one, to show what changed."""
    query = (
        sa.select(Mapping)
        .where(
            Mapping.client_id == mapping.client_id,
            sa.or_(
                Mapping.mapped_on < mapping.mapped_on,
                sa.and_(Mapping.mapped_on == mapping.mapped_on, Mapping.id < mapping.id),
            ),
        )
        .options(selectinload(Mapping.ratings))
        .order_by(Mapping.mapped_on.desc(), Mapping.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def mapping_or_404(user: User, client_id: int, mapping_id: int) -> Mapping:
    """One mapping of a client the user may open; 404 outside the scope."""
    query = (
        sa.select(Mapping)
        .where(
            Mapping.id == mapping_id,
            Mapping.client_id == client_id,
            Mapping.client_id.in_(client_ids_of(user)),
        )
        .options(
            joinedload(Mapping.client),
            joinedload(Mapping.created_by),
            selectinload(Mapping.ratings),
        )
    )
    mapping = db.session.scalar(query)
    # Her access log notes this read like any other load of her record.
    note_access(user, client_id, outcome="denied" if mapping is None else "allowed")
    if mapping is None:
        abort(404)
    return mapping
