"""The well-being and feedback tests' world: the one test world's two pairs and people, each
pair under a supervisor of its own, no agreements and no clients; the concern they share."""

from tests.world import World
from tests.world import make_world as _make_world

NOTE = "Uniikki huoli: en saa unta yhden naisen tilanteen takia"


def make_world() -> World:
    return _make_world(confirmed=False, clients=False, other_supervisor="Oona Otherboss")
