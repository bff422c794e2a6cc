"""The permission matrix as data (DESIGN.md §3, issue 9): for every endpoint and method,
what each role gets, for an object of the user's own pair and of another pair.

tests/test_permission_matrix.py walks the whole URL map with it and FAILS when an
endpoint (or a method of one) has no entry here, or an entry names an endpoint that no
longer exists. Adding a domain = one block in MATRIX below (and, if its URLs take a new
kind of object, one line in OBJECTS).

A key is an endpoint, or an endpoint with objects in its query string:
"tasks.week?pair=pair_id" is /tasks/week?pair=<the pair's id> (an OBJECTS key after "=").

A row is one cell per role, in the order of ROLES:

    "ok"      allowed: the route does its work (200, 204, 302/303 not to sign-in, 409, 422)
    "403"     the role may not use the route at all
    "404"     the object is outside the user's scope (nothing tells it exists)
    "login"   anonymous: redirected to sign in (302 to /login; htmx: HX-Redirect there)
    "A/B"     an object route: A for an object of the user's own pair, B for another
              pair's (a single value means the same for both). A URL with two objects
              (/clients/<own client>/contacts/<other pair's contact>) is also tried
              "mixed": the own pair's first object, another pair's last; it expects B.

Besides the status, every allowed answer is checked for women's names: the administrator
and the supervisor never see one of the world's clients (no client content), a partner never
sees another pair's. Allowed htmx answers must be fragments.

Consultations (issue 8): the supervisor may use the READ routes of a client record
(CONSULTED_READ), but only for a client whose record a consultation opens to her now. The
world's clients have none, so on the plain keys her cell is "404" (her own pair's client
without a consultation is refused too). The keys "<endpoint>?client_id=consulted_client"
put in the URL another client of that side's pair whose record is open to the side's
supervisor: "ok" for her own pair's, 404 for the other pair's (opened to the other
supervisor), and the write routes stay refused (403) even for that client. Consulted
clients are not in `client_names`, so the supervisor may see her name there.

"Own pair" is the pair the professional, the expert (confidentiality agreement recorded)
and the supervisor share; the administrator belongs to no pair. POST requests carry an
empty body unless POST_DATA says otherwise: the point is the access decision, not the
form.
"""

import secrets
from datetime import timedelta

from outreach.auth.models import Role
from outreach.core.time import local_today
from tests import factories

ROLES = ("anonymous", "admin", "supervisor", "professional", "expert")

# --- Rows used by many routes ---------------------------------------------------------------
#              anonymous  admin  supervisor  professional  expert
PUBLIC = ("ok", "ok", "ok", "ok", "ok")
SIGNED_IN = ("login", "ok", "ok", "ok", "ok")
ADMIN_ONLY = ("login", "ok", "403", "403", "403")
PARTNERS = ("login", "403", "403", "ok", "ok")  # the pair's own work, no object in the URL
# Client records and the pair's work on them: the partners of the pair, nobody else.
PAIR_WORK = ("login", "403", "403", "ok/404", "ok/404")
PROFESSIONAL_WORK = ("login", "403", "403", "ok/404", "403")
EXPERT_WORK = ("login", "403", "403", "403", "ok/404")
# Read routes of her record: also the supervisor, for a client a consultation opens to her
# (none in the world's clients: 404, own pair's or not).
CONSULTED_READ = ("login", "403", "404", "ok/404", "ok/404")
# The same routes for a client of the side's pair whose record is open to its supervisor.
CONSULTED_CLIENT_READ = ("login", "403", "ok/404", "ok/404", "ok/404")

MATRIX: dict[str, dict[str, tuple[str, ...]]] = {}


def block(entries: dict[str, dict[str, tuple[str, ...]]]) -> None:
    """One blueprint's entries; a name given twice is a mistake in this file."""
    for endpoint, methods in entries.items():
        assert endpoint not in MATRIX, f"{endpoint} is in the matrix twice"
        MATRIX[endpoint] = methods


# --- auth -------------------------------------------------------------------------------------
block({
    "auth.login": {"GET": PUBLIC, "POST": PUBLIC},
    "auth.logout": {"POST": SIGNED_IN},
    "auth.change_password": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    # Public, but without a first step in progress it sends anyone back to sign in, and a
    # signed-in user home.
    "auth.second_step": {"GET": SIGNED_IN, "POST": SIGNED_IN},
})

# --- home, profile ----------------------------------------------------------------------------
block({
    "home.index": {"GET": SIGNED_IN},
    "profile.index": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "profile.two_step_setup": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "profile.recovery_codes": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "profile.two_step_off": {"GET": SIGNED_IN, "POST": SIGNED_IN},
})

# --- the phone (issue 16): worker and offline shell public, the phone's state signed in ------
block({
    "phone.service_worker": {"GET": PUBLIC},
    "phone.offline": {"GET": PUBLIC},
    "phone.state": {"GET": SIGNED_IN},
    "phone.more": {"GET": SIGNED_IN},
})

# --- admin: users (administrators manage, no one else) ----------------------------------------
block({
    "admin.users": {"GET": ADMIN_ONLY},
    "admin.create_user": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "admin.user": {"GET": ADMIN_ONLY},
    "admin.edit_user": {"POST": ADMIN_ONLY},
    "admin.deactivate_user": {"POST": ADMIN_ONLY},
    "admin.reactivate_user": {"POST": ADMIN_ONLY},
    "admin.reset_password": {"POST": ADMIN_ONLY},
    "admin.reset_two_step": {"POST": ADMIN_ONLY},
    # Retention period and the other settings (issue 9).
    "retention.settings": {"GET": ADMIN_ONLY},
})

# --- services: the catalogue (all read, administrators manage) --------------------------------
block({
    "services.index": {"GET": SIGNED_IN},
    "services.show": {"GET": SIGNED_IN},
    "services.create": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "services.edit": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "services.deactivate": {"POST": ADMIN_ONLY},
    "services.reactivate": {"POST": ADMIN_ONLY},
})

# --- pairs: admin manages all, the supervisor reads own pairs, partners their own pair ----------
block({
    "pairs.index": {"GET": SIGNED_IN},
    "pairs.new": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "pairs.show": {"GET": ("login", "ok", "ok/404", "ok/404", "ok/404")},
    # The start-up agreement is the pair's own: the supervisor reads, the partners write,
    # the administrator sees only its state on the pair page.
    "pairs.agreement": {"GET": ("login", "403", "ok/404", "ok/404", "ok/404")},
    "pairs.save_agreement": {"POST": PAIR_WORK},
    "pairs.no_contact_days": {"POST": PAIR_WORK},
    "pairs.end": {
        "GET": ("login", "ok", "ok/404", "403", "403"),
        "POST": ("login", "ok", "ok/404", "403", "403"),
    },
})

# --- clients: her record (supervisors only via a consultation: the read routes) --------------
block({
    "clients.index": {"GET": PARTNERS},
    "clients.new": {"GET": PARTNERS, "POST": PARTNERS},
    "clients.show": {"GET": CONSULTED_READ},
    "clients.edit": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "clients.close": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "clients.reopen": {"POST": PAIR_WORK},
    "clients.timeline": {"GET": CONSULTED_READ},
    # Merging removes a record: the professional only ("the expert cannot delete").
    "clients.merge": {"GET": PROFESSIONAL_WORK, "POST": PROFESSIONAL_WORK},
    "clients.merge?other=client_2": {"GET": PROFESSIONAL_WORK},
    # An ended pair's clients to another pair: codes and counts only, never names.
    "clients.handover": {
        "GET": ("login", "ok", "ok/404", "403", "403"),
        "POST": ("login", "ok", "ok/404", "403", "403"),
    },
})

# --- consents ---------------------------------------------------------------------------------
block({
    "consents.index": {"GET": CONSULTED_READ},
    "consents.new": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "consents.withdraw": {"GET": PAIR_WORK, "POST": PAIR_WORK},
})

# --- encounters: anonymous, but the pair's own ------------------------------------------------
block({
    "encounters.index": {"GET": PARTNERS},
    "encounters.new": {"GET": PARTNERS, "POST": PARTNERS},
    "encounters.edit": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "encounters.delete": {"POST": PAIR_WORK},
})

# --- mappings: the professional maps, both read -----------------------------------------------
block({
    "mappings.index": {"GET": CONSULTED_READ},
    "mappings.show": {"GET": CONSULTED_READ},
    "mappings.new": {"GET": PROFESSIONAL_WORK, "POST": PROFESSIONAL_WORK},
})

# --- steps: challenges and steps, her decisions -----------------------------------------------
block({
    "steps.index": {"GET": CONSULTED_READ},
    "steps.new_challenge": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "steps.close_challenge": {"POST": PAIR_WORK},
    "steps.new_step": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "steps.edit_step": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "steps.record_decision": {"POST": PAIR_WORK},
})

# --- tasks: the pair's tasks and week plan ----------------------------------------------------
block({
    "tasks.index": {"GET": PARTNERS},
    "tasks.week": {"GET": PARTNERS},  # one pair: its plan; several: which pair?
    "tasks.week?pair=pair_id": {"GET": PAIR_WORK},
    "tasks.new": {"GET": PARTNERS, "POST": PARTNERS},
    # A task about her, from her page: another pair's client is ignored (not pre-filled,
    # her name not shown), so the form opens as without her.
    "tasks.new?client=client_id": {"GET": PARTNERS},
    "tasks.edit": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "tasks.row": {"GET": PAIR_WORK},
    "tasks.done": {"POST": PAIR_WORK},
    "tasks.reopen": {"POST": PAIR_WORK},
    "tasks.drop": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "tasks.from_step": {"POST": PAIR_WORK},
    # The professional plans the week; the expert proposes changes, the professional decides.
    "tasks.plan": {"POST": PROFESSIONAL_WORK},
    "tasks.propose": {"GET": EXPERT_WORK, "POST": EXPERT_WORK},
    "tasks.accept_proposal": {"POST": PROFESSIONAL_WORK},
    "tasks.decline_proposal": {"POST": PROFESSIONAL_WORK},
})

# --- contacts, accompaniments, network contacts, drafts: field work ---------------------------
block({
    "contacts.index": {"GET": CONSULTED_READ},
    "contacts.new": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "contacts.quick": {"POST": PAIR_WORK},
    "contacts.edit": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    # The contact in the world is the expert's own: she may delete or undo her own records
    # (tests/contacts covers "not what her partner recorded").
    "contacts.delete": {"POST": PAIR_WORK},
    "contacts.undo": {"POST": PAIR_WORK},
})
block({
    "accompaniments.index": {"GET": CONSULTED_READ},
    "accompaniments.new": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    # "Again" copies an earlier accompaniment of hers into the form.
    "accompaniments.new?again=accompaniment_id": {"GET": PAIR_WORK},
    "accompaniments.edit": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "accompaniments.outcome": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "accompaniments.delete": {"POST": PAIR_WORK},
})
block({
    # The professional contacts services about her; the expert reads.
    "network.index": {"GET": CONSULTED_READ},
    "network.new": {"GET": PROFESSIONAL_WORK, "POST": PROFESSIONAL_WORK},
    "network.edit": {"GET": PROFESSIONAL_WORK, "POST": PROFESSIONAL_WORK},
    "network.delete": {"POST": PROFESSIONAL_WORK},
})
block({
    "drafts.save": {"POST": PAIR_WORK},
    "drafts.discard": {"POST": PAIR_WORK},
})


# --- audit: the access log and her data (issue 9) ---------------------------------------------
block({
    # "Access log: all" for the administrator, "own clients" for the professional only.
    "audit.admin_log": {"GET": ADMIN_ONLY},
    "audit.client_log": {"GET": PROFESSIONAL_WORK},
    # Her own log (printable page and CSV) and everything kept about her (GDPR art. 15):
    # exports, for the professional only.
    "audit.hers": {"GET": PROFESSIONAL_WORK},
    "audit.hers_csv": {"GET": PROFESSIONAL_WORK},
    "audit.export": {"GET": PROFESSIONAL_WORK},
    "audit.export_json": {"GET": PROFESSIONAL_WORK},
})

# --- consultations (issue 8): the professional opens her record to the supervisor ----------
block({
    "consultations.index": {"GET": ("login", "403", "ok", "403", "403")},
    "consultations.new": {"GET": PROFESSIONAL_WORK, "POST": PROFESSIONAL_WORK},
    "consultations.end": {"GET": PROFESSIONAL_WORK, "POST": PROFESSIONAL_WORK},
})
# A client whose record is open to the side's supervisor: she reads it (and its fragments),
# her own pair's only; everything that changes it stays refused.
block({
    f"{endpoint}?client_id=consulted_client": {"GET": CONSULTED_CLIENT_READ}
    for endpoint in ("clients.show", "clients.timeline", "consents.index", "mappings.index",
                     "steps.index", "contacts.index", "accompaniments.index", "network.index")
})
block({
    "clients.edit?client_id=consulted_client": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "clients.close?client_id=consulted_client": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "contacts.quick?client_id=consulted_client": {"POST": PAIR_WORK},
    "mappings.new?client_id=consulted_client": {"GET": PROFESSIONAL_WORK,
                                                "POST": PROFESSIONAL_WORK},
    "steps.new_challenge?client_id=consulted_client": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "consents.new?client_id=consulted_client": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "audit.client_log?client_id=consulted_client": {"GET": PROFESSIONAL_WORK},
})

# --- Pair-internal records: meetings, check-ins, feedback, evaluation forms -----------------
# Only the two partners read them. These routes are declared for every signed-in user and
# refuse the administrator and the supervisor by scope, so they answer 404 where a role
# check would answer 403: nothing tells such a record exists (DESIGN §3 "—" / "counts only";
# the supervisor's counts are on the pair page).
PAIR_INTERNAL = ("login", "404", "404", "ok/404", "ok/404")

# --- meetings ---------------------------------------------------------------------------------
block({
    "meetings.index": {"GET": PAIR_INTERNAL},
    "meetings.new": {"GET": PAIR_INTERNAL, "POST": PAIR_INTERNAL},
    "meetings.show": {"GET": PAIR_INTERNAL},
    "meetings.notes": {"GET": PAIR_INTERNAL, "POST": PAIR_INTERNAL},
    "meetings.edit": {"GET": PAIR_INTERNAL, "POST": PAIR_INTERNAL},
    "meetings.actions": {"POST": PAIR_INTERNAL},
    # The meeting in the world was recorded by the professional: the expert does not
    # delete what her partner recorded.
    "meetings.delete": {"POST": ("login", "404", "404", "ok/404", "403/404")},
})

# --- wellbeing: the expert's check-ins; the professional reads and acknowledges ---------------
block({
    "wellbeing.new": {"GET": ("login", "404", "404", "403", "ok"),
                      "POST": ("login", "404", "404", "403", "ok")},
    # Her own history; the professional reads the pair's check-ins instead.
    "wellbeing.history": {"GET": ("login", "404", "404", "403", "ok")},
    "wellbeing.pair_checkins": {"GET": PAIR_INTERNAL},
    # The expert does not acknowledge her own check-in.
    "wellbeing.acknowledge": {"GET": ("login", "404", "404", "ok/404", "403/404"),
                              "POST": ("login", "404", "404", "ok/404", "403/404")},
    # Her choice to share her strain trend with the supervisor: hers alone.
    "wellbeing.sharing": {"POST": ("login", "404", "404", "403", "ok")},
})

# --- outings: the partners go out; only the one out says she is back; supervisors the overdue --
# The outing in the world is the expert's: her partner sees it, but does not end or extend it.
OUTING_WORKER = ("login", "403", "403", "403/404", "ok/404")
block({
    "outings.new": {"GET": PARTNERS, "POST": PARTNERS},
    "outings.back": {"POST": OUTING_WORKER},
    "outings.welcome": {"GET": OUTING_WORKER},
    "outings.extend": {"POST": OUTING_WORKER},
    "outings.extend_form": {"GET": OUTING_WORKER},
    "outings.overdue": {"GET": ("login", "403", "ok", "403", "403")},
    # The list of areas: the administrator keeps it.
    "outings.areas": {"GET": ADMIN_ONLY},
    "outings.new_area": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "outings.edit_area": {"GET": ADMIN_ONLY, "POST": ADMIN_ONLY},
    "outings.delete_area": {"POST": ADMIN_ONLY},
})

# --- mail: the administrator's sent messages; each person's choice of digests -----------------
block({
    "mail.sent": {"GET": ADMIN_ONLY},
    # Administrators get no digest, so they have no choice to make.
    "mail.choose": {"POST": ("login", "404", "ok", "ok", "ok")},
})

# --- feedback between the partners ----------------------------------------------------------
block({
    "feedback.thread": {"GET": PAIR_INTERNAL, "POST": PAIR_INTERNAL},
    # The ask in the world is the expert's: the professional answers it, not she herself.
    "feedback.answer": {"GET": ("login", "404", "404", "ok/404", "403/404"),
                        "POST": ("login", "404", "404", "ok/404", "403/404")},
})

# --- evaluations: own form and joint review; anonymous summaries for admin and supervisor -----
block({
    "evaluations.index": {"GET": ("login", "ok", "ok/404", "ok/404", "ok/404")},
    "evaluations.new_round": {"GET": ("login", "403", "ok/404", "ok/404", "403"),
                              "POST": ("login", "403", "ok/404", "ok/404", "403")},
    # The round in the world has both forms submitted, so the joint review is open.
    "evaluations.fill": {"GET": PAIR_INTERNAL, "POST": PAIR_INTERNAL},
    "evaluations.review": {"GET": PAIR_INTERNAL, "POST": PAIR_INTERNAL},
    "evaluations.summary": {"GET": ("login", "ok", "ok", "403", "403")},
})

# --- groups: peer-support groups led by a pair ------------------------------------------------
block({
    "groups.index": {"GET": SIGNED_IN},
    "groups.new": {"GET": PARTNERS, "POST": PARTNERS},
    # A group's plans and debrief notes are the pair's own (not in DESIGN §3's table).
    "groups.show": {"GET": PAIR_INTERNAL},
    "groups.edit": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "groups.new_session": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "groups.session": {"GET": PAIR_INTERNAL},
    "groups.edit_session": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "groups.record": {"GET": PAIR_WORK, "POST": PAIR_WORK},
    "groups.delete_session": {"POST": PAIR_WORK},
})

# --- exports: each list's <list URL>/export, the list's own access (outreach/exports.py) ------
block({
    "clients.index_export": {"GET": PARTNERS},
    "tasks.index_export": {"GET": PARTNERS},
    "encounters.index_export": {"GET": PARTNERS},
    "services.index_export": {"GET": SIGNED_IN},
    "contacts.index_export": {"GET": PAIR_WORK},
    "accompaniments.index_export": {"GET": PAIR_WORK},
    "network.index_export": {"GET": PAIR_WORK},
    "admin.users_export": {"GET": ADMIN_ONLY},
    "audit.admin_log_export": {"GET": ADMIN_ONLY},
    "groups.index_export": {"GET": SIGNED_IN},
})


# --- reports: the funder report (issue 8), counts only, never a name or code ---------------
# Supervisors report on their pairs, partners on their own pair, administrators on all. A
# pair outside the user's scope in the query string answers 404.
block({
    "reports.funder": {"GET": ("login", "ok", "ok", "ok", "ok")},
    "reports.funder?pairs=pair_id": {"GET": ("login", "ok", "ok/404", "ok/404", "ok/404")},
    "reports.funder_xlsx": {"GET": ("login", "ok", "ok", "ok", "ok")},
    "reports.funder_xlsx?pairs=pair_id": {"GET": ("login", "ok", "ok/404", "ok/404", "ok/404")},
})


# --- dashboard: the workload dashboard (issue 8), numbers only ------------------------------
# Administrators all pairs, supervisors theirs, partners their own; a pair outside the
# user's scope in the query string answers 404.
block({
    "dashboard.index": {"GET": ("login", "ok", "ok", "ok", "ok")},
    "dashboard.index?pair=pair_id": {"GET": ("login", "ok", "ok/404", "ok/404", "ok/404")},
})


# --- htmx fragment requests: the same decision as the page ------------------------------------
# (endpoint, method, HX-Target). Anonymous gets 200 with HX-Redirect to sign in, never a
# login form swapped into the fragment.
HTMX = [
    ("pairs.index", "GET", "pair-list"),
    ("admin.users", "GET", "user-list"),
    ("services.index", "GET", "service-list"),
    ("clients.index", "GET", "client-list"),
    ("clients.timeline", "GET", "timeline-entries"),
    ("clients.timeline?client_id=consulted_client", "GET", "timeline-entries"),
    ("contacts.index?client_id=consulted_client", "GET", "contact-list"),
    ("encounters.index", "GET", "encounter-list"),
    ("contacts.index", "GET", "contact-list"),
    ("contacts.quick", "POST", "quick-log"),
    ("accompaniments.index", "GET", "accompaniment-list"),
    ("network.index", "GET", "network-list"),
    ("tasks.week?pair=pair_id", "GET", "week-plan"),
    ("meetings.index", "GET", "meeting-list"),
    ("meetings.notes", "POST", "meeting-notes"),
    ("groups.index", "GET", "group-list"),
    ("groups.show", "GET", "group-sessions"),
    ("evaluations.summary", "GET", "summary-results"),
    ("audit.admin_log", "GET", "log-results"),
    ("audit.client_log", "GET", "access-log"),
    ("dashboard.index", "GET", "dashboard-figures"),
]

# --- Objects in URLs ----------------------------------------------------------------------------
# URL argument name -> maker(side) returning the object (its .id goes in the URL) or the
# value itself (str/int). `side` is the own or the other pair's side of the world:
# side.pair, side.get("client_id") (made once per side, so that a contact belongs to the
# client in the same URL). "<blueprint>.<argument>" overrides a generic name for one
# blueprint. A new kind of object in a URL needs a line here, else the matrix test fails.


def _client(side):
    # A name found nowhere else, so that the test can tell when a page shows it.
    client = factories.make_client(side.pair, name=f"Nimi{secrets.token_hex(4)}")
    factories.make_consent(client)
    side.client_names.append(client.name)
    return client


def _consulted_client(side):
    """Another client of the side's pair, her record open to the pair's supervisor for a
    week (a consultation opened by the pair's professional)."""
    from outreach.consultations.models import Consultation
    from outreach.extensions import db

    client = factories.make_client(side.pair, name=f"Konsultoitava{secrets.token_hex(4)}")
    factories.make_consent(client)
    db.session.add(Consultation.for_days(
        7, client_id=client.id, pair_id=side.pair.id, supervisor_id=side.pair.supervisor_id,
        opened_by_id=side.pair.professional_id, reason="Tarvitsen tukea",
    ))
    db.session.commit()
    return client


def _consultation(side):
    """A consultation of the side's consulted client (the pair's professional may end it)."""
    import sqlalchemy as sa

    from outreach.consultations.models import Consultation
    from outreach.extensions import db

    client = side.get("consulted_client")
    return db.session.scalar(sa.select(Consultation).where(Consultation.client_id == client.id))


def _form_key(side):
    return f"contact:new:client:{side.get('client_id').id}"


def _meeting(side):
    return factories.make_meeting(side.pair)


def _checkin(side):
    from outreach.extensions import db
    from outreach.wellbeing.models import CheckIn

    checkin = CheckIn(pair_id=side.pair.id, expert_id=side.pair.expert_id, strain=4,
                      wants_to_talk=True, note="Raskas viikko")
    db.session.add(checkin)
    db.session.commit()
    return checkin


def _outing(side):
    """The expert out alone in an area, back in an hour."""
    from outreach.core.clock import utcnow
    from outreach.extensions import db
    from outreach.outings.models import Area, Outing

    area = Area(name=f"Alue {secrets.token_hex(4)}")
    db.session.add(area)
    db.session.flush()
    outing = Outing(pair_id=side.pair.id, worker_id=side.pair.expert_id, area_id=area.id)
    outing.set_return(utcnow() + timedelta(hours=1), 30)
    db.session.add(outing)
    db.session.commit()
    return outing


def _area(side):
    from outreach.extensions import db
    from outreach.outings.models import Area

    area = Area(name=f"Alue {secrets.token_hex(4)}")
    db.session.add(area)
    db.session.commit()
    return area


def _feedback_ask(side):
    """The expert asks for feedback on a situation; the professional is to answer."""
    from outreach.extensions import db
    from outreach.feedback.models import FeedbackItem, FeedbackKind

    item = FeedbackItem(pair_id=side.pair.id, author_id=side.pair.expert_id,
                        kind=FeedbackKind.ASK, situation="Asiointi Kelassa",
                        body="Miten minä toimin?")
    db.session.add(item)
    db.session.commit()
    return item


def _evaluation_round(side):
    evaluation_round = factories.make_round(side.pair)
    factories.make_form(evaluation_round, side.pair.professional)
    factories.make_form(evaluation_round, side.pair.expert)
    return evaluation_round


def _group(side):
    return factories.make_group(side.pair)


def _group_session(side):
    return factories.make_session(side.get("group_id"))


OBJECTS = {
    "pair_id": lambda side: side.pair,
    "client_id": _client,
    "client_2": _client,  # a second record of hers in the same pair (merging)
    "consulted_client": _consulted_client,
    "consultation_id": _consultation,
    "mapping_id": lambda side: factories.make_mapping(side.get("client_id")),
    "challenge_id": lambda side: factories.make_challenge(side.get("client_id")),
    "step_id": lambda side: factories.make_step(side.get("challenge_id")),
    "task_id": lambda side: factories.make_task(side.pair),
    "proposal_id": lambda side: factories.make_proposal(side.get("task_id")),
    "contact_id": lambda side: factories.make_contact(side.get("client_id")),
    "accompaniment_id": lambda side: factories.make_accompaniment(side.get("client_id")),
    "network.record_id": lambda side: factories.make_network_contact(side.get("client_id")),
    "encounter_id": lambda side: factories.make_encounter(side.pair),
    "form_key": _form_key,
    "meeting_id": lambda side: _meeting(side),
    "checkin_id": lambda side: _checkin(side),
    "outing_id": _outing,
    "area_id": _area,
    "feedback.item_id": lambda side: _feedback_ask(side),
    "round_id": lambda side: _evaluation_round(side),
    "group_id": lambda side: _group(side),
    "session_id": lambda side: _group_session(side),
    # Not a pair's: one request per role, no own/other.
    "service_id": lambda side: factories.make_service(),
    "user_id": lambda side: factories.make_user(Role.EXPERT),
}
# Arguments that name something no pair owns: a route with only these is not an object route.
GLOBAL_ARGUMENTS = {"service_id", "user_id", "area_id"}

# Routes whose success is the sign-in page (so "ok" may redirect there).
SIGN_OUT = {"auth.logout"}

# Minimal bodies where an empty one would not reach the access decision's result
# (e.g. 400 for a missing hidden field).
POST_DATA = {
    "clients.merge": lambda side: {"other_id": side.get("client_2").id},
    "wellbeing.sharing": lambda side: {"share": "0"},
}


def confidentiality_recorded():
    return {"confidentiality_signed_on": local_today() - timedelta(days=20)}
