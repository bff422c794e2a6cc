"""A woman with a record in every table that holds data about her, every free text marked
with a word of her own, so that a search of the whole database finds what is left."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.cli import ScriptInfo

from outreach.accompaniments.models import Accompaniment, Outcome
from outreach.auth.models import Role
from outreach.clients.choices import ClientStatus, LifeDomain, LivingSituation
from outreach.clients.models import Client, ClientStatusChange, ClientTransfer
from outreach.consultations.models import Consultation
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.drafts.models import Draft
from outreach.extensions import db
from outreach.network.models import NetworkChannel, NetworkContact
from outreach.services.models import ServiceKind
from outreach.steps.models import StepDecision
from outreach.tasks.models import ProposalStatus, TaskOrigin, TaskProposal, TaskStatus
from tests import factories
from tests.world import confirmed_pair


@dataclass
class Woman:
    client: Client
    marker: str  # in every free text about her
    name: str
    phone: str
    place: str


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def make_woman(pair, *, marker: str, year: int, status=ClientStatus.ACTIVE,
               closed_on: date | None = None, living=LivingSituation.STREET,
               other_pair=None, phone: str = "040 000 9911") -> Woman:
    """Her record with texts in every table about her, and work done in `year`."""
    pro, expert = pair.professional, pair.expert
    name, place = f"{marker}nimi", f"{marker} puistonpenkki"
    her = factories.make_client(
        pair, name=name, birth_year=1970, phone=phone, usual_place=place,
        living_situation=living, safety_notes=f"{marker} entinen puoliso etsii",
        created_at=at(date(year, 1, 10)),
    )
    factories.make_consent(her, given_on=date(year, 1, 10))
    day = date(year, 3, 1)
    for n, mapped_on in enumerate((date(year, 2, 1), date(year, 9, 1))):
        factories.make_mapping(
            her, mapped_on=mapped_on, what_matters_most=f"{marker} tytär {n}",
            ratings={LifeDomain.HOUSING: 1 + n, LifeDomain.MENTAL_HEALTH: 3,
                     LifeDomain.SUBSTANCE_USE: 2 + n},
            notes={LifeDomain.HOUSING: f"{marker} häätö {n}",
                   LifeDomain.SUBSTANCE_USE: f"{marker} päihteet {n}"},
        )
    challenge = factories.make_challenge(her, description=f"{marker} velat ulosotossa")
    step = factories.make_step(challenge, proposal=f"{marker} soitetaan velkaneuvontaan",
                               decision="agreed")
    step.decisions[0].note = f"{marker} hän haluaa itse soittaa"
    step.created_at = at(day)
    step_task = factories.make_task(pair, title=f"{marker} velkaneuvonta", step_id=step.id,
                                    origin=TaskOrigin.STEP, client_id=her.id)
    task = factories.make_task(pair, title=f"{marker} hae Kelan päätös", client_id=her.id,
                               status=TaskStatus.DROPPED,
                               drop_reason=f"{marker} muutti pois")
    db.session.add(TaskProposal(task_id=step_task.id, proposed_by_id=expert.id,
                                note=f"{marker} siirretään ensi viikkoon",
                                status=ProposalStatus.PENDING))
    kela = factories.make_service(ServiceKind.KELA)
    health = factories.make_service(ServiceKind.HEALTH_CENTRE)
    contacts = []
    for n, (channel, minutes) in enumerate(((Channel.STREET, 20), (Channel.PHONE, 10),
                                            (Channel.STREET, 45))):
        contact = Contact(
            client_id=her.id, pair_id=pair.id, contacted_at=at(day + timedelta(days=7 * n)),
            duration_minutes=minutes, channel=channel, participants=Participants.EXPERT,
            topics=["housing", "daily_basics"], note=f"{marker} väsynyt {n}",
            created_by_id=expert.id, task_id=task.id if n == 0 else None,
        )
        db.session.add(contact)
        contacts.append(contact)
    for service, outcome, minutes in ((kela, Outcome.DONE, 90), (health, Outcome.DID_NOT_COME, 30)):
        db.session.add(Accompaniment(
            client_id=her.id, pair_id=pair.id, service_id=service.id,
            purpose=f"{marker} hakemus", took_place_at=at(day + timedelta(days=3)),
            minutes_spent=minutes, who_went=Participants.BOTH,
            expert_supported_interaction=True, outcome=outcome, outcome_recorded_by_id=pro.id,
            outcome_recorded_at=at(day + timedelta(days=3), 15),
            next_step=f"{marker} uusi aika", created_by_id=expert.id,
        ))
    db.session.add(NetworkContact(
        client_id=her.id, pair_id=pair.id, service_id=kela.id, person=f"{marker} Virkailija",
        channel=NetworkChannel.PHONE, topic=f"{marker} toimeentulotuki",
        outcome=f"{marker} päätös tulossa", next_step=f"{marker} soita uudestaan",
        contacted_at=at(day + timedelta(days=5)),
        consent_warning_overridden_reason=f"{marker} kiireellinen", created_by_id=pro.id,
    ))
    db.session.add(NetworkContact(
        client_id=her.id, pair_id=pair.id, organisation="Oulun sosiaalitoimi",
        channel=NetworkChannel.EMAIL, topic=f"{marker} muutto",
        contacted_at=at(day + timedelta(days=6)), created_by_id=pro.id,
    ))
    db.session.flush()
    db.session.add_all([
        Draft(user_id=expert.id, form_key=f"contact:new:client:{her.id}",
              data={"note": [f"{marker} luonnos"]}),
        Draft(user_id=expert.id, form_key=f"contact:edit:{contacts[0].id}",
              data={"note": [f"{marker} muokkaus"]}),
    ])
    # Her record opened to the supervisor for a week, ended early.
    db.session.add(Consultation(
        client_id=her.id, pair_id=pair.id,
        supervisor_id=pair.supervisor_id or factories.make_user(Role.SUPERVISOR).id,
        opened_by_id=pro.id, reason=f"{marker} pelkää menettävänsä asunnon",
        opened_at=at(day), ends_at=at(day + timedelta(days=7)),
        ended_at=at(day + timedelta(days=2)), ended_by_id=pro.id,
    ))
    if other_pair is not None:
        db.session.add(ClientTransfer(client_id=her.id, from_pair_id=other_pair.id,
                                      to_pair_id=pair.id, by_id=pro.id,
                                      note=f"{marker} siirto", at=at(date(year, 1, 11))))
    if status == ClientStatus.CLOSED:
        her.status = ClientStatus.CLOSED
        her.closed_on = closed_on
        her.closed_reason = f"{marker} muutti Ouluun"
        db.session.add(ClientStatusChange(client_id=her.id, status=ClientStatus.CLOSED,
                                          day=closed_on, reason=f"{marker} muutti Ouluun",
                                          created_by_id=pro.id))
    db.session.commit()
    return Woman(her, marker, name, phone, place)


def find_everywhere(needle: str) -> list[tuple[str, str, object]]:
    """(table, column, primary key) of every value in the database containing the text:
    every column of every table, cast to text (JSON included)."""
    found = []
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        for column in table.columns:
            rows = db.session.execute(
                sa.select(*keys).where(
                    sa.func.lower(sa.cast(column, sa.Text)).contains(needle.lower())
                )
            ).all()
            found.extend((table.name, column.name, tuple(row)) for row in rows)
    return found


@pytest.fixture
def pairs(app):
    return confirmed_pair(), confirmed_pair()


@pytest.fixture
def cli(app):
    """Run an `outreach` command against the test app (its own app context and session)."""
    from outreach.cli import main

    def run(*args):
        result = app.test_cli_runner().invoke(
            main, list(args), obj=ScriptInfo(create_app=lambda: app)
        )
        db.session.expire_all()
        return result

    return run


def decisions_of(step_id: int) -> list[StepDecision]:
    return list(db.session.scalars(sa.select(StepDecision).where(StepDecision.step_id == step_id)))
