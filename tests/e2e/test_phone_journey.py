"""Issue 16, "Done when", on a 360×740 phone in Chromium:

- expert1 signs in; the service worker takes control; the header and the bottom bar take
  at most 20% of the screen and no main page scrolls sideways (axe clean);
- a street contact from the home page takes one tap;
- the network is cut (Playwright's offline mode): she logs two street contacts from home,
  a contact for a woman whose record the professional closes meanwhile, a task done, an
  accompaniment's outcome, an anonymous encounter and a check-in (in tabs opened before);
  the server has no new row; she reloads offline and the app shell, the waiting list and
  her recent women still show;
- the network returns: everything is sent without a reload, once (the database gains
  exactly one row per write and her timeline shows each contact once); the write refused
  on arrival stays listed with the reason;
- on her page the quick log updates "Latest contacts" in place;
- sign-out with an unsent item warns, then wipes: Cache Storage and IndexedDB hold no
  demo woman's name afterwards.
"""

import os
import re
import time
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import expect

from outreach.core.time import local_today
from tests.e2e.conftest import VIEWPORTS, checked, flash, no_horizontal_scroll, t, visit

expect.set_options(timeout=15_000)  # the machine is shared with other test runs

SCREEN_HEIGHT = VIEWPORTS["phone"]["viewport"]["height"]
WRITE_TABLES = ("contact", "anonymous_encounter", "check_in")


def _engine(tmp_path_factory):
    url = os.environ.get("E2E_DATABASE_URL")
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix):]
        return sa.create_engine(url)
    [path] = sorted(Path(tmp_path_factory.getbasetemp()).glob("e2e*/e2e.db"))[-1:]
    return sa.create_engine(f"sqlite:///{path}")


def _counts(engine) -> dict:
    with engine.connect() as conn:
        counts = {name: conn.scalar(sa.text(f"SELECT count(*) FROM {name}"))  # noqa: S608
                  for name in WRITE_TABLES}
        counts["tasks_done"] = conn.scalar(sa.text("SELECT count(*) FROM task WHERE status='done'"))
        counts["outcomes"] = conn.scalar(
            sa.text("SELECT count(*) FROM accompaniment WHERE outcome IS NOT NULL"))
    return counts


def _queue_heading(page):
    return page.locator("#offline-queue [data-heading]")


def _waiting(n: int) -> str:
    return t("en", "%(num)s saved on this phone, not yet sent") % {"num": n}


def _bars_height(page) -> float:
    return page.evaluate("""() => {
        const h = document.querySelector('.site-header').getBoundingClientRect().height;
        const b = document.querySelector('.bottom-bar').getBoundingClientRect().height;
        return h + b;
    }""")


def _shell_cached_for_her(page) -> None:
    """The worker has the signed-in shell (with the waiting list) in its cache."""
    for _ in range(100):
        if page.evaluate("""async () => {
            const hit = await caches.match('/offline');
            return !!hit && (await hit.text()).includes('offline-queue');
        }"""):
            return
        time.sleep(0.2)
    raise AssertionError("the offline shell was not cached")


def _stored_text(page) -> str:
    """Everything in this origin's Cache Storage and IndexedDB, as text."""
    return page.evaluate("""async () => {
        let out = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                out.push(request.url, await (await cache.match(request)).text());
            }
        }
        for (const info of await indexedDB.databases()) {
            out.push('db:' + info.name);
            const db = await new Promise((ok, no) => {
                const r = indexedDB.open(info.name);
                r.onsuccess = () => ok(r.result); r.onerror = no;
            });
            for (const store of db.objectStoreNames) {
                const rows = await new Promise((ok) => {
                    const r = db.transaction(store).objectStore(store).getAll();
                    r.onsuccess = () => ok(r.result);
                });
                out.push(JSON.stringify(rows));
            }
            db.close();
        }
        return out.join('\\n');
    }""")


def _reopen(engine, client_id: int) -> None:
    """The journeys share one demo database: her record is open again for those after."""
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE client SET status = 'active', closed_on = NULL, "
                             "closed_reason = NULL WHERE id = :id"), {"id": client_id})


def test_the_phone_without_a_connection(new_context, sign_in, tmp_path_factory, request):
    engine = _engine(tmp_path_factory)
    # Its pooled connection closed here: left to the garbage collector, PostgreSQL's would
    # warn inside whichever test runs next.
    request.addfinalizer(engine.dispose)
    with engine.connect() as conn:
        women = dict(conn.execute(sa.text(
            "SELECT name, id FROM client WHERE pair_id = 1 AND status = 'active'")).all())
        every_name = list(conn.scalars(sa.text("SELECT name FROM client")))
    context = new_context(**VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, "expert1@demo.test")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    # --- the phone's layout: compact header, bottom bar, nothing sideways ----------------
    height = _bars_height(page)
    assert height <= 0.2 * SCREEN_HEIGHT, f"header + bottom bar {height} px"
    checked(page, phone=True)
    bar = page.locator("nav.bottom-bar")
    for name in ("Home", "Clients", "Quick log", "My tasks", "More"):
        expect(bar.get_by_role("link", name=name, exact=True)).to_be_visible()
    for path in ("/clients/", "/tasks/", "/tasks/week", "/encounters/", "/more",
                 f"/clients/{women['Tiina']}"):
        visit(page, path)
        no_horizontal_scroll(page)
        assert _bars_height(page) <= 0.2 * SCREEN_HEIGHT
    checked(page, phone=True)  # her page
    page.goto("/more")
    more = page.locator("main nav")
    for name in ("Week plan", "Anonymous encounters", "Our pair", "Profile"):
        expect(more.get_by_role("link", name=name, exact=True)).to_be_visible()
    checked(page, phone=True)

    # --- quick log from home: one tap ------------------------------------------------------
    bar.get_by_role("link", name="Quick log", exact=True).click()
    recent = page.locator("#home-quick-log li")
    for name in ("Tiina", "Minna", "Jonna"):
        expect(recent.filter(has_text=name)).to_have_count(1)
    recent.filter(has_text="Minna").get_by_role("button").click()  # tap 1
    page.wait_for_url(re.compile(rf"/clients/{women['Minna']}"))
    expect(flash(page)).to_contain_text("Logged: Street outreach, 15 min")
    _shell_cached_for_her(page)

    # --- tabs opened while online; then the network goes -----------------------------------
    page.goto("/")
    tasks = context.new_page()
    tasks.goto("/tasks/")
    outcome_href = page.locator("#outcomes-due-heading ~ ul a").first.get_attribute("href")
    outcome = context.new_page()
    outcome.goto(outcome_href)
    encounter = context.new_page()
    encounter.goto("/encounters/new")
    checkin = context.new_page()
    checkin.goto("/checkins/new")
    before = _counts(engine)
    context.set_offline(True)

    home_women = page.locator("#home-quick-log li")
    home_women.filter(has_text="Tiina").get_by_role("button").click()
    expect(_queue_heading(page)).to_have_text(_waiting(1))
    home_women.filter(has_text="Minna").get_by_role("button").click()
    expect(_queue_heading(page)).to_have_text(_waiting(2))
    home_women.filter(has_text="Jonna").get_by_role("button").click()
    expect(_queue_heading(page)).to_have_text(_waiting(3))
    expect(flash(page)).to_contain_text(
        t("en", "Saved on this phone. It is sent when you are back online."))

    tasks.locator("form[action$='/done'] button").first.click()
    expect(_queue_heading(tasks)).to_have_text(_waiting(4))
    outcome.get_by_label("The experience expert supported her talk with the staff").check()
    outcome.get_by_role("button", name="Done", exact=True).click()
    expect(_queue_heading(outcome)).to_have_text(_waiting(5))
    encounter.get_by_label("Area", exact=True).select_option("Kamppi")  # an area from the list
    encounter.get_by_role("button", name="Record the encounter", exact=True).click()
    expect(_queue_heading(encounter)).to_have_text(_waiting(6))
    checkin.locator('input[name="strain"][value="3"]').check()
    checkin.get_by_role("button", name="Save the check-in", exact=True).click()
    expect(_queue_heading(checkin)).to_have_text(_waiting(7))
    for tab in (tasks, outcome, encounter, checkin):
        tab.close()
    assert _counts(engine) == before, "the server got a row while the phone was offline"

    # Meanwhile the professional closes Jonna's record: that write will be refused.
    request.addfinalizer(lambda: _reopen(engine, women["Jonna"]))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE client SET status = 'closed', closed_on = :day "
                             "WHERE id = :id"), {"day": local_today(), "id": women["Jonna"]})

    # --- an offline reload: the shell, the waiting list, her recent women ------------------
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("en", "No connection"))
    expect(_queue_heading(page)).to_have_text(_waiting(7))
    shell = page.locator("[data-offline-shell] [data-offline-list] > li")
    for name in ("Tiina", "Minna", "Jonna"):
        expect(shell.filter(has_text=name)).to_have_count(1)
    checked(page, "e2e offline shell", phone=True)
    assert _counts(engine) == before

    # --- the network returns: sent by itself, once ------------------------------------------
    context.set_offline(False)
    queue = page.locator("#offline-queue")
    expect(queue.locator("[data-sent-item]")).to_have_count(6)
    refused = queue.locator("[data-queue-item]")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Jonna")
    expect(refused.locator("[data-refused]")).to_contain_text("Her record has been closed.")
    after = _counts(engine)
    assert after == {**before, "contact": before["contact"] + 2,
                     "anonymous_encounter": before["anonymous_encounter"] + 1,
                     "check_in": before["check_in"] + 1,
                     "tasks_done": before["tasks_done"] + 1,
                     "outcomes": before["outcomes"] + 1}
    time.sleep(1)  # nothing more arrives (a second send would be a second row)
    assert _counts(engine) == after

    # Her timeline shows the contact once; her page's "Latest contacts" updates in place.
    with engine.connect() as conn:
        contact_id = conn.scalar(sa.text(
            "SELECT max(id) FROM contact WHERE client_id = :id"), {"id": women["Tiina"]})
    page.goto(f"/clients/{women['Tiina']}/timeline")
    expect(page.locator(f'#timeline-entries > li:has(a[href$="#contact-{contact_id}"])')
           ).to_have_count(1)
    page.goto(f"/clients/{women['Tiina']}")
    latest = page.locator("#latest-contacts")
    page.evaluate("document.getElementById('latest-contacts').dataset.before = 'yes'")
    page.locator("#quick-log").get_by_role("button", name="Phone", exact=True).click()
    expect(page.locator("#quick-log")).to_contain_text("Logged: Phone")
    expect(latest).not_to_have_attribute("data-before", "yes")
    expect(latest.locator("li").first).to_contain_text("Phone")

    # --- sign-out with the refused item unsent: a warning, then everything wiped ----------
    page.goto("/more")
    expect(page.locator("#offline-queue [data-queue-item]")).to_have_count(1)
    # The page's own sending of the queue (on every load while online) is over first.
    page.wait_for_load_state("networkidle")
    # The question comes once the queue has been read from IndexedDB, sometimes while the click
    # is still waiting for navigations: a handler registered first answers it at once (an open
    # dialog nobody answers would block that click until it times out).
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    with page.expect_event("dialog"):
        page.locator("main").get_by_role("button", name="Sign out", exact=True).click()
    assert len(questions) == 1 and "will be lost" in questions[0], questions
    expect(page).to_have_url(re.compile(r"/more$"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("main").get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(re.compile(r"/login"))
    stored = _stored_text(page)
    leaked = [name for name in every_name if name in stored]
    assert not leaked, f"left on the phone after sign-out: {leaked}"
    assert "db:tyopari-" not in stored
