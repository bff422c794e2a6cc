"""Client queries, each scoped by the pairs whose clients the user may open."""

from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy import Select

from outreach.auth.models import User
from outreach.clients.models import Client, ClientCodeCounter
from outreach.extensions import db
from outreach.pairs.queries import client_pair_ids


def clients_of(user: User) -> Select:
    """Every client the user may open: of their pairs, not merged away."""
    return sa.select(Client).where(
        Client.pair_id.in_(client_pair_ids(user)), Client.merged_into_id.is_(None)
    )


def client_or_404(user: User, client_id: int) -> Client:
    """Her record if the user may open it; 404 otherwise, so nothing tells it exists."""
    client = db.session.scalar(clients_of(user).where(Client.id == client_id))
    if client is None:
        abort(404)
    return client


def next_client_code(day: date | None = None) -> str:
    """A-<year>-<running number>, counted per year in one UPDATE so that two
    professionals saving at once never get the same code."""
    year = (day or date.today()).year
    bump = (
        sa.update(ClientCodeCounter)
        .where(ClientCodeCounter.year == year)
        .values(last_number=ClientCodeCounter.last_number + 1)
        .returning(ClientCodeCounter.last_number)
    )
    number = db.session.execute(bump).scalar()
    if number is None:
        db.session.add(ClientCodeCounter(year=year, last_number=1))
        db.session.flush()
        number = 1
    return f"A-{year}-{number:04d}"
