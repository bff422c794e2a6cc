"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from outreach.accompaniments.models import Accompaniment
from outreach.admin.models import AccountChange
from outreach.audit.models import AccessLog
from outreach.auth.models import RecoveryCode, Role, SigninFailure, User
from outreach.clients.models import (
    Client,
    ClientCodeCounter,
    ClientMerge,
    ClientStatusChange,
    ClientTransfer,
    LivingSituationChange,
)
from outreach.consents.models import Consent, consent_service, consent_share_service
from outreach.consultations.models import Consultation
from outreach.contacts.models import Contact
from outreach.dashboard.rollup import (  # and the events that keep them in step
    WorkRollup,
    WorkRollupMonth,
)
from outreach.drafts.models import Draft
from outreach.encounters.models import AnonymousEncounter
from outreach.evaluations.models import EvaluationAnswer, EvaluationForm, EvaluationRound
from outreach.feedback.models import FeedbackItem
from outreach.groups.models import GroupSession, GroupSessionPart, PeerGroup
from outreach.mappings.models import Mapping, MappingRating
from outreach.meetings.models import PairMeeting, PairMeetingRevision, meeting_action
from outreach.network.models import NetworkContact
from outreach.pairs.models import Pair, PairAgreement, PairAgreementEdit
from outreach.services.models import Service
from outreach.steps.models import Challenge, Step, StepDecision
from outreach.tasks.models import Task, TaskProposal
from outreach.wellbeing.models import CheckIn

__all__ = [
    "AccessLog",
    "Accompaniment",
    "AccountChange",
    "AnonymousEncounter",
    "Challenge",
    "CheckIn",
    "Client",
    "ClientCodeCounter",
    "ClientMerge",
    "ClientStatusChange",
    "ClientTransfer",
    "LivingSituationChange",
    "Consent",
    "Consultation",
    "Contact",
    "Draft",
    "EvaluationAnswer",
    "EvaluationForm",
    "EvaluationRound",
    "FeedbackItem",
    "GroupSession",
    "GroupSessionPart",
    "Mapping",
    "MappingRating",
    "NetworkContact",
    "Pair",
    "PairAgreement",
    "PairAgreementEdit",
    "PairMeeting",
    "PairMeetingRevision",
    "PeerGroup",
    "RecoveryCode",
    "Role",
    "Service",
    "SigninFailure",
    "Step",
    "StepDecision",
    "Task",
    "TaskProposal",
    "User",
    "WorkRollup",
    "WorkRollupMonth",
    "consent_service",
    "consent_share_service",
    "meeting_action",
]
