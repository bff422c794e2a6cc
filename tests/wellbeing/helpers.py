"""The world of the well-being and feedback tests: our pair under a supervisor, another
pair (another supervisor), an administrator; factories for check-ins and feedback."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from outreach.auth.models import Role, User
from outreach.core.clock import utcnow
from outreach.extensions import db
from outreach.feedback.models import FeedbackItem, FeedbackKind
from outreach.pairs.models import Pair
from outreach.wellbeing.models import CheckIn
from tests import factories
from tests.mappings.helpers import htmx_headers, sign_in  # noqa: F401 - re-exported

NOTE = "Uniikki huoli: en saa unta yhden naisen tilanteen takia"
ACK_NOTE = "Juteltiin puhelimessa pitkään"


@dataclass
class World:
    admin: User
    supervisor: User
    other_supervisor: User
    pair: Pair
    other_pair: Pair

    @property
    def professional(self) -> User:
        return self.pair.professional

    @property
    def expert(self) -> User:
        return self.pair.expert

    def actor(self, name: str) -> User | None:
        return {
            "admin": self.admin,
            "supervisor": self.supervisor,
            "other_supervisor": self.other_supervisor,
            "professional": self.pair.professional,
            "expert": self.pair.expert,
            "other_professional": self.other_pair.professional,
            "other_expert": self.other_pair.expert,
            "anonymous": None,
        }[name]


def make_world() -> World:
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sanna Supervisor")
    other_supervisor = factories.make_user(Role.SUPERVISOR, name="Oona Otherboss")
    pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=factories.make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor,
    )
    other_pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Pia Stranger"),
        expert=factories.make_user(Role.EXPERT, name="Elli Stranger"),
        supervisor=other_supervisor,
    )
    admin = factories.make_user(Role.ADMIN, name="Aino Admin")
    return World(admin, supervisor, other_supervisor, pair, other_pair)


def days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def local_noon(days: int) -> datetime:
    """Noon where the users are, `days` calendar days before today: exactly `days` days."""
    from zoneinfo import ZoneInfo

    from outreach.core.time import local_today

    day = local_today() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Helsinki"))


def make_checkin(pair: Pair, *, strain: int = 3, wants_to_talk: bool = False,
                 note: str | None = None, created_at: datetime | None = None,
                 acknowledged: bool = False) -> CheckIn:
    checkin = CheckIn(pair_id=pair.id, expert_id=pair.expert_id, strain=strain,
                      wants_to_talk=wants_to_talk, note=note,
                      created_at=created_at or days_ago(1))
    if acknowledged:
        checkin.acknowledged_at = checkin.created_at + timedelta(hours=2)
        checkin.acknowledged_by_id = pair.professional_id
        checkin.talked_on = checkin.created_at.date()
        checkin.ack_note = ACK_NOTE
    db.session.add(checkin)
    db.session.commit()
    return checkin


def make_feedback(pair: Pair, author: User, *, kind: FeedbackKind = FeedbackKind.GIVE,
                  situation: str = "Käynti Kelassa", body: str = "Hienosti hoidettu.",
                  created_at: datetime | None = None, **fields) -> FeedbackItem:
    item = FeedbackItem(pair_id=pair.id, author_id=author.id, kind=kind, situation=situation,
                        body=body, created_at=created_at or days_ago(1), **fields)
    db.session.add(item)
    db.session.commit()
    return item


def fresh(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)
