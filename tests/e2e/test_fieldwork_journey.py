"""Issue 6, "Done when", in a real browser:

- expert1, on a 360×740 phone, opens a client of pair 1 with a valid consent and logs a
  street contact from her page in one tap (the quick log: now, street, 15 min, with me;
  at most three taps allowed), sees the confirmation and the contact on her timeline;
- she plans an accompaniment for now (a service from the catalogue, purpose, who goes)
  and, once its time has passed, records its outcome from her home page ("Record how the
  accompaniments went": the time spent, supported her talk, "Done");
- pro1, on a desktop, sees both on the client's timeline and the accompaniment with its
  outcome on the pair's week plan, and schedules a follow-up task for the experience
  expert for today; expert1 sees it under "Today" on "My tasks";
- a contact note typed by expert1 is kept as a server-side draft: the tab closed and the
  form opened again in a new tab, the note is still there (and can be discarded).

Every page reached is checked with axe and handed to the HTML5 check; the English UI
(`?lang=en` at sign-in) names the labels and buttons.
"""

import re
import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from outreach.core.clock import utcnow
from outreach.core.time import local_today
from tests.e2e.conftest import (
    CLIENT_URL,
    HOME,
    VIEWPORTS,
    checked,
    client_with_quick_log,
    flash,
    nav_link,
    path_of,
    visit,
)

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

EXPERT_NAME = "Eeva Kokemusasiantuntija"
PRO_NAME = "Paula Ammattilainen"
MAX_TAPS = 3
TIMEZONE = "Europe/Helsinki"  # the app's default (BABEL_DEFAULT_TIMEZONE); the harness keeps it


def _week_label(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _timeline_entry(page, href_part: str):
    """The timeline entry (li) whose link points at `href_part`."""
    return page.locator("#timeline-entries > li").filter(
        has=page.locator(f'a[href*="{href_part}"]')
    )


def _entry_time(entry) -> datetime:
    value = entry.locator("time").first.get_attribute("datetime")
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- 1. expert1 on a phone: the quick log, an accompaniment and its outcome ------------------


def _quick_log_street(page, client_url: str) -> str:
    """One tap on "Street": logged now, 15 min, with me. Returns the contact's id."""
    section = page.locator("#quick-log")
    expect(section.get_by_role("heading", name="Log a contact")).to_be_visible()
    # The defaults are what the quick log promises: 15 minutes, with me.
    expect(section.get_by_label("15 min", exact=True)).to_be_checked()
    expect(section.get_by_label("Me", exact=True)).to_be_checked()
    checked(page, phone=True)

    taps = 0
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/contacts/quick")
    ) as answer:
        section.get_by_role("button", name="Street", exact=True).tap()
        taps += 1
    response = answer.value
    assert response.status == 200, response.status
    assert response.request.headers.get("hx-target") == "quick-log"
    assert taps <= MAX_TAPS

    expect(section.get_by_role("status")).to_have_text(
        "Logged: Street outreach, 15 min, the experience expert."
    )
    assert page.evaluate("window.__sameDocument === true"), "the quick log reloaded the page"
    assert path_of(page.url) == client_url
    add_note = section.get_by_role("link", name="Add a note", exact=True)
    expect(add_note).to_be_visible()
    expect(section.get_by_role("button", name="Undo", exact=True)).to_be_visible()
    match = re.search(r"/contacts/(\d+)/edit", add_note.get_attribute("href"))
    assert match, add_note.get_attribute("href")
    checked(page, f"{client_url} (after the quick log)", phone=True)
    return match.group(1)


def _check_contact_on_timeline(page, contact_id: str, logged_after: datetime) -> None:
    """Her timeline has the contact: now, street, 15 min, with the expert, by expert1."""
    entry = _timeline_entry(page, f"#contact-{contact_id}")
    expect(entry).to_have_count(1)
    expect(entry.locator(".when")).to_contain_text("Contact")
    expect(entry.locator(".what")).to_contain_text("Street outreach")
    expect(entry.locator(".what")).to_contain_text("15 min")
    expect(entry.locator(".what")).to_contain_text("took part: the experience expert")
    expect(entry.locator(".what")).to_contain_text(f"logged by {EXPERT_NAME}")
    at = _entry_time(entry)
    assert logged_after - timedelta(minutes=1) <= at <= utcnow() + timedelta(minutes=1), (
        f"the contact is not 'now': {at}"
    )


def _plan_accompaniment(page, client_url: str, purpose: str) -> str:
    """The full form: a service from the catalogue, the purpose, who goes (me), planned for
    now (the default time). Returns the service's name."""
    page.locator("#quick-log").get_by_role(
        "link", name="Plan or record an accompaniment", exact=True
    ).click()
    page.wait_for_url(re.compile(rf"{client_url}/accompaniments/new$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan or record an accompaniment")
    checked(page, phone=True)
    service = page.get_by_label("Service", exact=True)
    options = service.locator("option").evaluate_all(
        "options => options.filter(o => o.value).map(o => [o.value, o.textContent.trim()])"
    )
    assert options, "the service catalogue is empty"
    value, service_name = options[0]
    service.select_option(value)
    page.get_by_label("Purpose", exact=True).fill(purpose)
    who = page.get_by_role("group", name="Who goes with her")
    expect(who.get_by_label("The experience expert", exact=True)).to_be_checked()
    outcome = page.get_by_role("group", name="Outcome", exact=True)
    expect(outcome.get_by_label("Not yet: it is planned", exact=True)).to_be_checked()
    expect(page.get_by_label("When", exact=True)).not_to_have_value("")  # now, by default
    page.get_by_role("button", name="Save the accompaniment", exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}(#.*)?$"))
    expect(flash(page)).to_contain_text("The accompaniment was planned for")
    checked(page, f"{client_url} (after planning)", phone=True)
    return service_name


def _record_outcome_from_home(page, client_url: str, name: str, service_name: str) -> str:
    """Her home page asks for the outcome once the time has passed: 1.5 h, supported her
    talk with the staff, "Done". Returns the accompaniment's id."""
    nav_link(page, "Home").click()
    page.wait_for_url(HOME)
    section = page.locator("section.outcomes-due")
    expect(
        section.get_by_role("heading", name="Record how the accompaniments went")
    ).to_be_visible()
    links = section.locator(f'a[href^="{client_url}/accompaniments/"]')
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    ids = [int(m.group(1)) for h in hrefs if (m := re.search(r"/accompaniments/(\d+)/outcome", h))]
    assert ids, f"no outcome asked for {name} on expert1's home page"
    accompaniment_id = str(max(ids))  # the one just planned is the newest
    selector = f'a[href*="/accompaniments/{accompaniment_id}/outcome"]'
    link = section.locator(selector)
    expect(link).to_contain_text("Record the outcome")
    expect(section.locator("li").filter(has=page.locator(selector))).to_contain_text(service_name)
    checked(page, phone=True)

    link.click()
    page.wait_for_url(re.compile(rf"/accompaniments/{accompaniment_id}/outcome(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Record the outcome: {name}")
    checked(page, phone=True)
    page.get_by_role("group", name="Time spent, travel included").get_by_label(
        "1.5 h", exact=True
    ).check()
    page.get_by_label("The experience expert supported her talk with the staff").check()
    page.get_by_role("group", name="How did it go?").get_by_role(
        "button", name="Done", exact=True
    ).click()
    page.wait_for_url(HOME)
    expect(flash(page)).to_contain_text("The outcome was recorded: Done.")
    expect(page.locator(f'a[href*="/accompaniments/{accompaniment_id}/outcome"]')).to_have_count(0)
    checked(page, "/ (after the outcome)", phone=True)
    return accompaniment_id


def _check_accompaniment_on_timeline(
    page, accompaniment_id: str, service_name: str, purpose: str
) -> None:
    entry = _timeline_entry(page, f"#accompaniment-{accompaniment_id}")
    expect(entry).to_have_count(1)
    what = entry.locator(".what")
    expect(entry.locator(".when")).to_contain_text("Accompaniment")
    expect(what).to_contain_text(service_name)
    expect(what.locator(".badge")).to_have_text("Done")
    expect(what).to_contain_text("went: the experience expert")
    expect(what).to_contain_text("90 min")
    expect(what).to_contain_text("the expert supported her talk with the staff")
    expect(what).to_contain_text(purpose)
    expect(what).to_contain_text(f"Recorded by {EXPERT_NAME}")


# --- 3. drafts ---------------------------------------------------------------------------------


def _draft_survives_a_closed_tab(context, client_url: str, client_id: str, note: str) -> None:
    form_url = f"{client_url}/contacts/new"
    page = context.new_page()
    visit(page, form_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log a contact")
    status = page.locator("[data-draft-status]")
    expect(status).to_have_text("What you type is kept as a draft until you save.")
    checked(page, phone=True)
    field = page.get_by_label("Note (optional)", exact=True)
    with page.expect_response(
        lambda r: (
            r.request.method == "POST"
            and path_of(r.url) == f"/drafts/contact:new:client:{client_id}"
        )
    ) as saved:
        field.press_sequentially(note, delay=5)
    assert saved.value.status == 204, saved.value.status
    expect(status).to_have_text("Draft saved: what you typed is kept until you save the form.")
    checked(page, f"{form_url} (draft saved)", phone=True, axe=False)
    page.close()  # the tab, not the session

    again = context.new_page()
    visit(again, form_url)
    expect(again.get_by_label("Note (optional)", exact=True)).to_have_value(note)
    notice = again.locator(".draft-notice")
    expect(notice).to_contain_text("Restored your unsaved text from")
    checked(again, f"{form_url} (restored)", phone=True)

    # Discarding it starts the form again, empty.
    notice.get_by_role("button", name="Discard it and start again", exact=True).click()
    expect(flash(again)).to_contain_text("The unsaved text was discarded.")
    again.wait_for_url(re.compile(rf"{form_url}$"))
    expect(again.get_by_label("Note (optional)", exact=True)).to_have_value("")
    expect(again.locator(".draft-notice")).to_have_count(0)
    checked(again, f"{form_url} (draft discarded)", phone=True, axe=False)


# --- The journey -------------------------------------------------------------------------------


def test_field_work_on_a_phone_seen_by_the_pair(new_context, sign_in):
    suffix = secrets.token_hex(3)  # new records on every run against the same server
    purpose = f"Haetaan henkilökortti poliisilaitokselta ({suffix})."
    task_title = f"Soita hänelle huomisesta ajasta ({suffix})"
    note = f"Tavattiin metroasemalla, hän pyysi soittamaan huomenna ({suffix})."

    # 1. expert1 on a phone: a street contact in at most three taps from her page.
    expert_context = new_context(**VIEWPORTS["phone"])
    expert1 = expert_context.new_page()
    sign_in(expert1, "expert1@demo.test", "en")
    checked(expert1, phone=True)
    client_url, name = client_with_quick_log(expert1, phone=True)
    client_id = CLIENT_URL.search(client_url).group(1)
    before = utcnow()
    contact_id = _quick_log_street(expert1, client_url)

    expert1.get_by_role("link", name="Timeline", exact=True).first.click()
    expert1.wait_for_url(re.compile(rf"{client_url}/timeline$"))
    _check_contact_on_timeline(expert1, contact_id, before)
    checked(expert1, phone=True)

    # ...and an accompaniment planned for now, its outcome recorded from her home page.
    visit(expert1, client_url)
    service_name = _plan_accompaniment(expert1, client_url, purpose)
    accompaniment_id = _record_outcome_from_home(expert1, client_url, name, service_name)
    visit(expert1, f"{client_url}/timeline")
    _check_accompaniment_on_timeline(expert1, accompaniment_id, service_name, purpose)
    checked(expert1, f"{client_url}/timeline (after the outcome)", phone=True, axe=False)

    # 2. pro1 on a desktop: both on the timeline, the accompaniment on the week plan.
    pro1 = new_context().new_page()
    sign_in(pro1, "pro1@demo.test", "en")
    visit(pro1, f"{client_url}/timeline")
    expect(pro1.get_by_role("heading", level=1)).to_contain_text(name)
    _check_contact_on_timeline(pro1, contact_id, before)
    _check_accompaniment_on_timeline(pro1, accompaniment_id, service_name, purpose)
    checked(pro1)

    nav_link(pro1, "Week plan").click()
    pro1.wait_for_url(re.compile(r"/tasks/week(\?.*)?$"))
    expect(pro1.get_by_role("heading", level=1)).to_contain_text("Week plan")
    next_week = pro1.locator("nav.week-nav a[rel=next]").get_attribute("href")
    pair_id = re.search(r"[?&]pair=(\d+)", next_week).group(1)
    # The plan's weeks follow the server's date; the accompaniment, the users' time zone
    # (they differ late on a Sunday evening in UTC): look at the week it was planned in.
    local_week = _week_label(utcnow().astimezone(ZoneInfo(TIMEZONE)).date())
    if local_week != _week_label(local_today()):
        visit(pro1, f"/tasks/week?pair={pair_id}&week={local_week}")
    planned = pro1.locator("ol.week li.plan-item.accompaniment").filter(has_text=purpose)
    expect(planned).to_have_count(1)
    expect(planned).to_contain_text(service_name)
    expect(planned).to_contain_text("The experience expert")
    expect(planned).to_contain_text("Done")
    expect(planned.get_by_role("link", name=name, exact=True)).to_have_attribute("href", client_url)
    checked(pro1)

    # ...and schedules a follow-up task for the expert, due today.
    pro1.locator("nav.week-nav").get_by_role("link", name="New task", exact=True).click()
    pro1.wait_for_url(re.compile(r"/tasks/new(\?.*)?$"))
    expect(pro1.get_by_role("heading", level=1)).to_have_text("New task")
    checked(pro1)
    pro1.get_by_label("What needs doing", exact=True).fill(task_title)
    pro1.get_by_label("About which woman (optional)", exact=True).select_option(client_id)
    pro1.get_by_label("Who does it", exact=True).select_option(label="Experience expert")
    pro1.get_by_label("Due date (optional)", exact=True).fill(local_today().isoformat())
    pro1.get_by_role("button", name="Add the task", exact=True).click()
    pro1.wait_for_url(re.compile(r"/tasks/week\?pair=\d+&week=\d{4}-W\d{2}$"))
    expect(flash(pro1)).to_contain_text(f"The task was added: {task_title}")
    if local_week != _week_label(local_today()):
        visit(pro1, f"/tasks/week?pair={pair_id}&week={_week_label(local_today())}")
    task = pro1.locator("ol.week li.plan-item.task").filter(has_text=task_title)
    expect(task).to_have_count(1)
    expect(task.locator(".badge.assignee-expert")).to_have_text("Experience expert")
    expect(task.get_by_role("link", name=name, exact=True)).to_be_visible()
    checked(pro1, "/tasks/week (after the new task)")

    # expert1 sees it on "My tasks", under today.
    nav_link(expert1, "My tasks").click()
    expert1.wait_for_url(re.compile(r"/tasks/(\?.*)?$"))
    expect(expert1.get_by_role("heading", level=1)).to_have_text("My tasks")
    mine = expert1.locator("section.task-group.today li.task").filter(has_text=task_title)
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Experience expert")
    expect(mine.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(
        mine.get_by_role("button", name=re.compile(rf"^Done\s*: {re.escape(task_title)}$"))
    ).to_be_visible()
    checked(expert1, phone=True)

    # 3. A contact note typed, the tab closed and the form opened again: still there.
    expert1.close()
    _draft_survives_a_closed_tab(expert_context, client_url, client_id, note)
