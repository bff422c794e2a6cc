"""Sections of the client page contributed by other domains (consent, mappings, steps...).

A domain registers a section when its routes module is imported; the client page renders
each registered section's template with what its loader returns. Loaders must run a
fixed number of queries (the client page's query count is tested)."""

from collections.abc import Callable
from dataclasses import dataclass

from outreach.auth.models import User
from outreach.scope import reads_only


@dataclass(frozen=True)
class Section:
    name: str  # also the element id of the section on the page
    template: str  # a partial under templates/, given `client` and what `load` returns
    load: Callable[..., dict]  # load(client, user) -> template context
    order: int = 50
    # False: a section only for changing her record (a quick-log form), not shown to a
    # supervisor reading it through a consultation.
    for_readers: bool = True


SECTIONS: dict[str, Section] = {}


def register_section(name: str, template: str, load: Callable[..., dict], order: int = 50,
                     for_readers: bool = True):
    SECTIONS[name] = Section(name, template, load, order, for_readers)


def sections_for(client, user: User) -> list[tuple[Section, dict]]:
    reader = reads_only(user)
    return [
        (section, section.load(client, user))
        for section in sorted(SECTIONS.values(), key=lambda s: (s.order, s.name))
        if section.for_readers or not reader
    ]
