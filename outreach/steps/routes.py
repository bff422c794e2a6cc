"""Challenges and steps under a client. Both partners create them and record her decisions;
the expert records them quickly from a phone (three buttons, swapped in place by htmx)."""


import sqlalchemy as sa
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from outreach.auth.access import allow_roles
from outreach.auth.models import Role
from outreach.clients.record_views import ClientRecordViews
from outreach.consents.queries import can_record, require_consent
from outreach.core.clock import utcnow
from outreach.core.forms import name_of
from outreach.core.time import local_today
from outreach.core.views import is_section_request, section
from outreach.extensions import db
from outreach.record_views import Messages
from outreach.scope import PARTNERS, client_or_404, reads_only
from outreach.steps import choices as names
from outreach.steps import queries
from outreach.steps.forms import (
    ChallengeForm,
    CloseChallengeForm,
    DecisionForm,
    StepEditForm,
    StepForm,
)
from outreach.steps.models import (
    RECORDED_DECISIONS,
    Challenge,
    ChallengeStatus,
    Decision,
    Step,
    StepDecision,
)
from outreach.web import form_page, render

bp = Blueprint("steps", __name__, url_prefix="/clients/<int:client_id>/challenges")


def _names() -> dict:
    return {
        "names": names,
        "name_of": name_of,
        "recorded_decisions": RECORDED_DECISIONS,
    }


def _index_url(client_id: int, anchor: str | None = None) -> str:
    return url_for("steps.index", client_id=client_id, _anchor=anchor)


def _index_page(client, status: int = 200, **context):
    open_, closed = queries.challenges_of(client)
    return render(
        "steps/index.html",
        status=status,
        client=client,
        open_challenges=open_,
        closed_challenges=closed,
        # A supervisor reading through a consultation records nothing.
        may_record=can_record(client) and not reads_only(current_user),
        **_names(),
        **context,
    )


@bp.get("/")
# Read only: also the pair's supervisor, for a client a consultation opens to her
# (the scope is clients_of; outreach.consultations).
@allow_roles(*PARTNERS, Role.SUPERVISOR)
def index(client_id: int):
    client = client_or_404(current_user, client_id)
    return _index_page(client)


@bp.route("/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new_challenge(client_id: int):
    client = client_or_404(current_user, client_id)
    require_consent(client)
    form = ChallengeForm()
    if form.validate_on_submit():
        challenge = Challenge(
            client=client,
            domain=form.domain.data,
            description=form.description.data,
            created_by_id=current_user.id,
        )
        db.session.add(challenge)
        client.touch()
        db.session.commit()
        flash(_("The challenge was added. Next, break it into small steps."), "success")
        return redirect(_index_url(client.id, f"challenge-{challenge.id}"))
    return form_page("steps/challenge_new.html", form, client=client)


@bp.route("/<int:challenge_id>/steps/new", methods=["GET", "POST"])
@allow_roles(*PARTNERS)
def new_step(client_id: int, challenge_id: int):
    client = client_or_404(current_user, client_id)
    challenge = queries.challenge_or_404(client, challenge_id)
    require_consent(client)
    if not challenge.is_open:
        return _closed(client, challenge)
    form = StepForm()
    if form.validate_on_submit():
        step = Step(
            challenge=challenge,
            client_id=client.id,
            proposal=form.proposal.data,
            proposed_by=form.proposed_by.data,
            proposed_by_user_id=current_user.id,
            assignee=form.assignee.data,
            due_on=form.due_on.data,
        )
        db.session.add(step)
        if form.decision.data != Decision.PENDING:
            _decide(step, form.decision.data, None)
        client.touch()
        db.session.commit()
        flash(_("The step was added."), "success")
        return redirect(_index_url(client.id, f"step-{step.id}"))
    return form_page("steps/step_new.html", form, client=client, challenge=challenge, **_names())


def _decide(step: Step, decision: Decision, note: str | None) -> None:
    """Her decision on the step, by the signed-in partner; the earlier ones are kept."""
    now = utcnow()
    step.decision = decision
    step.decision_recorded_by_id = current_user.id
    step.decision_recorded_at = now
    db.session.add(StepDecision(step=step, decision=decision, recorded_by_id=current_user.id,
                                recorded_at=now, note=note or None))


def _is_row_request(step: Step) -> bool:
    return is_section_request(f"step-{step.id}")


def _row(client, step: Step, status: int = 200, form: DecisionForm | None = None,
         message: str | None = None, kind: str = "success"):
    """The step's row alone, for htmx to swap in place; the message also goes to the page's
    live region (out of band) so that a screen reader hears it."""
    return section(
        "steps/index.html", status, block="step_row", client=client, step=step,
        challenge=step.challenge, may_record=True, decision_form=form, row_message=message,
        row_message_kind=kind, oob_message=message if kind == "success" else None, **_names(),
    )


@bp.post("/steps/<int:step_id>/decision")
@allow_roles(*PARTNERS)
def record_decision(client_id: int, step_id: int):
    client = client_or_404(current_user, client_id)
    step = queries.step_or_404(client, step_id)
    require_consent(client)
    if not step.challenge.is_open:
        return _closed(client, step.challenge, step)
    form = DecisionForm()
    if not form.validate_on_submit():
        if _is_row_request(step):
            return _row(client, step, 422, form=form)
        return _index_page(client, 422, decision_errors={step.id: form.decision.errors
                                                          + form.note.errors})
    _decide(step, form.decision.data, form.note.data)
    client.touch()
    try:
        db.session.commit()
    except StaleDataError:
        # The partner recorded a decision on the same step at the very same moment.
        db.session.rollback()
        db.session.expire_all()
        step = queries.step_or_404(client, step_id)
        message = _("Your partner recorded a decision on this step at the same time. Check it "
                    "and record hers again if needed.")
        if _is_row_request(step):
            return _row(client, step, 409, message=message, kind="warning")
        flash(message, "warning")
        return redirect(_index_url(client.id, f"step-{step.id}"))
    message = _("Her decision was recorded: %(decision)s.",
                decision=name_of(names.DECISION_NAMES, step.decision))
    if _is_row_request(step):
        db.session.expire_all()
        return _row(client, queries.step_or_404(client, step_id), message=message)
    flash(message, "success")
    return redirect(_index_url(client.id, f"step-{step.id}"))


class StepViews(ClientRecordViews):
    """Editing a step; her decisions are recorded apart (above), so every change is kept."""

    model = Step
    id_arg = "step_id"
    record_var = "step"
    edit_form = StepEditForm
    form_template = "steps/step_edit.html"
    messages = Messages(saved=_l("The step was saved."))
    urls = {"edit_step": "/steps/<int:{id}>/edit"}
    renamed = {"edit_step": "edit"}

    def record_or_404(self, client, ident):
        return queries.step_or_404(client, ident)

    def refuse(self, user, client, record=None):
        super().refuse(user, client, record)
        if not record.challenge.is_open:
            return _closed(client, record.challenge, record)
        return None

    def page_context(self, user, client, form, record) -> dict:
        return {"challenge": record.challenge, **_names()}

    def apply(self, form, record, user, client) -> None:
        super().apply(form, record, user, client)
        client.touch()

    def saved_url(self, client, record) -> str:
        return _index_url(client.id, f"step-{record.id}")


StepViews().register(bp, {"edit_step": allow_roles(*PARTNERS)})


@bp.post("/<int:challenge_id>/close")
@allow_roles(*PARTNERS)
def close_challenge(client_id: int, challenge_id: int):
    """Closing needs no consent: it records nothing new about her, it ends the work."""
    client = client_or_404(current_user, client_id)
    challenge = queries.challenge_or_404(client, challenge_id)
    form = CloseChallengeForm()
    if not form.validate_on_submit():
        return _index_page(client, 422, close_errors={challenge.id: form.status.errors})
    # Only an open challenge: two partners closing it at once cannot both win.
    result = db.session.execute(
        sa.update(Challenge)
        .where(Challenge.id == challenge.id, Challenge.status == ChallengeStatus.OPEN)
        .values(
            status=form.status.data,
            closed_on=local_today(),
            closed_by_id=current_user.id,
            version=Challenge.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount == 0:
        flash(_("The challenge had already been closed."), "warning")
    elif form.status.data == ChallengeStatus.RESOLVED:
        flash(_("The challenge was closed as resolved."), "success")
    else:
        flash(_("The challenge was closed as no longer relevant."), "success")
    return redirect(_index_url(client.id, f"challenge-{challenge.id}"))


def _closed(client, challenge: Challenge, step: Step | None = None):
    """A closed challenge is kept as it was: no new steps, decisions or edits (409)."""
    message = _("This challenge has been closed, so its steps can no longer be changed.")
    if step is not None and _is_row_request(step):
        return _row(client, step, 409, message=message, kind="warning")
    return _index_page(client, 409, page_message=message)
