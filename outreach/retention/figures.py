"""A year's figures as the reports count them: every one a GROUP BY over codes, dates,
categories, durations and counts, never over names or notes. Anonymising a record keeps
all of these the same, which is what makes a past year's report stable (the funder report
is built on the same idea)."""

from datetime import date

import sqlalchemy as sa

from outreach.accompaniments.models import Accompaniment
from outreach.clients.models import Client
from outreach.contacts.models import Contact
from outreach.core.time import year_bounds_utc
from outreach.encounters.models import AnonymousEncounter
from outreach.extensions import db
from outreach.mappings.models import Mapping, MappingRating
from outreach.network.models import NetworkContact
from outreach.services.models import Service
from outreach.steps.models import Step


def _rows(query) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(query)]


def yearly_figures(year: int) -> dict[str, list[tuple]]:
    """Each figure as sorted (group..., count, minutes...) rows. A fixed number of queries."""
    start, end = year_bounds_utc(year)
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)

    in_year = sa.and_(Contact.contacted_at >= start, Contact.contacted_at < end)
    contacts = (
        sa.select(Contact.channel, Contact.participants, sa.func.count(Contact.id),
                  sa.func.sum(Contact.duration_minutes))
        .where(in_year)
        .group_by(Contact.channel, Contact.participants)
        .order_by(Contact.channel, Contact.participants)
    )
    women_met = (
        sa.select(sa.func.count(sa.distinct(Contact.client_id))).where(in_year)
    )
    accompaniments = (
        sa.select(Service.kind, Accompaniment.outcome, Accompaniment.who_went,
                  Accompaniment.expert_supported_interaction, sa.func.count(Accompaniment.id),
                  sa.func.coalesce(sa.func.sum(Accompaniment.minutes_spent), 0))
        .join(Service, Service.id == Accompaniment.service_id)
        .where(Accompaniment.took_place_at >= start, Accompaniment.took_place_at < end)
        .group_by(Service.kind, Accompaniment.outcome, Accompaniment.who_went,
                  Accompaniment.expert_supported_interaction)
        .order_by(Service.kind, Accompaniment.outcome, Accompaniment.who_went,
                  Accompaniment.expert_supported_interaction)
    )
    ratings = (
        sa.select(MappingRating.domain, MappingRating.rating, sa.func.count(MappingRating.id))
        .join(Mapping, Mapping.id == MappingRating.mapping_id)
        .where(Mapping.mapped_on.between(first_day, last_day))
        .group_by(MappingRating.domain, MappingRating.rating)
        .order_by(MappingRating.domain, MappingRating.rating)
    )
    # Her first and her last mapping of the year: the change the report shows.
    numbered = (
        sa.select(
            Mapping.id.label("mapping_id"),
            sa.func.row_number().over(partition_by=Mapping.client_id,
                                      order_by=(Mapping.mapped_on, Mapping.id)).label("first"),
            sa.func.row_number().over(partition_by=Mapping.client_id,
                                      order_by=(Mapping.mapped_on.desc(), Mapping.id.desc())
                                      ).label("last"),
        )
        .where(Mapping.mapped_on.between(first_day, last_day))
        .subquery()
    )
    which = sa.case((numbered.c.first == 1, "first"), else_="last")
    first_last = (
        sa.select(which, MappingRating.domain, MappingRating.rating,
                  sa.func.count(MappingRating.id))
        .join(numbered, numbered.c.mapping_id == MappingRating.mapping_id)
        .where(sa.or_(numbered.c.first == 1, numbered.c.last == 1))
        .group_by(which, MappingRating.domain, MappingRating.rating)
        .order_by(which, MappingRating.domain, MappingRating.rating)
    )
    met = sa.select(Contact.client_id).where(in_year)
    living = (
        sa.select(Client.living_situation, sa.func.count(Client.id))
        .where(Client.id.in_(met))
        .group_by(Client.living_situation)
        .order_by(Client.living_situation)
    )
    new_clients = (
        sa.select(Client.living_situation, sa.func.count(Client.id))
        .where(Client.created_at >= start, Client.created_at < end)
        .group_by(Client.living_situation)
        .order_by(Client.living_situation)
    )
    closed = (
        sa.select(sa.func.count(Client.id))
        .where(Client.closed_on.between(first_day, last_day))
    )
    steps = (
        sa.select(Step.decision, Step.assignee, Step.state, sa.func.count(Step.id))
        .where(Step.created_at >= start, Step.created_at < end)
        .group_by(Step.decision, Step.assignee, Step.state)
        .order_by(Step.decision, Step.assignee, Step.state)
    )
    network = (
        sa.select(NetworkContact.channel, sa.func.count(NetworkContact.id))
        .where(NetworkContact.contacted_at >= start, NetworkContact.contacted_at < end)
        .group_by(NetworkContact.channel)
        .order_by(NetworkContact.channel)
    )
    encounters = (
        sa.select(AnonymousEncounter.age_group, AnonymousEncounter.met_by,
                  sa.func.count(AnonymousEncounter.id),
                  sa.func.sum(AnonymousEncounter.people_count))
        .where(AnonymousEncounter.met_on.between(first_day, last_day))
        .group_by(AnonymousEncounter.age_group, AnonymousEncounter.met_by)
        .order_by(AnonymousEncounter.age_group, AnonymousEncounter.met_by)
    )
    return {
        "contacts_by_channel_and_participants": _rows(contacts),
        "women_met": _rows(women_met),
        "women_met_by_living_situation": _rows(living),
        "new_clients_by_living_situation": _rows(new_clients),
        "clients_closed": _rows(closed),
        "accompaniments_by_service_kind_and_outcome": _rows(accompaniments),
        "mapping_ratings_by_domain": _rows(ratings),
        "first_and_last_mapping_ratings_by_domain": _rows(first_last),
        "steps_by_decision": _rows(steps),
        "network_contacts_by_channel": _rows(network),
        "encounters_by_age_group": _rows(encounters),
    }
