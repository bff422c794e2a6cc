"""Virtual users for the load and fault tests.

Each user is one thread with its own session cookie, speaking plain HTTP/1.1 to 127.0.0.1
with the standard library (`http.client`), a timeout on every request. Forms are read from
the pages as a browser would (their hidden fields, the CSRF token, the preselected choices);
htmx requests carry the headers htmx sends. Every write the app acknowledges is remembered
with something that identifies it in the database afterwards: a unique marker in a task's
title or a check-in's note, the id of a quick-logged contact, the id of a task marked done.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import re
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

REQUEST_TIMEOUT = 15  # seconds, every request
DEMO_PASSWORD = "demo-pass-2026"  # the demo accounts (outreach/demo.py)
PARTNER_ACCOUNTS = [
    ("pro1@demo.test", "professional"),
    ("expert1@demo.test", "expert"),
    ("pro2@demo.test", "professional"),
    ("expert2@demo.test", "expert"),
]
LOCKED = b"database is locked"


# --- what happened ---------------------------------------------------------------------------


@dataclass
class Hit:
    """One request and its answer."""

    name: str  # the page or action, e.g. "client page", "quick log"
    method: str
    path: str
    status: int  # 0: no answer (connection refused, timeout, broken)
    started: float  # time.monotonic()
    seconds: float
    expected: tuple[int, ...]
    htmx: bool = False
    error: str = ""
    locked: bool = False  # "database is locked" in the answer
    heading: str = ""  # the page's <h1>, for a report on an unexpected answer

    @property
    def ok(self) -> bool:
        return self.status in self.expected


@dataclass
class Acknowledged:
    """Writes the app answered with success, with what finds each in the database."""

    task_titles: set[str] = field(default_factory=set)
    checkin_notes: set[str] = field(default_factory=set)
    contact_ids: set[int] = field(default_factory=set)
    done_task_ids: set[int] = field(default_factory=set)

    def merge(self, other: Acknowledged) -> None:
        self.task_titles |= other.task_titles
        self.checkin_notes |= other.checkin_notes
        self.contact_ids |= other.contact_ids
        self.done_task_ids |= other.done_task_ids

    def counts(self) -> dict[str, int]:
        return {
            "tasks created": len(self.task_titles),
            "check-ins": len(self.checkin_notes),
            "contacts quick-logged": len(self.contact_ids),
            "tasks marked done": len(self.done_task_ids),
        }


class Recorder:
    """Every hit of every user, thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self.hits: list[Hit] = []
        self.failures: list[str] = []  # exceptions in the users' own code

    def add(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def fail(self, text: str) -> None:
        with self._lock:
            self.failures.append(text)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def figures(hits: list[Hit], seconds: float) -> dict:
    """Requests, requests/s and latencies (ms), overall and per page or action."""

    def summary(group: list[Hit]) -> dict:
        durations = [hit.seconds * 1000 for hit in group]
        return {
            "requests": len(group),
            "rps": len(group) / seconds if seconds else 0.0,
            "p50_ms": percentile(durations, 0.50),
            "p95_ms": percentile(durations, 0.95),
            "max_ms": max(durations, default=0.0),
        }

    by_name: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_name[hit.name].append(hit)
    statuses: dict[int, int] = defaultdict(int)
    for hit in hits:
        statuses[hit.status] += 1
    return {
        "all": summary(hits),
        "pages": {name: summary(group) for name, group in sorted(by_name.items())},
        "statuses": dict(sorted(statuses.items())),
    }


def figure_lines(title: str, result: dict) -> list[str]:
    total = result["all"]
    lines = [
        f"{title}: {total['requests']} requests, {total['rps']:.1f} requests/s, "
        f"p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms, "
        f"max {total['max_ms']:.0f} ms; statuses {result['statuses']}",
        f"  {'page or action':<22} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}",
    ]
    for name, row in result["pages"].items():
        lines.append(
            f"  {name:<22} {row['requests']:>8} {row['rps']:>7.1f} "
            f"{row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f}"
        )
    return lines


# --- reading pages -------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]]  # what a browser would send without the user touching it
    options: dict[str, list[str]]  # the values each select or radio group offers
    buttons: dict[str, list[str]]  # named submit buttons and their values

    def data(self, **changes) -> list[tuple[str, str]]:
        kept = [(name, value) for name, value in self.fields if name not in changes]
        return kept + [(name, str(value)) for name, value in changes.items() if value is not None]

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.heading = ""
        self._form: Form | None = None
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "h1" and not self.heading:
            self._in_h1 = True
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower(), [], {}, {})
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit":
                    form.buttons.setdefault(name, []).append(a.get("value", ""))
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            form.buttons.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_options = name, []
        elif tag == "option" and self._select:
            self._select_options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._in_h1:
            self.heading += data

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            values = [value for value, _ in self._select_options]
            self._form.options[self._select] = values
            chosen = next((value for value, sel in self._select_options if sel), None)
            if chosen is None and values:
                chosen = values[0]
            if chosen is not None:
                self._form.fields.append((self._select, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser


def find_form(html: str, path: str) -> Form | None:
    """The form posting to `path` (its query string aside)."""
    return next((form for form in parse(html).forms if urlsplit(form.action).path == path), None)


def heading(html: str) -> str:
    return " ".join(parse(html).heading.split())


# --- one user -----------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str
    location: str = ""


class Stop(Exception):
    """An answer that was not the expected one: this action ends here (already recorded)."""


class Browser:
    """A session cookie and plain HTTP/1.1 requests to one 127.0.0.1 server."""

    def __init__(self, base: str, recorder: Recorder, language: str | None = None,
                 source: str | None = None):
        parts = urlsplit(base)
        assert parts.hostname == "127.0.0.1", "load tests talk to 127.0.0.1 only"
        self.host, self.port = parts.hostname, parts.port
        self.recorder = recorder
        self.cookies: dict[str, str] = {}
        self.language = language
        # Another loopback address to send from (127.0.0.0/8): a client of its own as a
        # reverse proxy in front of the app sees it.
        self.source = source

    def _store_cookies(self, values: list[str]) -> None:
        for value in values:
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                expired = morsel["max-age"] == "0"
                if morsel["expires"] and not expired:
                    with contextlib.suppress(TypeError, ValueError):
                        expires = parsedate_to_datetime(morsel["expires"]).timestamp()
                        expired = expires < time.time()
                if expired:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, *, name: str, expected: tuple[int, ...],
                data=None, htmx_target: str | None = None, csrf: str | None = None,
                check: bool = True) -> Answer:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "tyopari-load-test"}
        if self.language:
            headers["Accept-Language"] = self.language
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx_target is not None:
            headers.update({"HX-Request": "true", "HX-Target": htmx_target,
                            "HX-Current-URL": f"http://{self.host}:{self.port}/"})
        if csrf:
            headers["X-CSRFToken"] = csrf
        hit = Hit(name, method, path, 0, time.monotonic(), 0.0, expected,
                  htmx=htmx_target is not None)
        answer = Answer(0, {}, "")
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=REQUEST_TIMEOUT,
            source_address=(self.source, 0) if self.source else None)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            self._store_cookies(response.headers.get_all("Set-Cookie") or [])
            answer = Answer(response.status, dict(response.headers.items()),
                            content.decode("utf-8", "replace"),
                            response.headers.get("Location", ""))
            hit.status = response.status
            hit.locked = LOCKED in content
        except (OSError, http.client.HTTPException) as exc:
            hit.error = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
            hit.seconds = time.monotonic() - hit.started
        if hit.status and not hit.ok:
            hit.heading = heading(answer.text)[:200]
        self.recorder.add(hit)
        if check and not hit.ok:
            raise Stop(f"{name}: {hit.status or hit.error}")
        return answer

    def get(self, path: str, name: str, expected=(200,), **kwargs) -> Answer:
        return self.request("GET", path, name=name, expected=expected, **kwargs)

    def post(self, path: str, data, name: str, expected=(302,), **kwargs) -> Answer:
        return self.request("POST", path, name=name, expected=expected, data=data, **kwargs)

    def follow(self, answer: Answer, name: str) -> Answer:
        location = urlsplit(answer.location)
        path = location.path + (f"?{location.query}" if location.query else "")
        return self.get(path or "/", name)


class VirtualUser(Browser):
    """A professional or an experience expert going about her day, as fast as she can."""

    READS = {"home": 10, "client list": 10, "client page": 18, "timeline": 10,
             "my tasks": 10, "week plan": 10}
    WRITES = {"quick log": 12, "new task": 6, "task done": 6, "check-in": 5}

    def __init__(self, base: str, recorder: Recorder, email: str, role: str, run: str,
                 seed: int, think: float = 0.0):
        super().__init__(base, recorder)
        self.email, self.role, self.run = email, role, run
        self.random = random.Random(seed)
        self.think = think
        self.acked = Acknowledged()
        self.client_ids: list[int] = []
        self.loggable: set[int] = set()  # clients whose page offers the quick log
        self.open_tasks: dict[str, int | None] = {}  # own task marker -> id once seen
        self.csrf_token = ""  # the session's CSRF token, from the last form read
        self.actions = dict(self.READS)
        self.actions.update(self.WRITES)
        if role != "expert":
            self.actions.pop("check-in")

    def marker(self) -> str:
        return f"load-{self.run}-{uuid.uuid4().hex}"

    # signing in: the login form's CSRF token, then the password
    def sign_in(self) -> None:
        page = self.get("/login", "sign-in page")
        form = find_form(page.text, "/login")
        assert form is not None, "no sign-in form on /login"
        answer = self.post("/login", form.data(email=self.email, password=DEMO_PASSWORD),
                           "sign in")
        assert urlsplit(answer.location).path == "/", f"signed in to {answer.location}"

    def run_until(self, deadline: float, stop: threading.Event | None = None) -> None:
        names = list(self.actions)
        weights = [self.actions[name] for name in names]
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            action = self.random.choices(names, weights)[0]
            try:
                getattr(self, "do_" + action.replace(" ", "_").replace("-", "_"))()
            except Stop:
                pass
            except Exception as exc:  # noqa: BLE001 - reported, never lost in a thread
                self.recorder.fail(f"{self.email} {action}: {type(exc).__name__}: {exc}")
            if self.think:
                time.sleep(self.random.uniform(0, 2 * self.think))

    # --- reads
    def do_home(self):
        self.get("/", "home")

    def do_client_list(self):
        page = self.get("/clients/", "client list")
        ids = sorted({int(i) for i in re.findall(r'href="/clients/(\d+)"', page.text)})
        if ids:
            self.client_ids = ids

    def _some_client(self) -> int | None:
        if not self.client_ids:
            self.do_client_list()
        return self.random.choice(self.client_ids) if self.client_ids else None

    def _client_page(self, client_id: int) -> Answer:
        page = self.get(f"/clients/{client_id}", "client page")
        if f'action="/clients/{client_id}/contacts/quick"' in page.text:
            self.loggable.add(client_id)
        else:
            self.loggable.discard(client_id)
        return page

    def do_client_page(self):
        if (client_id := self._some_client()) is not None:
            self._client_page(client_id)

    def do_timeline(self):
        if (client_id := self._some_client()) is not None:
            self.get(f"/clients/{client_id}/timeline", "timeline")

    def do_my_tasks(self):
        self._note_task_ids(self.get("/tasks/", "my tasks").text)

    def do_week_plan(self):
        page = self.get("/tasks/week", "week plan")
        pairs = re.findall(r'href="(/tasks/week\?pair=\d+[^"]*)"', page.text)
        if pairs and "week-nav" not in page.text:
            # Partner of several pairs: the list of pairs first, then one pair's week.
            self.get(self.random.choice(pairs).replace("&amp;", "&"), "week plan")

    # --- writes
    def do_quick_log(self) -> tuple[int, int] | None:
        """On her page, tap how you were in touch: logged at once, swapped in with htmx.
        (client id, contact id) when logged."""
        candidates = sorted(self.loggable)
        client_id = (self.random.choice(candidates) if candidates and self.random.random() < 0.8
                     else self._some_client())
        if client_id is None:
            return
        page = self._client_page(client_id)
        action = f"/clients/{client_id}/contacts/quick"
        form = find_form(page.text, action)
        if form is None:
            return  # no valid consent: her page does not offer the quick log
        channel = self.random.choice(form.buttons.get("channel") or ["street"])
        self.csrf_token = form.value("csrf_token") or ""
        answer = self.post(action, form.data(channel=channel), "quick log", expected=(200,),
                           htmx_target="quick-log", csrf=self.csrf_token)
        logged = re.search(rf"/clients/{client_id}/contacts/(\d+)/undo", answer.text)
        assert logged, "the quick log answered 200 without the contact it logged"
        self.acked.contact_ids.add(int(logged.group(1)))
        return client_id, int(logged.group(1))

    def do_new_task(self):
        page = self.get("/tasks/new", "new task form")
        form = find_form(page.text, "/tasks/new")
        assert form is not None, "no form on /tasks/new"
        title = self.marker()
        # About one of her clients whose page offers the quick log (her consent is valid).
        clients = [value for value in form.options.get("client_id", [])
                   if value and int(value) in self.loggable]
        about = self.random.choice(clients) if clients and self.random.random() < 0.5 else ""
        answer = self.post(form.action, form.data(title=title, client_id=about), "new task")
        self.acked.task_titles.add(title)
        self.open_tasks[title] = None
        self._note_task_ids(self.follow(answer, "my tasks").text)

    def _note_task_ids(self, html: str) -> None:
        """The ids of her new tasks, from their rows (the title is in the flash too)."""
        for title, task_id in list(self.open_tasks.items()):
            if task_id is not None:
                continue
            for match in re.finditer(re.escape(title), html):
                before = html[: match.start()]
                row = before.rfind('<li id="task-')
                if row >= 0 and "</li>" not in before[row:]:
                    found = re.match(r'<li id="task-(\d+)"', before[row:])
                    self.open_tasks[title] = int(found.group(1))
                    break

    def do_task_done(self):
        """Mark one of her own open tasks done, in place (htmx), from My tasks."""
        own = [(title, task_id) for title, task_id in self.open_tasks.items() if task_id]
        if not own:
            return self.do_new_task()
        title, task_id = self.random.choice(own)
        page = self.get("/tasks/", "my tasks")
        form = find_form(page.text, f"/tasks/{task_id}/done")
        if form is None:
            self.open_tasks.pop(title)  # not on the page as open (cannot happen: reported)
            raise AssertionError(f"own open task {task_id} has no Done button on My tasks")
        answer = self.post(form.action, form.data(), "task done", expected=(200,),
                           htmx_target=f"task-{task_id}", csrf=form.value("csrf_token"))
        assert "task-done" in answer.text, "Done answered 200 without a done row"
        self.acked.done_task_ids.add(task_id)
        self.open_tasks.pop(title)

    def do_check_in(self):
        page = self.get("/checkins/new", "check-in form")
        form = find_form(page.text, "/checkins/new")
        assert form is not None, "no form on /checkins/new"
        note = self.marker()
        strain = self.random.choice(form.options.get("strain") or ["3"])
        answer = self.post("/checkins/new", form.data(strain=strain, note=note), "check-in")
        self.acked.checkin_notes.add(note)
        self.follow(answer, "check-in history")


def make_users(base: str, recorder: Recorder, count: int, run: str, think: float
               ) -> list[VirtualUser]:
    """`count` users sharing the four partner accounts, each with a session of her own."""
    users = []
    for index in range(count):
        email, role = PARTNER_ACCOUNTS[index % len(PARTNER_ACCOUNTS)]
        users.append(VirtualUser(base, recorder, email, role, run, seed=index, think=think))
    return users


def in_threads(function, items, timeout: float, concurrency: int | None = None
               ) -> list[BaseException]:
    """Run `function(item)` for every item, all at once or `concurrency` at a time; the
    exceptions raised, if any."""
    errors: list[BaseException] = []
    lock = threading.Lock()
    slots = threading.Semaphore(concurrency or len(items) or 1)

    def target(item):
        try:
            with slots:
                function(item)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=target, args=(item,), daemon=True) for item in items]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        errors.append(TimeoutError(f"threads still running after {timeout} s"))
    return errors
