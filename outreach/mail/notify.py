"""`outreach notify`: send what is due now, safely every minute and twice at once.

1. Messages claimed earlier and not sent (a failed send, a sender that died: its lease
   has run out) are claimed again with a conditional UPDATE and sent.
2. What is due now is worked out (outing alerts, daily and weekly digests); each message
   is claimed by INSERTing its unique key, in the same transaction as what the claim
   changes (the outing's alert moment), then sent. A run that finds the key taken leaves
   the message to the run that took it.
The send happens after the claim's commit: a crash in between leaves a claimed message
that the next run sends when the lease has run out, so an alert is never lost."""

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from outreach.auth.models import Role, User
from outreach.core.clock import utcnow
from outreach.core.formatting import format_clock, format_day
from outreach.extensions import db
from outreach.mail import digest, transport
from outreach.mail.models import MailMessage, MailPreference
from outreach.outings import queries as outings
from outreach.outings.models import Outing
from outreach.pairs.models import Pair

log = logging.getLogger("outreach.mail")
LEASE = timedelta(minutes=5)  # a sender's hold on a message it is sending


@dataclass
class Due:
    key: str
    kind: str
    recipient: User
    render: Callable[[], tuple[str, str]]  # (subject, body), in the recipient's language
    on_claim: Callable[[], None] | None = None  # changes committed with the claim


def run(now: datetime | None = None) -> Counter:
    """Send what is due at `now`: {"sent": n, "failed": n, "taken": n}."""
    now = now or utcnow()
    result: Counter = Counter()
    base = current_app.config["BASE_URL"]
    with current_app.test_request_context("/", base_url=base):  # url_for(_external=True)
        for message_id in _unsent(now):
            if _reclaim(message_id, now):
                _deliver(db.session.get(MailMessage, message_id), result)
        for due in due_messages(now):
            message = _claim(due, now)
            if message is None:
                result["taken"] += 1
                continue
            _deliver(message, result)
    return result


# --- Claiming and sending ----------------------------------------------------------------------


def _unsent(now: datetime) -> list[int]:
    return list(db.session.scalars(
        sa.select(MailMessage.id)
        .where(MailMessage.sent_at.is_(None),
               sa.or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now))
        .order_by(MailMessage.id)
    ))


def _reclaim(message_id: int, now: datetime) -> bool:
    """Take a message no one holds: only one of two runs' UPDATEs matches the row."""
    table = MailMessage.__table__
    result = db.session.execute(
        table.update()
        .where(table.c.id == message_id, table.c.sent_at.is_(None),
               sa.or_(table.c.claimed_until.is_(None), table.c.claimed_until < now))
        .values(claimed_until=now + LEASE)
    )
    db.session.commit()
    return result.rowcount == 1


def _claim(due: Due, now: datetime) -> MailMessage | None:
    with force_locale(due.recipient.language or "fi"):
        subject, body = due.render()
    message = MailMessage(key=due.key, kind=due.kind, recipient_id=due.recipient.id,
                          to_address=due.recipient.email, subject=subject, body=body,
                          created_at=now, claimed_until=now + LEASE)
    db.session.add(message)
    if due.on_claim:
        due.on_claim()
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another run claimed it first (and its changes with it)
        return None
    return message


def _deliver(message: MailMessage, result: Counter) -> None:
    message.attempts += 1
    try:
        message.transport = transport.send(message.to_address, message.subject, message.body,
                                           message.key)
    except transport.SendFailed as error:
        # Recorded; the lease is given up so that the next run sends it again.
        message.last_error = str(error)
        message.claimed_until = None
        log.warning("Sending %s failed (attempt %d): %s", message.key, message.attempts, error)
        result["failed"] += 1
    else:
        message.sent_at = utcnow()
        message.claimed_until = None
        message.last_error = None
        result["sent"] += 1
    db.session.commit()


# --- What is due --------------------------------------------------------------------------------


def _existing(keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(db.session.scalars(sa.select(MailMessage.key).where(MailMessage.key.in_(keys))))


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Helsinki"))


def due_messages(now: datetime) -> Iterator[Due]:
    yield from _outing_alerts(now)
    local = now.astimezone(_zone())
    if local.hour >= current_app.config["DIGEST_HOUR"]:
        yield from _daily_digests(local.date())
        yield from _weekly_digests(local.date())


def _outing_alerts(now: datetime) -> Iterator[Due]:
    for outing in outings.partner_alerts_due(now):
        partner = outings.partner_of(outing)

        def claim(outing=outing):
            outings.mark_partner_alerted(outing, now)

        yield Due(f"outing:{outing.id}:{outing.round}:partner", "outing_partner", partner,
                  _outing_render(outing, partner, "partner"), claim)
    for outing in outings.supervisor_alerts_due(now):
        supervisor = outing.pair.supervisor

        def claim_supervisor(outing=outing):
            outings.mark_supervisor_alerted(outing, now)

        if supervisor is None or not supervisor.active:
            claim_supervisor()  # nobody to alert: the partner's alert stands
            db.session.commit()
            continue
        yield Due(f"outing:{outing.id}:{outing.round}:supervisor", "outing_supervisor",
                  supervisor, _outing_render(outing, supervisor, "supervisor"),
                  claim_supervisor)


def _outing_render(outing: Outing, recipient: User, stage: str):
    def render():
        subject = _("%(name)s has not come back from an outing", name=outing.worker.name)
        body = render_template(
            "mail/outing_alert.txt", outing=outing, recipient=recipient, stage=stage,
            expected=f"{format_day(outing.expected_back_at)} "
                     f"{format_clock(outing.expected_back_at)}",
            who_to_call=(outing.pair.agreement.outing_who_to_call
                         if outing.pair.agreement else None))
        return subject, body
    return render


def _wants(kind: str):
    """Users without a preference row get both digests (the profile says so)."""
    column = MailPreference.daily_digest if kind == "daily" else MailPreference.weekly_digest
    return sa.or_(MailPreference.user_id.is_(None), column.is_(True))


def _recipients(kind: str, *conditions) -> list[User]:
    """Active people who chose this digest and meet the conditions: one query."""
    return list(db.session.scalars(
        sa.select(User)
        .outerjoin(MailPreference, MailPreference.user_id == User.id)
        .where(User.active.is_(True), _wants(kind), *conditions)
        .order_by(User.id)
    ))


def _daily_digests(today) -> Iterator[Due]:
    partners = _recipients("daily", User.role.in_((Role.PROFESSIONAL, Role.EXPERT)),
                           sa.exists().where(Pair.id.in_(working_pair_ids_any(today)),
                                             sa.or_(Pair.professional_id == User.id,
                                                    Pair.expert_id == User.id)))
    keys = {user.id: f"daily:{user.id}:{today.isoformat()}" for user in partners}
    done = _existing(list(keys.values()))
    for user in partners:
        if keys[user.id] in done:
            continue
        counts = digest.partner_counts(user, today)

        def render(user=user, counts=counts):
            subject = _("Työpari today: %(day)s", day=format_day(today))
            return subject, render_template("mail/daily.txt", user=user, counts=counts,
                                            lines=daily_lines(counts))
        yield Due(keys[user.id], "daily", user, render)


def working_pair_ids_any(today):
    """Pairs that work today (anyone's)."""
    return sa.select(Pair.id).where(Pair.starts_on <= today,
                                    sa.or_(Pair.ends_on.is_(None), Pair.ends_on > today))


def daily_lines(counts: dict[str, int]) -> list[str]:
    return [
        _("Overdue tasks: %(num)d", num=counts["overdue_tasks"]),
        _("Accompaniments planned today: %(num)d", num=counts["accompaniments_today"]),
        _("Women not reached in your pair's number of days: %(num)d",
          num=counts["not_reached"]),
        _("Asks for feedback waiting for your answer: %(num)d", num=counts["asks_waiting"]),
        _("Check-ins waiting to be acknowledged: %(num)d", num=counts["checkins_waiting"]),
    ]


def _weekly_digests(today) -> Iterator[Due]:
    week = today.isocalendar()
    supervisors = _recipients("weekly", User.role == Role.SUPERVISOR,
                              sa.exists().where(Pair.supervisor_id == User.id))
    keys = {user.id: f"weekly:{user.id}:{week.year}-W{week.week:02d}" for user in supervisors}
    done = _existing(list(keys.values()))
    for user in supervisors:
        if keys[user.id] in done:
            continue
        period, rows = digest.supervisor_figures(user, today)

        def render(user=user, period=period, rows=rows):
            subject = _("Työpari: your pairs' week %(first)s–%(last)s",
                        first=format_day(period.first), last=format_day(period.last))
            return subject, render_template("mail/weekly.txt", user=user, rows=[
                (label, weekly_lines(figures)) for label, figures in rows])
        yield Due(keys[user.id], "weekly", user, render)


def weekly_lines(figures: dict) -> list[str]:
    return [
        _("Contacts: %(num)d", num=figures["contacts"]),
        _("Accompaniments: %(num)d", num=figures["accompaniments"]),
        _("Hours of contacts and accompaniments: %(num)s",
          num=format_decimal(figures["hours"], format="#,##0.0")),
        _("Active clients: %(num)d", num=figures["active_clients"]),
        _("Not reached in their pair's number of days: %(num)d", num=figures["not_reached"]),
        _("Open tasks: %(num)d, overdue %(late)d", num=figures["open_tasks"],
          late=figures["overdue_tasks"]),
        _("Check-ins waiting: %(num)d", num=figures["checkins_waiting"]),
    ]
