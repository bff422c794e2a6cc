from tests.outing_helpers import real_clock, world  # noqa: F401 - the outings world
