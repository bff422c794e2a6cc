"""The pair tests' world (two pairs without agreements) and the agreement form's data."""


from outreach.pairs.models import EDITABLE_FIELDS
from tests.world import World
from tests.world import make_world as _make_world


def make_world() -> World:
    """The one test world's two pairs and people, each pair under a supervisor of its own,
    no agreement recorded yet (the pair tests record them), no clients."""
    return _make_world(confirmed=False, clients=False, other_supervisor="Outi Othersup")


def agreement_data(version, **fields) -> dict:
    """What a browser sends: every field of the form, empty unless given."""
    data = dict.fromkeys(EDITABLE_FIELDS, "")
    data.update({name: str(value) for name, value in fields.items()})
    data["version"] = str(version)
    return data
