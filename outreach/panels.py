"""Panels other domains add to a shared page (the pair page, the home page).

A domain registers a panel when its routes module is imported; the page renders each
registered panel's partial with what its loader returns, in `order`. A loader returns
None when the panel has nothing to show for this user (wrong role, nothing waiting), and
must run a fixed number of queries whatever the data size (page query counts are tested).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import render_template
from markupsafe import Markup


@dataclass(frozen=True)
class Panel:
    name: str  # also the element id of the panel on the page
    template: str  # a partial under templates/, given the page's subject and what `load` returns
    load: Callable[..., dict | None]
    order: int = 50


@dataclass
class PanelRegistry:
    """One page's panels: `subject` names what the partial receives (e.g. "pair")."""

    subject: str | None = None
    panels: dict[str, Panel] = field(default_factory=dict)

    def register(self, name: str, template: str, load: Callable[..., dict | None],
                 order: int = 50) -> None:
        self.panels[name] = Panel(name, template, load, order)

    def render(self, *args, **context) -> list[tuple[Panel, Markup]]:
        """Each panel with something to show, rendered: load(*args) -> context or None."""
        rendered = []
        for panel in sorted(self.panels.values(), key=lambda p: (p.order, p.name)):
            data = panel.load(*args)
            if data is None:
                continue
            html = render_template(panel.template, panel=panel, **context, **data)
            rendered.append((panel, Markup(html)))  # noqa: S704 - rendered by Jinja, autoescaped
        return rendered


# The pair page: load(pair, user, today) -> dict | None; partials get `pair` and `today`.
PAIR_PANELS = PanelRegistry("pair")
# The home page: load(user, today) -> dict | None; partials get `today`.
HOME_PANELS = PanelRegistry()
# The profile page: load(user) -> dict | None; partials get the page's context.
PROFILE_PANELS = PanelRegistry()
