"""Demo data: two pairs under one supervisor, and an administrator; and an earlier pair of
former staff, ended years ago, with one long-closed record (outreach.retention.demo).
Idempotent."""

from datetime import timedelta

from outreach.auth.models import Role, User
from outreach.auth.passwords import hash_password
from outreach.auth.queries import user_by_email
from outreach.core.records import demo_loaders
from outreach.core.time import local_today
from outreach.dashboard.demo import load_rollup
from outreach.evaluations.demo import load_evaluations
from outreach.extensions import db
from outreach.feedback.demo import load as load_feedback
from outreach.groups.demo import load_groups
from outreach.meetings.demo import load as load_meetings
from outreach.outings.demo import load_areas, load_outings
from outreach.pairs.demo import load_pairs_agreements
from outreach.pairs.models import Pair
from outreach.retention.demo import load_former_pair
from outreach.services.demo import load_services
from outreach.wellbeing.demo import load as load_checkins

PASSWORD = "demo-pass-2026"  # noqa: S105 - demo data only, printed at start

ACCOUNTS = [
    ("admin@demo.test", "Aino Admin", Role.ADMIN),
    ("supervisor@demo.test", "Sirpa Esihenkilö", Role.SUPERVISOR),
    ("pro1@demo.test", "Paula Ammattilainen", Role.PROFESSIONAL),
    ("expert1@demo.test", "Eeva Kokemusasiantuntija", Role.EXPERT),
    ("pro2@demo.test", "Pirjo Ammattilainen", Role.PROFESSIONAL),
    ("expert2@demo.test", "Essi Kokemusasiantuntija", Role.EXPERT),
]


def load() -> bool:
    """Load what is missing, part by part; return whether anything was added.

    Each kind of client record declares its own idempotent loader (RecordKind.demo); they
    run in the order of outreach/records.py, between the people, pairs and services they
    need and the pair work that needs them."""
    added = False
    for part in demo_parts():
        added = part() or added
    db.session.commit()
    return added


def demo_parts():
    return [
        load_people,
        load_pairs_agreements,
        load_services,
        load_areas,  # encounters pick their area from the list
        *demo_loaders(),
        load_checkins,
        load_feedback,
        load_meetings,
        load_groups,
        load_evaluations,
        load_former_pair,
        load_outings,
        load_rollup,
    ]


def load_people() -> bool:
    if user_by_email(ACCOUNTS[0][0]):
        return False
    password_hash = hash_password(PASSWORD)
    users = {}
    for email, name, role in ACCOUNTS:
        users[email] = User(
            email=email, name=name, role=role, language="fi", password_hash=password_hash
        )
    db.session.add_all(users.values())
    today = local_today()
    db.session.add_all(
        [
            Pair(
                professional=users["pro1@demo.test"],
                expert=users["expert1@demo.test"],
                supervisor=users["supervisor@demo.test"],
                starts_on=today - timedelta(days=200),
            ),
            Pair(
                professional=users["pro2@demo.test"],
                expert=users["expert2@demo.test"],
                supervisor=users["supervisor@demo.test"],
                starts_on=today - timedelta(days=40),
            ),
        ]
    )
    db.session.flush()
    return True
