"""Hostile input (issue 10): hypothesis-made requests to every form and query argument of
every route in the URL map, and HTML in every text field of the forms.

- Every POST route, as a role that may use it: bodies with unicode of every kind, NUL
  bytes, 100,000-character strings, wrong types, impossible dates, huge numbers, fields
  missing and repeated, another pair's ids. Never a 500 (nor any 5xx); a 422 shows its
  message in the user's language (Finnish here) and stores nothing.
- Every GET route: hostile values for every query argument it reads, and junk ones.
- Stored HTML: `<script>` in every text field of every form, then every page, fragment and
  export of every role: shown as text only, never as markup or as a spreadsheet formula.

What a route reads is learnt from the route (tests/hostile.py records the names a request
looks up in request.form / request.args, which includes every field of a FlaskForm) and
from the forms on its page; objects in URLs come from the permission matrix's world
(tests/permission_matrix.py OBJECTS), and who may use a route from its MATRIX. A route
added later is covered without a line here.

HOSTILE_EXAMPLES sets the examples per form (default 8; half as many per page's query).
"""

import csv
import io
import os
import re
import tempfile
import zipfile
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from outreach.auth.models import Role
from outreach.extensions import db
from tests import factories
from tests import hostile as h
from tests import permission_matrix as pm
from tests.conftest import TEST_DATABASE_URL, _make_app
from tests.database import clear_database
from tests.test_permission_matrix import (
    ROUTES,
    SidedWorld,
    _object_key,
    _split,
    _to_sign_in,
    _value,
)

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "8"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
QUERY_SETTINGS = settings(SETTINGS, max_examples=max(EXAMPLES // 2, 2))

SIGNED_IN_ROLES = ("professional", "expert", "supervisor", "admin")
# Reading her record is itself recorded (the access log): allowed on any answer.
WRITTEN_ON_READ = {"access_log"}
# Written by the route whatever the input: the key of a two-step setup being started; a
# wrong password, counted against the account in the database (outreach.auth.throttle).
WRITTEN_ANYWAY = {"profile.two_step_setup": {"user_account"}, "auth.login": {"signin_failure"}}
# Query arguments routes commonly read; a route's own are learnt from it.
COMMON_ARGS = ("q", "page", "sort", "status", "pair", "week", "period", "from", "to",
               "format", "lang", "next", "client", "year", "quarter", "month", "kind",
               "date", "day", "start", "end", "user", "outcome", "channel", "role")
HTMX_TARGETS = {}
for _key, _method, _target in pm.HTMX:
    HTMX_TARGETS.setdefault((_split(_key)[0], _method), _target)


def _endpoints(method: str) -> list[str]:
    return sorted(endpoint for endpoint, (methods, _args) in ROUTES.items() if method in methods)


def _roles(endpoint: str, method: str) -> tuple[str, ...]:
    """The roles that may use the route for their own pair's objects, per the matrix, the
    professional first (the tests below use the first). A route the matrix does not know
    yet (its test fails for that) is tried as the professional."""
    row = pm.MATRIX.get(endpoint, {}).get(method)
    if row is None:
        return SIGNED_IN_ROLES
    allowed = {role for role, cell in zip(pm.ROLES, row, strict=True)
               if cell.partition("/")[0] == "ok"}
    if "anonymous" in allowed:
        return ("anonymous",)
    return tuple(role for role in SIGNED_IN_ROLES if role in allowed)


def _url(app, endpoint: str, side, query: dict | None = None) -> str:
    db.session.expire_all()  # the requests have changed what the world's objects hold
    values = {}
    for argument in ROUTES[endpoint][1]:
        key = _object_key(endpoint, argument)
        if key is None:
            pytest.skip(f"<{argument}> of {endpoint} has no maker in permission_matrix.OBJECTS")
        values[argument] = _value(side.get(key))
    url = app.url_map.bind("localhost").build(endpoint, values)
    return url + ("?" + urlencode(query) if query else "")


def _matrix_queries(endpoint: str, side) -> list[dict]:
    """The objects the matrix puts in this route's query string ("tasks.week?pair=pair_id")."""
    return [{name: _value(side.get(made)) for name, made in _split(key)[1].items()}
            for key in pm.MATRIX if _split(key)[0] == endpoint and "?" in key]


def _encode(body: list[tuple[str, str | bytes]]) -> bytes:
    return urlencode(body).encode("ascii")


# --- The app, its world, signed-in clients --------------------------------------------------


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    app = _make_app(tmp_path_factory.mktemp("hostile"), {"RATELIMIT_ENABLED": False,
                                                                "REMEMBER_PAGES": False})
    app.request_class = h.RecordingRequest
    with app.app_context():
        yield app
        db.session.remove()
        if TEST_DATABASE_URL:
            clear_database()
        db.engine.dispose()


@pytest.fixture(scope="module")
def world(hostile_app):
    return SidedWorld()


def _other_ids(world) -> list[int]:
    other = world.sides["other"]
    keys = ("pair_id", "client_id", "task_id", "contact_id", "mapping_id", "step_id",
            "meeting_id", "group_id", "encounter_id", "checkin_id")
    return sorted({_value(other.get(key)) for key in keys if key in pm.OBJECTS})


class Clients:
    """A test client per (role, purpose), signed in once, in Finnish."""

    def __init__(self, app, world):
        self.app, self.world = app, world
        self._clients = {}

    def sign_in(self, user):
        client = self.app.test_client()
        if user is not None:
            response = client.post("/login", data={"email": user.email,
                                                   "password": factories.PASSWORD})
            assert response.status_code == 302 and not _to_sign_in(
                response.headers.get("Location")), f"{user.email} could not sign in"
        client.get("/login?lang=fi" if user is None else "/?lang=fi")
        return client

    def get(self, role: str, purpose: str = "post"):
        if (role, purpose) not in self._clients:
            self._clients[role, purpose] = self.sign_in(self.world.user(role))
        return self._clients[role, purpose]

    def forget(self, role: str, purpose: str = "post"):
        self._clients.pop((role, purpose), None)


@pytest.fixture(scope="module")
def clients(hostile_app, world):
    return Clients(hostile_app, world)


def _fresh_user_endpoint(endpoint: str) -> bool:
    """Routes about the signed-in account itself (password, profile, sign-out): each
    example is another user, so that a success does not change the next example's user."""
    return endpoint.split(".")[0] in ("auth", "profile") or endpoint in pm.SIGN_OUT


def _hidden_names_in(world, role, side, body: str) -> list[str]:
    return [name for name in world.hidden_names(role, side) if name in body]


# --- POST: every form --------------------------------------------------------------------------


class FormTarget:
    """One POST route as one role: its URL on a side of the world (a new side after a
    request that changed something), the body a browser would send, and its field names."""

    def __init__(self, app, world, clients, endpoint, role):
        self.app, self.world, self.clients = app, world, clients
        self.endpoint, self.role = endpoint, role
        self.side = None
        self.renew()
        self.names = sorted(self._learn_names())

    def renew(self):
        self.side = self.world.side("own", fresh=True)
        self.url = _url(self.app, self.endpoint, self.side)
        self.baseline = self._page_baseline()

    def client(self):
        if _fresh_user_endpoint(self.endpoint):
            user = None if self.role == "anonymous" else factories.make_user(Role(self.role))
            return self.clients.sign_in(user)
        return self.clients.get(self.role)

    def _page_form(self) -> h.Form | None:
        if "GET" not in ROUTES[self.endpoint][0]:
            return None
        page = self.client().get(self.url)
        if page.status_code != 200:
            return None
        path = urlsplit(self.url).path
        for form in h.forms_of(page.get_data(as_text=True)):
            if form.method == "post" and urlsplit(form.action or self.url).path == path:
                return form
        return None

    def _page_baseline(self) -> list[tuple[str, str]]:
        form = self._page_form()
        return [(n, v) for n, v in form.baseline() if n != "csrf_token"] if form else []

    def _learn_names(self) -> set[str]:
        form = self._page_form()
        with h.reading() as names:
            # A body that is not empty, so that Flask-WTF hands it to the forms.
            response = self.client().post(self.url, data=_encode(
                [*self.baseline, ("__probe__", "1")]),
                content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, f"POST {self.url} as {self.role}: the probe failed"
        if response.status_code < 400 or response.status_code == 409:
            self.renew()
        return (names | (form.names if form else set()) | {n for n, _ in self.baseline}) - {
            "csrf_token", "__probe__"}


@st.composite
def form_bodies(draw, names: list[str], baseline: list[tuple[str, str]], other_ids):
    values = h.hostile_values(other_ids)
    base = {}
    for name, value in baseline:
        base.setdefault(name, []).append(value)
    body = []
    for name in names:
        how = draw(st.sampled_from(("keep", "hostile", "hostile", "missing", "repeat")))
        if how == "keep":
            body += [(name, value) for value in base.get(name, [])]
        elif how == "hostile":
            body.append((name, draw(values)))
        elif how == "repeat":
            body += [(name, draw(values)) for _ in range(draw(st.integers(2, 3)))]
    junk = draw(st.lists(st.tuples(st.text(min_size=1, max_size=12), values), max_size=2))
    order = draw(st.permutations(range(len(body)))) if len(body) < 40 else range(len(body))
    return [body[i] for i in order] + junk


POST_CASES = [(endpoint, _roles(endpoint, "POST")[0]) for endpoint in _endpoints("POST")
              if _roles(endpoint, "POST")]


@pytest.mark.parametrize(("endpoint", "role"), POST_CASES, ids=[f"{e}-{r}" for e, r in POST_CASES])
def test_hostile_form_bodies(hostile_app, world, clients, endpoint, role):
    target = FormTarget(hostile_app, world, clients, endpoint, role)
    other_ids = _other_ids(world)
    htmx_target = HTMX_TARGETS.get((endpoint, "POST"))

    @SETTINGS
    @given(body=form_bodies(target.names, target.baseline, other_ids),
           htmx=st.booleans() if htmx_target else st.just(False))
    def send(body, htmx):
        headers = {"HX-Request": "true", "HX-Target": htmx_target} if htmx else {}
        client = target.client()
        before = h.row_counts(db.session)
        with h.WriteLog(db.engine) as writes:
            response = client.post(target.url, data=_encode(body), headers=headers,
                                   content_type="application/x-www-form-urlencoded")
        db.session.rollback()  # see what the request committed
        status = response.status_code
        answer = f"POST {target.url} as {role}: {status}"
        assert status < 500, answer
        page = response.get_data(as_text=True)
        assert not _hidden_names_in(world, role, target.side, page), answer
        if status == 422:
            _assert_refused_in_finnish(page, answer, sent=[v for _n, v in body])
            stored = sorted(set(writes.committed) - WRITTEN_ON_READ
                            - WRITTEN_ANYWAY.get(endpoint, set()))
            assert not stored, f"{answer} wrote to {stored}"
            after = h.row_counts(db.session)
            changed = ({t for t in before if before[t] != after[t]} - WRITTEN_ON_READ
                       - WRITTEN_ANYWAY.get(endpoint, set()))
            assert not changed, f"{answer} changed the number of rows of {sorted(changed)}"
        if _to_sign_in(response.headers.get("Location")) and not _fresh_user_endpoint(endpoint):
            clients.forget(role)
        if status < 400 or status == 409:
            target.renew()  # it may have been deleted, closed, ended...

    send()
    world.give_back(target.side)  # renewed after every request that may have changed it


def _assert_refused_in_finnish(page: str, answer: str, sent: list = ()):
    texts = h.error_texts(page)
    assert texts, f"{answer} without a message saying what is wrong"
    # What she typed may be shown back in the message ("… is not a date"): her words, in
    # whatever language, are not the app's. (Hypothesis also draws strings from the
    # source, such as English labels.)
    for value in sorted((v for v in sent if isinstance(v, str) and v.strip()), key=len,
                        reverse=True):
        texts = [text.replace(" ".join(value.split()), "") for text in texts]
    english = h.english_in(texts)
    assert not english, f"{answer}: messages in English on a Finnish page: {english}"


# --- GET: every query argument -----------------------------------------------------------------


class PageTarget:
    def __init__(self, app, world, clients, endpoint, role):
        self.app, self.world, self.endpoint, self.role = app, world, endpoint, role
        self.client = clients.get(role, "get")
        self.side = world.sides["own"]
        self.url = _url(app, endpoint, self.side)
        self.queries = [{}, *_matrix_queries(endpoint, self.side)]
        with h.reading() as names:
            for query in self.queries:
                response = self.client.get(self.url + ("?" + urlencode(query) if query else ""))
                assert response.status_code < 500, f"GET {self.url}: {response.status_code}"
        page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        path = urlsplit(self.url).path
        for form in h.forms_of(page):
            if form.method == "get" and urlsplit(form.action or self.url).path == path:
                names |= form.names
        self.names = sorted(names | set(COMMON_ARGS))


GET_CASES = [(endpoint, _roles(endpoint, "GET")[0]) for endpoint in _endpoints("GET")
             if _roles(endpoint, "GET")]


@pytest.mark.parametrize(("endpoint", "role"), GET_CASES, ids=[f"{e}-{r}" for e, r in GET_CASES])
def test_hostile_query_strings(hostile_app, world, clients, endpoint, role):
    target = PageTarget(hostile_app, world, clients, endpoint, role)
    values = h.hostile_values(_other_ids(world), h.QUERY_LONG_STRINGS)
    htmx_target = HTMX_TARGETS.get((endpoint, "GET"))

    @QUERY_SETTINGS
    # A search term of 100,000 characters: SQLite refused the LIKE pattern (500).
    @example(base={}, args=[("q", "x" * h.LONG)], junk=[], htmx=False)
    # A number too big for the database's integers in every argument the route reads (a
    # page number's offset, an id to look up: 500s), and as the page alone (the dashboard
    # reads it only with a valid period).
    @example(base={}, args=[(name, str(2**70)) for name in target.names], junk=[], htmx=False)
    @example(base={}, args=[("page", str(2**70))], junk=[], htmx=False)
    @given(base=st.sampled_from(target.queries),
           args=st.lists(st.tuples(st.sampled_from(target.names), values), max_size=6),
           junk=st.lists(st.tuples(st.text(min_size=1, max_size=12), values), max_size=2),
           htmx=st.booleans() if htmx_target else st.just(False))
    def send(base, args, junk, htmx):
        query = [*base.items(), *args, *junk]
        url = target.url + ("?" + urlencode(query) if query else "")
        headers = {"HX-Request": "true", "HX-Target": htmx_target} if htmx else {}
        response = target.client.get(url, headers=headers)
        answer = f"GET {url[:300]} as {role}: {response.status_code}"
        assert response.status_code < 500, answer
        if response.mimetype in ("text/html", "text/csv", "application/json"):
            body = response.get_data(as_text=True)
            assert not _hidden_names_in(world, role, target.side, body), answer

    send()


# --- NUL in every text field at once ------------------------------------------------------------

FORM_PAGES = [(endpoint, role) for endpoint, role in POST_CASES
              if "GET" in ROUTES[endpoint][0] and role != "anonymous"]


@pytest.mark.parametrize(("endpoint", "role"), FORM_PAGES, ids=[f"{e}-{r}" for e, r in FORM_PAGES])
def test_nul_in_every_text_field(hostile_app, world, clients, endpoint, role):
    """PostgreSQL refuses NUL in text: the form refuses it first (422 in Finnish), or the
    text is stored without it; never a 500."""
    target = FormTarget(hostile_app, world, clients, endpoint, role)
    form = target._page_form()
    if form is None:
        pytest.skip(f"{endpoint}: no form on its page for this role")
    text = {f.name for f in form.fields if f.is_text}
    body = [(n, "a\x00b" if n in text else v) for n, v in target.baseline]
    client = target.client()
    before = h.row_counts(db.session)
    response = client.post(target.url, data=_encode(body),
                           content_type="application/x-www-form-urlencoded")
    db.session.rollback()
    answer = f"POST {target.url} as {role}: {response.status_code}"
    assert response.status_code < 500, answer
    if response.status_code == 422:
        _assert_refused_in_finnish(response.get_data(as_text=True), answer)
        after = h.row_counts(db.session)
        assert {t for t in before if before[t] != after[t]} <= WRITTEN_ON_READ, answer
        world.give_back(target.side)  # nothing was stored


# --- Known cases found by the tests above -------------------------------------------------------


def test_a_stale_encounter_edit_with_an_unknown_choice_is_a_conflict(hostile_app, world, clients):
    """The 409 page names the choices of both versions; a typed value that is no choice
    was a ValueError (500)."""
    url = _url(hostile_app, "encounters.edit", world.side("own", fresh=True))
    response = clients.get("professional").post(
        url, data={"version": "0", "met_by": "שלום", "age_group": "\x00"})
    assert response.status_code == 409


@pytest.mark.parametrize("number", [str(10**30), str(2**31), "-" + str(2**63)])
def test_an_id_too_big_for_the_database_is_no_choice(hostile_app, world, clients, number):
    """PostgreSQL refused the query with "integer out of range" (500)."""
    professional = clients.get("professional")
    side = world.side("own", fresh=True)
    merge = professional.post(_url(hostile_app, "clients.merge", side), data={"other_id": number})
    assert merge.status_code == 404
    network = professional.post(_url(hostile_app, "network.new", side), data={
        "service_id": number, "topic": "Asunto", "channel": "phone"})
    assert network.status_code == 422
    assert "service_id" in h.invalid_names(network.get_data(as_text=True))


def test_a_stale_session_edit_with_an_unknown_leader_is_a_conflict(hostile_app, world, clients):
    url = _url(hostile_app, "groups.edit_session", world.side("own", fresh=True))
    response = clients.get("professional").post(url, data={
        "version": "0", "parts-0-description": "Avaus", "parts-0-leader": "%C0%AF"})
    assert response.status_code == 409


# --- Stored HTML and formulas: shown as text everywhere ---------------------------------------

RAW = ("<script>alert(1)</script>", "<img src=x onerror")
# Routes whose form ends, removes or resets something: their text fields are tried by the
# hostile bodies above; here they would take away what the other pages are to show.
DESTRUCTIVE = re.compile(r"delete|close|\bend\b|_end|drop|withdraw|merge|handover|deactivate|"
                         r"reactivate|reset|two_step|recovery|password|login|logout|second_step|"
                         r"undo|discard")


def _payload(n: int) -> str:
    # Starts as a spreadsheet formula; a token tells the fields apart.
    return f"=X{n}Y{h.SCRIPT}"


def _fill(app, client, url) -> tuple[h.Form | None, str]:
    response = client.get(url)
    if response.status_code != 200:
        return None, ""
    path = urlsplit(url).path
    for form in h.forms_of(response.get_data(as_text=True)):
        if form.method == "post" and urlsplit(form.action or url).path == path:
            return form, path
    return None, ""


def test_html_in_every_text_field_is_shown_as_text(hostile_app):
    xworld = SidedWorld()
    side = xworld.sides["own"]
    clients = Clients(hostile_app, xworld)
    stored: dict[str, str] = {}  # token -> "endpoint field"
    refused: list[str] = []
    landed: set[str] = set()  # where each save sent the user: the new record's page
    counter = iter(range(1, 10_000))
    for endpoint in _endpoints("POST"):
        if "GET" not in ROUTES[endpoint][0] or DESTRUCTIVE.search(endpoint.split(".")[1]):
            continue
        roles = _roles(endpoint, "POST")
        if not roles or roles == ("anonymous",):
            continue
        client = clients.get(roles[0])
        url = _url(hostile_app, endpoint, side)
        form, _path = _fill(hostile_app, client, url)
        if form is None:
            continue
        base = [(n, v) for n, v in form.baseline() if n != "csrf_token"]
        text_fields = {f.name for f in form.fields if f.is_text and f.name != "csrf_token"}
        tokens = {name: next(counter) for name in sorted(text_fields)}
        for _attempt in range(3):
            body = [(n, _payload(tokens[n]) if n in tokens else v) for n, v in base]
            response = client.post(url, data=_encode(body),
                                   content_type="application/x-www-form-urlencoded")
            assert response.status_code < 500, f"POST {url}: {response.status_code}"
            if response.status_code != 422:
                break
            invalid = h.invalid_names(response.get_data(as_text=True)) & set(tokens)
            if not invalid:
                break
            for name in invalid:
                refused.append(f"{endpoint} {name}")
                del tokens[name]
        if response.status_code in (302, 303) and response.headers.get("Location"):
            landed.add(urlsplit(response.headers["Location"]).path)
        if response.status_code < 400:
            stored.update({f"X{n}Y": f"{endpoint} {name}" for name, n in tokens.items()})
    assert len(stored) > 20, f"too few text fields were stored: {stored}"

    seen: set[str] = set()
    problems: list[str] = []
    for role in SIGNED_IN_ROLES:
        for url in sorted(landed):
            response = clients.get(role).get(url)
            if response.status_code == 200:
                problems += _shown_as_text(response, stored, seen, f"GET {url} as {role}")
    for endpoint in _endpoints("GET"):
        for role in SIGNED_IN_ROLES:
            client = clients.get(role)
            try:
                base_url = _url(hostile_app, endpoint, side)
            except pytest.skip.Exception:
                continue
            urls = [base_url] + [base_url + "?" + urlencode(q)
                                 for q in _matrix_queries(endpoint, side)]
            if endpoint.endswith("_export"):
                urls += [base_url + "?format=csv-semicolon", base_url + "?format=xlsx"]
            target = HTMX_TARGETS.get((endpoint, "GET"))
            for url in urls:
                for headers in [{}] + ([{"HX-Request": "true", "HX-Target": target}]
                                       if target else []):
                    response = client.get(url, headers=headers)
                    if response.status_code != 200:
                        continue
                    where = f"GET {url} as {role}{' (htmx)' if headers else ''}"
                    problems += _shown_as_text(response, stored, seen, where)
    assert not problems, "\n".join(problems)
    # Some text is kept only in some cases (the work supervisor's name only for work
    # supervision): most, not all, must be found, else the crawl does not reach them.
    never = sorted(stored[token] for token in set(stored) - seen)
    assert len(never) <= len(stored) // 10, f"stored but found on no page: {never}"


def _shown_as_text(response, stored, seen, where) -> list[str]:
    problems = []
    if response.mimetype == "text/csv":
        text = response.get_data(as_text=True).lstrip("\ufeff")
        dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") \
            else ","
        for row in csv.reader(io.StringIO(text), delimiter=dialect):
            for cell in row:
                if any(token in cell for token in stored):
                    seen.update(token for token in stored if token in cell)
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        problems.append(f"{where}: a CSV cell a spreadsheet runs: {cell[:40]!r}")
        return problems
    if "spreadsheetml" in response.mimetype:
        with zipfile.ZipFile(io.BytesIO(response.get_data())) as book:
            xml = "".join(book.read(name).decode() for name in book.namelist()
                          if name.endswith(".xml"))
        for formula in re.findall(r"<f[^>]*>(.*?)</f>", xml, re.S):
            if any(token in formula for token in stored):
                problems.append(f"{where}: a formula made of user text: {formula[:40]!r}")
        for cell in re.findall(r"<t[^>]*>(.*?)</t>", xml, re.S):
            if any(token in cell for token in stored):
                seen.update(token for token in stored if token in cell)
                if cell[:1] in ("=", "+", "-", "@"):
                    problems.append(f"{where}: an XLSX cell starting as a formula: {cell[:40]!r}")
        return problems
    body = response.get_data(as_text=True)
    seen.update(token for token in stored if token in body)
    if response.mimetype == "application/json":
        return problems  # data, not markup (and nosniff keeps browsers from guessing)
    for raw in RAW:
        if raw in body:
            at = body.index(raw)
            problems.append(f"{where}: unescaped {body[max(0, at - 60):at + 40]!r}")
    return problems


def test_the_request_recording_sees_form_fields():
    """The discovery itself: a FlaskForm's fields and direct lookups are recorded."""
    from flask import Flask, request
    from flask_wtf import FlaskForm
    from wtforms import IntegerField, StringField

    class Example(FlaskForm):
        title = StringField()
        count = IntegerField()

    with tempfile.TemporaryDirectory():
        app = Flask(__name__)
        app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
        app.request_class = h.RecordingRequest

        @app.post("/")
        def view():
            Example().validate_on_submit()
            request.args.get("page", 1, type=int)
            return "ok"

        with h.reading() as names:
            app.test_client().post("/?x=1", data={"other": "1"})
    assert {"title", "count", "page"} <= names
