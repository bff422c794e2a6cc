"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from outreach.accompaniments.models import Accompaniment
from outreach.admin.models import AccountChange
from outreach.audit.models import AccessLog
from outreach.auth.models import RecoveryCode, Role, User
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
from outreach.mail.models import MailMessage, MailPreference
from outreach.mappings.models import Mapping, MappingRating
from outreach.meetings.models import PairMeeting, PairMeetingRevision, meeting_action
from outreach.network.models import NetworkContact
from outreach.outings.models import Area, Outing
from outreach.pairs.models import Pair, PairAgreement, PairAgreementEdit
from outreach.services.models import Service
from outreach.steps.models import Challenge, Step, StepDecision
from outreach.tasks.models import Task, TaskProposal
from outreach.wellbeing.models import CheckIn, StrainShare

__all__ = [
    "AccessLog",
    "Accompaniment",
    "AccountChange",
    "AnonymousEncounter",
    "Area",
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
    "MailMessage",
    "MailPreference",
    "NetworkContact",
    "Outing",
    "Pair",
    "PairAgreement",
    "PairAgreementEdit",
    "PairMeeting",
    "PairMeetingRevision",
    "PeerGroup",
    "RecoveryCode",
    "Role",
    "Service",
    "Step",
    "StepDecision",
    "StrainShare",
    "Task",
    "TaskProposal",
    "User",
    "WorkRollup",
    "WorkRollupMonth",
    "consent_service",
    "consent_share_service",
    "meeting_action",
]
