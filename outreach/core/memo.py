"""Loads shared by the parts of one page.

A page built from parts that do not know each other (her page's sections, the home page's
panels) would otherwise load the same row once per part: her consent for the consent
section, the quick log and the mappings; the user's pairs for each home panel. Inside
`shared_loads()` the first part to ask loads it and the others get the same object.

Only read-only page renders open this scope: within it a write is not seen by a later
load of the same key, so a route that changes data never runs inside one."""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_loaded: ContextVar[dict | None] = ContextVar("shared_loads", default=None)


@contextmanager
def shared_loads() -> Iterator[None]:
    """Within this block `shared(key, load)` loads each key once."""
    token = _loaded.set({})
    try:
        yield
    finally:
        _loaded.reset(token)


def shared(key: Hashable, load: Callable[[], T]) -> T:
    """`load()`, or what it gave for `key` earlier in the same `shared_loads()` block."""
    loaded = _loaded.get()
    if loaded is None:
        return load()
    if key not in loaded:
        loaded[key] = load()
    return loaded[key]


def remember(key: Hashable, value) -> None:
    """Give `key` a value loaded some other way (with her record, in the same query)."""
    loaded = _loaded.get()
    if loaded is not None:
        loaded[key] = value


def has_shared_loads() -> bool:
    """Whether a page's parts share their loads here (inside `shared_loads()`)."""
    return _loaded.get() is not None
