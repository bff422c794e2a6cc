"""The fixed lists of the client domain, with their names in the user's language."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class LivingSituation(StrEnum):
    STREET = "street"
    EMERGENCY_SHELTER = "emergency_shelter"
    FRIENDS_RELATIVES = "friends_relatives"
    INSTITUTION = "institution"
    TEMPORARY_HOUSING = "temporary_housing"
    SUPPORTED_HOUSING = "supported_housing"
    OWN_LEASE = "own_lease"
    UNKNOWN = "unknown"


LIVING_SITUATION_NAMES = {
    LivingSituation.STREET: _l("Street"),
    LivingSituation.EMERGENCY_SHELTER: _l("Emergency shelter"),
    LivingSituation.FRIENDS_RELATIVES: _l("With friends or relatives"),
    LivingSituation.INSTITUTION: _l("Institution"),
    LivingSituation.TEMPORARY_HOUSING: _l("Temporary housing"),
    LivingSituation.SUPPORTED_HOUSING: _l("Supported housing"),
    LivingSituation.OWN_LEASE: _l("Own lease"),
    LivingSituation.UNKNOWN: _l("Unknown"),
}


class ClientStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


CLIENT_STATUS_NAMES = {
    ClientStatus.ACTIVE: _l("Active"),
    ClientStatus.CLOSED: _l("Closed"),
}


class AnonymisationReason(StrEnum):
    """Why her record was anonymised (outreach.retention)."""

    RETENTION = "retention"  # the retention period after closing ran out
    ERASURE = "erasure"  # she withdrew her consent and asked for her details to be erased


class LifeDomain(StrEnum):
    """The ten life domains of a situation mapping; also the topics of contacts."""

    HOUSING = "housing"
    INCOME_DEBTS = "income_debts"
    PHYSICAL_HEALTH = "physical_health"
    MENTAL_HEALTH = "mental_health"
    SUBSTANCE_USE = "substance_use"
    SAFETY_VIOLENCE = "safety_violence"
    RELATIONSHIPS_CHILDREN = "relationships_children"
    DAILY_BASICS = "daily_basics"
    DOCUMENTS_SERVICES = "documents_services"
    STRENGTHS_WISHES = "strengths_wishes"


LIFE_DOMAIN_NAMES = {
    LifeDomain.HOUSING: _l("Housing"),
    LifeDomain.INCOME_DEBTS: _l("Income and debts"),
    LifeDomain.PHYSICAL_HEALTH: _l("Physical health"),
    LifeDomain.MENTAL_HEALTH: _l("Mental health"),
    LifeDomain.SUBSTANCE_USE: _l("Substance use"),
    LifeDomain.SAFETY_VIOLENCE: _l("Safety and violence"),
    LifeDomain.RELATIONSHIPS_CHILDREN: _l("Relationships and children"),
    LifeDomain.DAILY_BASICS: _l("Daily basics (sleep, food, fatigue, hygiene)"),
    LifeDomain.DOCUMENTS_SERVICES: _l("Documents and services"),
    LifeDomain.STRENGTHS_WISHES: _l("Strengths and wishes"),
}


def choices(names: dict) -> list[tuple[str, str]]:
    """(value, label) pairs for a WTForms SelectField, in the enum's order."""
    return [(member.value, label) for member, label in names.items()]
