"""The fixed lists of challenges and steps, with their names in the user's language."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ChallengeStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    NO_LONGER_RELEVANT = "no_longer_relevant"


CLOSED_STATUSES = (ChallengeStatus.RESOLVED, ChallengeStatus.NO_LONGER_RELEVANT)


class Proposer(StrEnum):
    """Who proposed the step."""

    PROFESSIONAL = "professional"
    EXPERT = "expert"
    WOMAN = "woman"
    TOGETHER = "together"


class Decision(StrEnum):
    """Her decision on a proposed step."""

    PENDING = "pending"  # no decision yet
    AGREED = "agreed"
    WANTS_TO_THINK = "wants_to_think"
    DECLINED = "declined"


# The decisions a person records for her (pending is only the starting point).
RECORDED_DECISIONS = (Decision.AGREED, Decision.WANTS_TO_THINK, Decision.DECLINED)


class Assignee(StrEnum):
    PROFESSIONAL = "professional"
    EXPERT = "expert"
    PAIR = "pair"
    WOMAN = "woman"


class StepState(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


CHALLENGE_STATUS_NAMES = {
    ChallengeStatus.OPEN: _l("Open"),
    ChallengeStatus.RESOLVED: _l("Resolved"),
    ChallengeStatus.NO_LONGER_RELEVANT: _l("No longer relevant"),
}

PROPOSER_NAMES = {
    Proposer.PROFESSIONAL: _l("The professional"),
    Proposer.EXPERT: _l("The experience expert"),
    Proposer.WOMAN: _l("She herself"),
    Proposer.TOGETHER: _l("Together"),
}

DECISION_NAMES = {
    Decision.PENDING: _l("No decision yet"),
    Decision.AGREED: _l("Agreed"),
    Decision.WANTS_TO_THINK: _l("Wants to think"),
    Decision.DECLINED: _l("Declined"),
}

ASSIGNEE_NAMES = {
    Assignee.PROFESSIONAL: _l("The professional"),
    Assignee.EXPERT: _l("The experience expert"),
    Assignee.PAIR: _l("The pair together"),
    Assignee.WOMAN: _l("She herself"),
}

STEP_STATE_NAMES = {
    StepState.OPEN: _l("Open"),
    StepState.DONE: _l("Done"),
    StepState.DROPPED: _l("Dropped"),
}


