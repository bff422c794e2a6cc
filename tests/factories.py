"""Callable factories for test data (indico style): each returns a saved object."""

import itertools
from datetime import date, datetime, time, timedelta

from outreach.auth.models import Role, User
from outreach.auth.passwords import hash_password
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.evaluations import items as form_items
from outreach.evaluations.items import FormRole
from outreach.evaluations.models import (
    Activity,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationRound,
    FormStatus,
)
from outreach.extensions import db
from outreach.feedback.models import FeedbackItem, FeedbackKind
from outreach.groups.models import GroupSession, GroupSessionPart, Leader, PeerGroup
from outreach.meetings.models import MeetingKind, PairMeeting, PairMeetingRevision
from outreach.pairs.models import Pair, PairAgreement
from outreach.services.models import Service, ServiceKind
from outreach.wellbeing.models import CheckIn

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(role: Role | str = Role.PROFESSIONAL, *, email: str | None = None,
              name: str | None = None, password: str = PASSWORD, **fields) -> User:
    n = next(_counter)
    role = Role(role)
    user = User(
        email=email or f"{role.value}{n}@example.test",
        name=name or f"{role.value.title()} {n}",
        role=role,
        password_hash=hash_password(password),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_pair(*, professional: User | None = None, expert: User | None = None,
              supervisor: User | None = None, starts_on: date | None = None,
              ends_on: date | None = None) -> Pair:
    pair = Pair(
        professional=professional or make_user(Role.PROFESSIONAL),
        expert=expert or make_user(Role.EXPERT),
        supervisor=supervisor,
        starts_on=starts_on or local_today() - timedelta(days=30),
        ends_on=ends_on,
    )
    db.session.add(pair)
    db.session.commit()
    return pair


def make_service(kind: ServiceKind | str = ServiceKind.OTHER, *, name_fi: str | None = None,
                 **fields) -> Service:
    service = Service(
        kind=ServiceKind(kind), name_fi=name_fi or f"Palvelu {next(_counter)}", **fields
    )
    db.session.add(service)
    db.session.commit()
    return service


def make_agreement(pair: Pair, **fields) -> PairAgreement:
    """A start-up agreement for the pair; without fields it is started but empty."""
    agreement = PairAgreement(pair=pair, **fields)
    db.session.add(agreement)
    db.session.commit()
    return agreement


def make_client(pair: Pair, **fields):
    """A woman the pair works with; the code comes from the real counter."""
    from outreach.clients.models import Client
    from outreach.clients.queries import next_client_code

    fields.setdefault("name", f"Asiakas {next(_counter)}")
    fields.setdefault("created_by_id", pair.professional_id)
    client = Client(pair_id=pair.id, code=fields.pop("code", None) or next_client_code(), **fields)
    db.session.add(client)
    db.session.commit()
    return client


def make_consent(client, *, given_on: date | None = None, recorded_by: User | None = None,
                 services=(), share_organisations=(), **fields):
    """A consent she gave (verbal, keep records only, no expiry unless given)."""
    from outreach.consents.models import Consent, ConsentMedium

    fields.setdefault("form", ConsentMedium.VERBAL)
    fields.setdefault("keep_records", True)
    fields.setdefault("contact_services", bool(services))
    consent = Consent(
        client_id=client.id,
        given_on=given_on or local_today() - timedelta(days=10),
        recorded_by_id=(recorded_by.id if recorded_by else client.created_by_id),
        services=list(services),
        share_organisations=list(share_organisations),
        **fields,
    )
    db.session.add(consent)
    db.session.commit()
    return consent


def make_encounter(pair: Pair, *, created_by: User | None = None, **fields):
    """An anonymous encounter of the pair: today, one person, met by both."""
    from outreach.encounters.models import AgeGroup, AnonymousEncounter, MetBy

    fields.setdefault("met_on", local_today())
    fields.setdefault("area", "Kallio")
    fields.setdefault("age_group", AgeGroup.UNKNOWN)
    fields.setdefault("topics", ["housing"])
    fields.setdefault("people_count", 1)
    fields.setdefault("met_by", MetBy.BOTH)
    encounter = AnonymousEncounter(
        pair_id=pair.id, created_by_id=(created_by or pair.professional).id, **fields
    )
    db.session.add(encounter)
    db.session.commit()
    return encounter


def make_mapping(client, *, by: User | None = None, mapped_on: date | None = None,
                 ratings: dict | None = None, notes: dict | None = None,
                 what_matters_most: str | None = None):
    """A situation mapping with its ten domain rows; `ratings` maps LifeDomain (or its
    value) -> 1..5, the rest are not assessed."""
    from outreach.clients.choices import LifeDomain
    from outreach.mappings.models import Mapping, MappingRating

    ratings = {LifeDomain(k): v for k, v in (ratings or {}).items()}
    notes = {LifeDomain(k): v for k, v in (notes or {}).items()}
    mapping = Mapping(
        client_id=client.id,
        mapped_on=mapped_on or local_today(),
        what_matters_most=what_matters_most,
        created_by_id=(by.id if by else client.pair.professional_id),
        ratings=[MappingRating(domain=d, rating=ratings.get(d), notes=notes.get(d))
                 for d in LifeDomain],
    )
    db.session.add(mapping)
    db.session.commit()
    return mapping


def make_challenge(client, *, by: User | None = None, domain=None, description: str | None = None,
                   **fields):
    from outreach.clients.choices import LifeDomain
    from outreach.steps.models import Challenge

    challenge = Challenge(
        client_id=client.id,
        domain=LifeDomain(domain or LifeDomain.HOUSING),
        description=description or f"Haaste {next(_counter)}",
        created_by_id=(by.id if by else client.pair.professional_id),
        **fields,
    )
    db.session.add(challenge)
    db.session.commit()
    return challenge


def make_step(challenge, *, by: User | None = None, proposal: str | None = None,
              decision=None, **fields):
    """A step of the challenge; a decision other than pending is also kept in its history."""
    from outreach.core.clock import utcnow
    from outreach.steps.models import Assignee, Decision, Proposer, Step, StepDecision

    by_id = by.id if by else challenge.client.pair.professional_id
    decision = Decision(decision or Decision.PENDING)
    fields.setdefault("proposed_by", Proposer.PROFESSIONAL)
    fields.setdefault("assignee", Assignee.PAIR)
    step = Step(
        challenge_id=challenge.id,
        client_id=challenge.client_id,
        proposal=proposal or f"Askel {next(_counter)}",
        proposed_by_user_id=by_id,
        decision=decision,
        **fields,
    )
    if decision != Decision.PENDING:
        now = utcnow()
        step.decision_recorded_by_id = by_id
        step.decision_recorded_at = now
        step.decisions = [StepDecision(decision=decision, recorded_by_id=by_id, recorded_at=now)]
    db.session.add(step)
    db.session.commit()
    return step


def make_task(pair: Pair, *, title: str | None = None, assignee=None,
              created_by: User | None = None, **fields):
    """An open task of the pair (assigned to the pair together unless told)."""
    from outreach.tasks.models import Assignee, Task

    task = Task(
        pair_id=pair.id,
        title=title or f"Tehtävä {next(_counter)}",
        assignee=Assignee(assignee or Assignee.PAIR),
        created_by_id=(created_by.id if created_by else pair.professional_id),
        **fields,
    )
    db.session.add(task)
    db.session.commit()
    return task


def make_proposal(task, *, by: User | None = None, **fields):
    """A pending proposal by the pair's expert to change the task."""
    from outreach.tasks.models import TaskProposal

    proposal = TaskProposal(
        task_id=task.id, proposed_by_id=(by.id if by else task.pair.expert_id), **fields
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_contact(client, *, by: User | None = None, **fields):
    """A contact with her: now, 15 minutes on the street, by the pair's expert unless told.
    Keeps her last_contact_at as the app does."""
    from outreach.clients.models import Client
    from outreach.contacts.choices import Channel, Participants
    from outreach.contacts.models import Contact
    from outreach.core.clock import utcnow
    from outreach.core.time import aware

    by = by or client.pair.expert
    fields.setdefault("contacted_at", utcnow())
    fields.setdefault("duration_minutes", 15)
    fields.setdefault("channel", Channel.STREET)
    fields.setdefault("participants", Participants.EXPERT if by.role == Role.EXPERT
                      else Participants.PROFESSIONAL)
    fields.setdefault("topics", [])
    contact = Contact(client_id=client.id, pair_id=client.pair_id, created_by_id=by.id, **fields)
    db.session.add(contact)
    row = db.session.get(Client, client.id)
    if row.last_contact_at is None or aware(row.last_contact_at) < aware(contact.contacted_at):
        row.last_contact_at = contact.contacted_at
    db.session.commit()
    return contact


def make_accompaniment(client, *, service=None, by: User | None = None, **fields):
    """An accompaniment planned for tomorrow at the given service (a new one unless told),
    the expert going; pass outcome= and took_place_at= for one that took place."""

    from outreach.accompaniments.models import Accompaniment
    from outreach.contacts.choices import Participants

    service = service or make_service()
    fields.setdefault("purpose", f"Asiointi {next(_counter)}")
    fields.setdefault("who_went", Participants.EXPERT)
    if "took_place_at" not in fields:
        fields.setdefault("planned_at", utcnow().replace(microsecond=0)
                          + timedelta(days=1))
    record = Accompaniment(
        client_id=client.id, pair_id=client.pair_id, service_id=service.id,
        created_by_id=(by or client.pair.expert).id, **fields,
    )
    db.session.add(record)
    db.session.commit()
    return record


def make_network_contact(client, *, service=None, by: User | None = None, **fields):
    """The professional's contact with a service about her (a free-text organisation
    unless a service is given)."""
    from outreach.core.clock import utcnow
    from outreach.network.models import NetworkChannel, NetworkContact

    fields.setdefault("channel", NetworkChannel.PHONE)
    fields.setdefault("topic", f"Asia {next(_counter)}")
    fields.setdefault("contacted_at", utcnow())
    if service is None:
        fields.setdefault("organisation", "Järjestö ry")
    record = NetworkContact(
        client_id=client.id, pair_id=client.pair_id,
        service_id=service.id if service is not None else None,
        created_by_id=(by or client.pair.professional).id, **fields,
    )
    db.session.add(record)
    db.session.commit()
    return record


def make_group(pair, **fields) -> PeerGroup:
    fields.setdefault("name", "Naisten ryhmä")
    fields.setdefault("schedule", "Tiistaisin klo 13")
    fields.setdefault("created_by_id", pair.professional_id)
    group = PeerGroup(pair_id=pair.id, **fields)
    db.session.add(group)
    db.session.commit()
    return group


def make_session(group, *, held_on: date | None = None, parts=(), **fields) -> GroupSession:
    fields.setdefault("created_by_id", group.pair.professional_id)
    fields.setdefault("starts_at", time(13, 0))
    session = GroupSession(group_id=group.id,
                           held_on=held_on or local_today() - timedelta(days=7), **fields)
    session.parts = [
        GroupSessionPart(position=n, description=description, leader=Leader(leader))
        for n, (description, leader) in enumerate(parts)
    ]
    db.session.add(session)
    db.session.commit()
    return session


def make_round(pair: Pair, *, by: User | None = None, **fields) -> EvaluationRound:
    fields.setdefault("activity", Activity.OUTREACH)
    fields.setdefault("duration", "6 kuukautta")
    evaluation_round = EvaluationRound(pair_id=pair.id, opened_by_id=(by or pair.professional).id,
                                       **fields)
    db.session.add(evaluation_round)
    db.session.commit()
    return evaluation_round


def make_form(evaluation_round: EvaluationRound, user: User, values: dict | None = None, *,
              status: FormStatus = FormStatus.SUBMITTED, texts: dict | None = None,
              quotes: set | None = None) -> EvaluationForm:
    """A form of `user`; `values` item -> 1..5 (default: every statement 3); `texts` item ->
    text; `quotes`: the open items that may be quoted."""
    pair = evaluation_round.pair
    role = FormRole.PROFESSIONAL if user.id == pair.professional_id else FormRole.EXPERT
    if values is None:
        values = {item.key: 3 for item in form_items.statements(role)}
    form = EvaluationForm(round_id=evaluation_round.id, user_id=user.id, role=role,
                          status=status)
    for key, value in values.items():
        form.answers.append(EvaluationAnswer(item=key, value=value))
    for key, text in (texts or {}).items():
        form.answers.append(EvaluationAnswer(item=key, text=text,
                                             may_quote=key in (quotes or set())))
    db.session.add(form)
    db.session.commit()
    return form


def make_meeting(pair: Pair, *, kind=MeetingKind.PLANNING, held_on: date | None = None,
                 notes: str | None = "Muistiinpanot", created_by: User | None = None,
                 **fields) -> PairMeeting:
    author = created_by or pair.professional
    meeting = PairMeeting(
        pair_id=pair.id, kind=MeetingKind(kind), held_on=held_on or local_today(),
        notes=notes, created_by_id=author.id, **fields,
    )
    meeting.revisions.append(PairMeetingRevision(edited_by_id=author.id, is_creation=True,
                                                 changed_fields="kind,held_on,notes",
                                                 notes=notes))
    db.session.add(meeting)
    db.session.commit()
    return meeting


ACK_NOTE = "Juteltiin puhelimessa pitkään"


def make_checkin(pair: Pair, *, strain: int = 3, wants_to_talk: bool = False,
                 note: str | None = None, created_at: datetime | None = None,
                 acknowledged: bool = False) -> CheckIn:
    checkin = CheckIn(pair_id=pair.id, expert_id=pair.expert_id, strain=strain,
                      wants_to_talk=wants_to_talk, note=note,
                      created_at=created_at or utcnow() - timedelta(days=1))
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
                        body=body, created_at=created_at or utcnow() - timedelta(days=1), **fields)
    db.session.add(item)
    db.session.commit()
    return item
