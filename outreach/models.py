"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from outreach.accompaniments.models import Accompaniment
from outreach.admin.models import AccountChange
from outreach.auth.models import Role, User
from outreach.clients.models import (
    Client,
    ClientCodeCounter,
    ClientMerge,
    ClientStatusChange,
    ClientTransfer,
)
from outreach.consents.models import Consent, consent_service, consent_share_service
from outreach.contacts.models import Contact
from outreach.drafts.models import Draft
from outreach.encounters.models import AnonymousEncounter
from outreach.groups.models import PeerGroup
from outreach.mappings.models import Mapping, MappingRating
from outreach.network.models import NetworkContact
from outreach.pairs.models import Pair, PairAgreement, PairAgreementEdit
from outreach.services.models import Service
from outreach.steps.models import Challenge, Step, StepDecision
from outreach.tasks.models import Task, TaskProposal

__all__ = [
    "Accompaniment",
    "AccountChange",
    "AnonymousEncounter",
    "Challenge",
    "Client",
    "ClientCodeCounter",
    "ClientMerge",
    "ClientStatusChange",
    "ClientTransfer",
    "Consent",
    "Contact",
    "Draft",
    "Mapping",
    "MappingRating",
    "NetworkContact",
    "Pair",
    "PairAgreement",
    "PairAgreementEdit",
    "PeerGroup",
    "Role",
    "Service",
    "Step",
    "StepDecision",
    "Task",
    "TaskProposal",
    "User",
    "consent_service",
    "consent_share_service",
]
