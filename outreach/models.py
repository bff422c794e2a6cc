"""Every model, imported in one place so that Alembic and the app see the whole schema: the
kinds of client record's models through their declarations (outreach/records.py: each
`record.py` imports its package's models), the others here."""

from outreach.admin.models import AccountChange
from outreach.audit.models import AccessLog
from outreach.auth.models import RecoveryCode, Role, SigninFailure, User
from outreach.clients.models import Client, ClientCodeCounter, ClientMerge
from outreach.dashboard.rollup import (  # and the events that keep them in step
    WorkRollup,
    WorkRollupMonth,
    WorkRollupYear,
    WorkRollupYearTotal,
)
from outreach.drafts.models import Draft
from outreach.evaluations.models import EvaluationAnswer, EvaluationForm, EvaluationRound
from outreach.feedback.models import FeedbackItem
from outreach.groups.models import GroupSession, GroupSessionPart, PeerGroup
from outreach.mail.models import MailMessage, MailPreference
from outreach.meetings.models import PairMeeting, PairMeetingRevision, meeting_action
from outreach.offline.models import ReplayKey
from outreach.outings.models import Area, Outing
from outreach.pairs.models import Pair, PairAgreement, PairAgreementEdit
from outreach.records import RECORDS
from outreach.services.models import Service
from outreach.wellbeing.models import CheckIn, StrainShare

__all__ = [
    "StrainShare",
    "Outing",
    "MailPreference",
    "MailMessage",
    "Area",
    "RECORDS",
    "AccessLog",
    "AccountChange",
    "CheckIn",
    "Client",
    "ClientCodeCounter",
    "ClientMerge",
    "Draft",
    "EvaluationAnswer",
    "EvaluationForm",
    "EvaluationRound",
    "FeedbackItem",
    "GroupSession",
    "GroupSessionPart",
    "Pair",
    "PairAgreement",
    "PairAgreementEdit",
    "PairMeeting",
    "PairMeetingRevision",
    "PeerGroup",
    "RecoveryCode",
    "ReplayKey",
    "Role",
    "Service",
    "SigninFailure",
    "User",
    "WorkRollup",
    "WorkRollupMonth",
    "WorkRollupYear",
    "WorkRollupYearTotal",
    "meeting_action",
]
