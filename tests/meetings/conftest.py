"""Our pair (with its supervisor and a start-up agreement: planning every week, a debrief
every two weeks), another pair, an ended pair of the same professional, an administrator;
and a factory for meetings."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from outreach.auth.models import Role, User
from outreach.core.time import local_today
from outreach.pairs.models import MeetingRhythm, Pair
from tests import factories
from tests.factories import make_meeting  # noqa: F401 - this package's tests use them


@dataclass
class Meetings:
    admin: User
    supervisor: User
    other_supervisor: User
    pair: Pair
    other_pair: Pair
    ended_pair: Pair

    def actor(self, name: str) -> User | None:
        return {
            "admin": self.admin,
            "supervisor": self.supervisor,
            "other_supervisor": self.other_supervisor,
            "professional": self.pair.professional,
            "expert": self.pair.expert,
            "other_professional": self.other_pair.professional,
            "other_expert": self.other_pair.expert,
            "ended_expert": self.ended_pair.expert,
            "anonymous": None,
        }[name]


@pytest.fixture
def meetings(app) -> Meetings:
    today = local_today()
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sanna Supervisor")
    other_supervisor = factories.make_user(Role.SUPERVISOR, name="Olga Other")
    pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=factories.make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor, starts_on=today - timedelta(days=100),
    )
    factories.make_agreement(
        pair, meeting_date=today - timedelta(days=95),
        confidentiality_signed_on=today - timedelta(days=95),
        planning_rhythm=MeetingRhythm.WEEKLY, debrief_rhythm=MeetingRhythm.EVERY_2_WEEKS,
    )
    other_pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Pia Stranger"),
        expert=factories.make_user(Role.EXPERT, name="Elli Stranger"),
        supervisor=other_supervisor,
    )
    ended_pair = factories.make_pair(
        professional=pair.professional,
        expert=factories.make_user(Role.EXPERT, name="Enni Ended"),
        supervisor=supervisor,
        starts_on=today - timedelta(days=300), ends_on=today - timedelta(days=10),
    )
    return Meetings(factories.make_user(Role.ADMIN, name="Aino Admin"), supervisor,
                    other_supervisor, pair, other_pair, ended_pair)


@pytest.fixture
def meeting_factory(app):
    return make_meeting
