"""Permission matrix (issue 9, DESIGN.md §3): every route of the URL map, every role, an
object of the user's own pair and one of another pair, page and htmx fragment alike.

The expectations are data in tests/permission_matrix.py. A route without an entry there
fails `test_every_route_has_an_entry`, so a new route cannot slip in undeclared.

One app and one world per module (building them per test would take minutes): requests
that read use the shared world; requests that write get objects made for that test alone
(a fresh pair of the same people), so that no test sees another test's changes.
"""

import re
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Blueprint

from outreach import create_app
from outreach.auth.access import allow_signed_in
from outreach.core.time import local_today
from outreach.extensions import db
from tests import factories
from tests import permission_matrix as pm
from tests.conftest import TEST_DATABASE_URL, _make_app, make_config
from tests.database import clear_database
from tests.world import World, confirmed_pair, make_world

ALLOWED = {200, 204, 302, 303, 409, 422}
SIDES = ("own", "other")


# --- The URL map, read once at collection ---------------------------------------------------


def routes_of(app) -> dict[str, tuple[set[str], set[str]]]:
    """endpoint -> (methods, argument names), every route but static files."""
    routes: dict[str, tuple[set[str], set[str]]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods, arguments = routes.setdefault(rule.endpoint, (set(), set()))
        methods |= (rule.methods or set()) - {"HEAD", "OPTIONS"}
        arguments |= set(rule.arguments)
    return routes


def _last_arguments(app) -> dict[str, str]:
    """endpoint -> the last pair-scoped argument of its URL (the contact in
    /clients/<client_id>/contacts/<contact_id>), for routes with two or more of them."""
    last = {}
    for rule in app.url_map.iter_rules():
        names = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule)  # in path order
        scoped = [name for name in names if name not in pm.GLOBAL_ARGUMENTS]
        if len(scoped) > 1:
            last[rule.endpoint] = scoped[-1]
    return last


def _url_map():
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(make_config(Path(tmp)))
        return routes_of(app), _last_arguments(app)


ROUTES, LAST_ARGUMENT = _url_map()


def missing_entries(routes) -> list[str]:
    return sorted(
        f"{endpoint} {method}"
        for endpoint, (methods, _args) in routes.items()
        for method in methods
        if method not in pm.MATRIX.get(endpoint, {})
    )


def _object_key(endpoint: str, argument: str) -> str | None:
    blueprint = endpoint.split(".", 1)[0]
    for key in (f"{blueprint}.{argument}", argument):
        if key in pm.OBJECTS:
            return key
    return None


def _split(key: str) -> tuple[str, dict[str, str]]:
    """"tasks.week?pair=pair_id" -> ("tasks.week", {"pair": "pair_id"})."""
    endpoint, _, query = key.partition("?")
    return endpoint, dict(part.partition("=")[::2] for part in query.split("&") if part)


def _is_object_route(key: str) -> bool:
    endpoint, query = _split(key)
    return bool(query) or bool(ROUTES[endpoint][1] - pm.GLOBAL_ARGUMENTS)


@dataclass(frozen=True)
class Case:
    key: str  # the matrix key: the endpoint, perhaps with objects in the query string
    method: str
    role: str
    side: str | None  # "own", "other", or None for a route without a pair's object
    expected: str
    hx_target: str | None = None

    def __str__(self):
        method = self.method + ("+htmx" if self.hx_target else "")
        return "-".join(filter(None, (self.key, method, self.role, self.side)))

    @property
    def endpoint(self) -> str:
        return _split(self.key)[0]


def _expected(cell: str, side: str | None) -> str:
    own, _, other = cell.partition("/")
    # "mixed": her own client in the URL, another pair's contact after it; as another pair's.
    return other if side in ("other", "mixed") and other else own


def _cases() -> list[Case]:
    cases = []
    htmx = {(endpoint, method): target for endpoint, method, target in pm.HTMX}
    for key, methods in sorted(pm.MATRIX.items()):
        endpoint = _split(key)[0]
        if endpoint not in ROUTES:
            continue  # reported by test_no_entry_for_a_route_that_is_gone
        sides = SIDES if _is_object_route(key) else (None,)
        if endpoint in LAST_ARGUMENT:
            sides = (*sides, "mixed")
        for method, row in sorted(methods.items()):
            if method not in ROUTES[endpoint][0] or len(row) != len(pm.ROLES):
                continue  # reported by the tests of the matrix itself
            targets = [None] + ([htmx[key, method]] if (key, method) in htmx else [])
            for target in targets:
                for role, cell in zip(pm.ROLES, row, strict=True):
                    for side in sides:
                        cases.append(Case(key, method, role, side, _expected(cell, side),
                                          target))
    return cases


CASES = _cases()


# --- The matrix itself ------------------------------------------------------------------------


def test_a_new_route_without_an_entry_is_noticed(tmp_path):
    app = create_app(make_config(tmp_path))
    bp = Blueprint("newcomer", __name__)

    @bp.route("/newcomer/<int:pair_id>", methods=["GET", "POST"])
    @allow_signed_in
    def page(pair_id):
        return "new"

    app.register_blueprint(bp)
    noticed = set(missing_entries(routes_of(app))) - set(missing_entries(ROUTES))
    assert noticed == {"newcomer.page GET", "newcomer.page POST"}


def test_every_route_has_an_entry():
    missing = missing_entries(ROUTES)
    assert not missing, (
        "Routes without an entry in tests/permission_matrix.py (who may use them, for own "
        "and other pairs' objects?):\n  " + "\n  ".join(missing)
    )


def test_no_entry_for_a_route_that_is_gone():
    gone = sorted(
        f"{key} {method}"
        for key, methods in pm.MATRIX.items()
        for method in methods
        if _split(key)[0] not in ROUTES or method not in ROUTES[_split(key)[0]][0]
    )
    assert not gone, "Entries for routes that no longer exist:\n  " + "\n  ".join(gone)
    stale_htmx = [
        f"{key} {method}" for key, method, _target in pm.HTMX
        if method not in pm.MATRIX.get(key, {})
    ]
    assert not stale_htmx, "htmx entries without a matrix entry: " + ", ".join(stale_htmx)


def test_every_object_in_a_url_can_be_made():
    unknown = sorted(
        f"{endpoint}: <{argument}>"
        for endpoint, (_methods, arguments) in ROUTES.items()
        for argument in arguments
        if _object_key(endpoint, argument) is None
    ) + sorted(
        f"{key}: {name}={made}"
        for key in pm.MATRIX
        for name, made in _split(key)[1].items()
        if made not in pm.OBJECTS
    )
    assert not unknown, (
        "URL arguments with no maker in permission_matrix.OBJECTS:\n  " + "\n  ".join(unknown)
    )


def test_cells_are_well_formed():
    values = {"ok", "403", "404", "login"}
    bad = []
    for key, methods in pm.MATRIX.items():
        for method, row in methods.items():
            if len(row) != len(pm.ROLES):
                bad.append(f"{key} {method}: {len(row)} cells for {len(pm.ROLES)} roles")
                continue
            for role, cell in zip(pm.ROLES, row, strict=True):
                parts = cell.split("/")
                if len(parts) > 2 or not set(parts) <= values:
                    bad.append(f"{key} {method} {role}: {cell!r}")
                elif len(parts) == 2 and _split(key)[0] in ROUTES and not _is_object_route(key):
                    bad.append(f"{key} {method} {role}: {cell!r} but no pair's object in the URL")
                elif "login" in parts and role != "anonymous":
                    bad.append(f"{key} {method} {role}: only anonymous is sent to sign in")
    assert not bad, "\n".join(bad)


def test_the_matrix_has_cases():
    # Guard against a collection that silently parametrizes nothing.
    assert len(CASES) > 500


# --- The world ------------------------------------------------------------------------------


class Side:
    """One pair's side of the world: its pair and, made on first use, one object of each
    kind a URL can name (a contact of the same client as in the same URL, and so on)."""

    def __init__(self, name: str, pair):
        self.name = name
        self.pair = pair
        self.client_names: list[str] = []  # her name must not show where she is not theirs
        self._made = {}

    def get(self, key: str):
        if key not in self._made:
            self._made[key] = pm.OBJECTS[key](self)
        return self._made[key]


def side_of(world: World, sides: dict[str, Side], name: str, *, fresh: bool) -> Side:
    """That side as the world has it or, for a request that changes something, a fresh
    active pair of the same people (the confidentiality agreement recorded)."""
    if not fresh:
        return sides[name]
    model = world.pair if name == "own" else world.other_pair
    return Side(name, confirmed_pair(professional=model.professional, expert=model.expert,
                                     supervisor=model.supervisor, starts_on=model.starts_on))


def hidden_names(sides: dict[str, Side], role: str, side: Side) -> list[str]:
    """Names of women this role must not see here: every woman for the administrator
    and the supervisor (no client content, no consultation in this world), another
    pair's women for the partners."""
    every = [*sides.values(), side]
    if role in ("professional", "expert"):
        every = [s for s in every if s.name == "other"]
    return sorted({name for s in every for name in s.client_names})


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    app = _make_app(tmp_path_factory.mktemp("matrix"), {"RATELIMIT_ENABLED": False})
    with app.app_context():
        yield app
        db.session.remove()
        if TEST_DATABASE_URL:
            clear_database()
        db.engine.dispose()


def matrix_world() -> World:
    """The one test world (tests/world.py): each pair active for 60 days with the
    confidentiality agreement recorded, the other pair under a supervisor of its own; its
    clients are the sides' (below)."""
    return make_world(clients=False, other_supervisor="Olli Other",
                      starts_on=local_today() - timedelta(days=60))


def make_sides(world: World) -> dict[str, Side]:
    """Our pair's side and the other pair's, each with a client whose name no outsider may
    see."""
    sides = {"own": Side("own", world.pair), "other": Side("other", world.other_pair)}
    for side in sides.values():
        side.get("client_id")
    return sides


class SidedWorld:
    """The world with its two sides in one object (the hostile-input tests)."""

    def __init__(self, world: World | None = None):
        self.world = world or matrix_world()
        self.sides = make_sides(self.world)
        self._unchanged: dict[str, Side] = {}

    def side(self, name: str, *, fresh: bool) -> Side:
        if fresh and name in self._unchanged:
            return self._unchanged.pop(name)
        return side_of(self.world, self.sides, name, fresh=fresh)

    def give_back(self, side: Side) -> None:
        """A fresh side no request changed: the next test that asks for a fresh side gets
        it (making one, a pair with an object of every kind, costs ~0.3 s)."""
        self._unchanged[side.name] = side

    def hidden_names(self, role: str, side: Side) -> list[str]:
        return hidden_names(self.sides, role, side)

    def user(self, role: str):
        return self.world.actor(role)


@pytest.fixture(scope="module")
def world(matrix_app) -> World:
    return matrix_world()


@pytest.fixture(scope="module")
def sides(world) -> dict[str, Side]:
    return make_sides(world)


@pytest.fixture(scope="module")
def signed_in(matrix_app, world):
    """A test client per role, signed in once (signing in for each of the ~1,500 requests
    would double the time); `forget(role)` after a request that signs out."""
    clients = {}

    def client_for(role: str):
        if role not in clients:
            client = matrix_app.test_client()
            user = world.actor(role)
            if user is not None:
                response = client.post("/login", data={"email": user.email,
                                                       "password": factories.PASSWORD})
                assert response.status_code == 302, f"{user.email} could not sign in"
                assert not _to_sign_in(response.headers.get("Location"))
            clients[role] = client
        return clients[role]

    client_for.forget = lambda role: clients.pop(role, None)
    return client_for


def _value(made):
    return made if isinstance(made, (str, int)) else made.id


def _url(app, case: Case, side: Side, sides: dict[str, Side]) -> str:
    endpoint, query = _split(case.key)
    values = {argument: _value(side.get(_object_key(endpoint, argument)))
              for argument in ROUTES[endpoint][1]}
    if case.side == "mixed":
        # The own pair's objects, but the last one another pair's: it must not be reached
        # through a URL whose first part the user may open.
        last = LAST_ARGUMENT[endpoint]
        values[last] = _value(sides["other"].get(_object_key(endpoint, last)))
    # Query-string values the URL rule does not take become ?name=value.
    values.update({name: _value(side.get(made)) for name, made in query.items()})
    return app.url_map.bind("localhost").build(endpoint, values, method=case.method)


def _to_sign_in(location: str | None) -> bool:
    return bool(location) and urlsplit(location).path == "/login"


# --- Every route × role × own/other pair --------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=str)
def test_access(matrix_app, world, sides, signed_in, case):
    writes = case.method != "GET"
    # A request that is to change something gets objects of its own (a refused one that
    # changed something fails here anyway).
    side = side_of(world, sides, "other" if case.side == "other" else "own",
                   fresh=writes and case.expected == "ok")
    url = _url(matrix_app, case, side, sides)
    client = signed_in(case.role)
    if case.endpoint in pm.SIGN_OUT:
        signed_in.forget(case.role)
    headers = {"HX-Request": "true", "HX-Target": case.hx_target} if case.hx_target else {}
    if writes:
        data = pm.POST_DATA[case.endpoint](side) if case.endpoint in pm.POST_DATA else {}
        response = client.open(url, method=case.method, data=data, headers=headers)
    else:
        response = client.get(url, headers=headers)

    status, location = response.status_code, response.headers.get("Location")
    answer = f"{case.method} {url} as {case.role}: {status} {location or ''}".rstrip()
    assert status != 500, answer
    match case.expected:
        case "login" if case.hx_target:
            # Never a login form swapped into the fragment: the whole page goes there.
            assert status == 200 and _to_sign_in(response.headers.get("HX-Redirect")), answer
        case "login":
            assert status == 302 and _to_sign_in(location), answer
        case "ok":
            assert status in ALLOWED, f"expected allowed, got {answer}"
            assert case.endpoint in pm.SIGN_OUT or not _to_sign_in(location), answer
            # Binary answers (an XLSX file) too: their text parts are still searched.
            body = response.get_data().decode("utf-8", "replace")
            if case.hx_target and status == 200:
                assert not body.lstrip().lower().startswith("<!doctype"), (
                    f"a whole page, not a fragment: {answer}")
            shown = [name for name in hidden_names(sides, case.role, side) if name in body]
            assert not shown, f"{answer} shows a woman who is not theirs: {shown}"
        case _:
            assert status == int(case.expected), f"expected {case.expected}, got {answer}"
