"""Issue 10, the browser journeys of the partners, in a real browser:

1. *An outreach worker logs visits*: expert1 opens her day (home and "My tasks"),
   quick-logs a street contact on one of her clients, plans an accompaniment and records
   its outcome from her home page, adds a step the woman proposed and records the woman's
   decision on it, and records a well-being check-in.
2. *A professional schedules tasks*: pro1 creates a client, records her consent, makes a
   situation mapping, breaks a challenge into three steps, records the woman's decisions,
   turns the two agreed steps into tasks for the experience expert, and arranges the week
   plan: moves one task to another day and gives the other to herself.

Each runs in Finnish and Swedish on a 360×740 phone and in English on a desktop. Every
control is found by its translated role and name (`t`), so the same journey holds in each
language. Every page reached passes axe (WCAG 2.1 A/AA), is handed to the
HTML5 check, logs no CSP violation or JavaScript error, and on a phone does not scroll
sideways. The journeys create their own records (a new client, a new step, a new
accompaniment) so that the demo data stays as the other journeys expect it.
"""

import re
import secrets
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from outreach.core.time import local_today
from tests.e2e.conftest import (
    CHALLENGES_URL,
    HOME,
    MAPPING_URL,
    add_challenge,
    add_step,
    checked,
    client_with_quick_log,
    create_client,
    decide_step,
    flash,
    fmt,
    nav_link,
    open_challenges,
    path_of,
    prefix,
    record_consent,
    starting,
    visit,
)
from tests.helpers import t, variants

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

EXPERT_NAME = "Eeva Kokemusasiantuntija"
PRO_NAME = "Paula Ammattilainen"
# (language, screen): each language once and each size, Finnish (the longest words) and
# Swedish on a phone, where the field work happens, English on a desktop. (Finnish on a
# desktop too was a fourth run of about 15 s in each pass; the page walks in
# tests/e2e/test_pages.py load every navigation page at desktop size.)
# On PostgreSQL the first alone (tests/helpers.py: variants).
RUNS = variants([("fi", "phone"), ("sv", "phone"), ("en", "desktop")])
RUN_IDS = [f"{lang}-{screen}" for lang, screen in RUNS]
# The mapping's ratings by life domain (English names); the rest are not assessed.
RATINGS = {"Housing": "2", "Income and debts": "3", "Safety and violence": "4"}
SCALE = {"1": "1 – acute crisis", "5": "5 – stable"}  # the ends carry their meaning


def _her_day(page, lang: str, phone: bool) -> None:
    """Her home page: the greeting, her work, the check-in panel; then "My tasks"."""
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fmt(lang, "Hello, %(name)s", name=EXPERT_NAME)
    )
    expect(page.locator("#work-heading")).to_have_text(t(lang, "Your work"))
    expect(
        page.locator("#checkin-expert").get_by_role(
            "heading", name=t(lang, "How is the work feeling?")
        )
    ).to_be_visible()
    checked(page, phone=phone)
    nav_link(page, t(lang, "My tasks")).click()
    page.wait_for_url(re.compile(r"/tasks/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "My tasks"))
    checked(page, phone=phone)


def _quick_log(page, client_url: str, lang: str, phone: bool) -> None:
    """One tap on "Street" on her page: logged now, 15 min, with me; swapped in place."""
    section = page.locator("#quick-log")
    expect(section.get_by_role("heading", name=t(lang, "Log a contact"))).to_be_visible()
    expect(section.get_by_label(fmt(lang, "%(num)d min", num=15), exact=True)).to_be_checked()
    expect(section.get_by_label(t(lang, "Me"), exact=True)).to_be_checked()
    checked(page, phone=phone)
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/contacts/quick")
    ) as answer:
        section.get_by_role("button", name=t(lang, "Street"), exact=True).click()
    assert answer.value.status == 200, answer.value.status
    expect(section.get_by_role("status")).to_have_text(
        fmt(
            lang,
            "Logged: %(channel)s, %(minutes)d min, %(who)s.",
            channel=t(lang, "Street outreach"),
            minutes=15,
            who=t(lang, "The experience expert").lower(),
        )
    )
    expect(section.get_by_role("link", name=t(lang, "Add a note"), exact=True)).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "the quick log reloaded the page"
    assert path_of(page.url) == client_url
    checked(page, f"{client_url} (after the quick log)", phone=phone)


def _plan_accompaniment(page, client_url: str, purpose: str, lang: str, phone: bool) -> None:
    """The full form from her page: the first service of the catalogue, the purpose, the
    defaults (planned for now, the experience expert goes)."""
    page.locator("#quick-log").get_by_role(
        "link", name=t(lang, "Plan or record an accompaniment"), exact=True
    ).click()
    page.wait_for_url(re.compile(rf"{client_url}/accompaniments/new$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t(lang, "Plan or record an accompaniment")
    )
    checked(page, phone=phone)
    service = page.get_by_label(t(lang, "Service"), exact=True)
    values = service.locator("option").evaluate_all(
        "options => options.filter(o => o.value).map(o => o.value)"
    )
    assert values, "the service catalogue is empty"
    service.select_option(values[0])
    page.get_by_label(t(lang, "Purpose"), exact=True).fill(purpose)
    outcome = page.get_by_role("group", name=t(lang, "Outcome"), exact=True)
    expect(outcome.get_by_label(t(lang, "Not yet: it is planned"), exact=True)).to_be_checked()
    page.get_by_role("button", name=t(lang, "Save the accompaniment"), exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}(#.*)?$"))
    expect(flash(page)).to_contain_text(
        prefix(lang, "The accompaniment was planned for %(moment)s.")
    )
    checked(page, f"{client_url} (after planning)", phone=phone, axe=False)


def _record_outcome(page, client_url: str, name: str, lang: str, phone: bool) -> None:
    """Her home page asks for the outcome once the time has passed: 30 min, she supported
    the woman's talk with the staff, "Done"."""
    nav_link(page, t(lang, "Home")).click()
    page.wait_for_url(HOME)
    section = page.locator("section.outcomes-due")
    expect(
        section.get_by_role("heading", name=t(lang, "Record how the accompaniments went"))
    ).to_be_visible()
    hrefs = section.locator(f'a[href^="{client_url}/accompaniments/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    ids = [int(m.group(1)) for h in hrefs if (m := re.search(r"/accompaniments/(\d+)/", h))]
    assert ids, f"no outcome asked for {name} on her home page"
    link = section.locator(f'a[href*="/accompaniments/{max(ids)}/outcome"]')  # the newest
    checked(page, "/ (an outcome due)", phone=phone)
    link.click()
    page.wait_for_url(re.compile(rf"/accompaniments/{max(ids)}/outcome(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{t(lang, 'Record the outcome')}: {name}"
    )
    checked(page, phone=phone)
    page.get_by_role("group", name=t(lang, "Time spent, travel included")).get_by_label(
        fmt(lang, "%(num)d min", num=30), exact=True
    ).check()
    page.get_by_label(
        t(lang, "The experience expert supported her talk with the staff"), exact=True
    ).check()
    page.get_by_role("group", name=t(lang, "How did it go?")).get_by_role(
        "button", name=t(lang, "Done"), exact=True
    ).click()
    page.wait_for_url(HOME)
    expect(flash(page)).to_contain_text(
        fmt(lang, "The outcome was recorded: %(outcome)s.", outcome=t(lang, "Done"))
    )
    expect(page.locator(f'a[href*="/accompaniments/{max(ids)}/outcome"]')).to_have_count(0)
    checked(page, "/ (after the outcome)", phone=phone, axe=False)


def _her_decision(page, client_url: str, proposal: str, suffix: str, lang: str,
                  phone: bool) -> None:
    """On "Challenges and steps": a step she proposed herself, under an open challenge (a
    new one if she has none), and her decision on it, recorded in place."""
    visit(page, client_url)
    open_challenges(page, lang, phone)
    open_ones = page.locator('section[aria-labelledby="open-heading"] li.challenge')
    if open_ones.count() == 0:
        words = f"Haluan oman kodin ({suffix})."
        add_challenge(page, client_url, "Housing", words, lang, phone)
        open_ones = open_ones.filter(has_text=words)
    add_step(page, client_url, open_ones.first, proposal, lang, phone,
             proposed_by="She herself", assignee="She herself")
    decide_step(page, proposal, "Agreed", EXPERT_NAME, lang, phone)


def _check_in(page, note: str, lang: str, phone: bool) -> None:
    """From her home page: a fairly light day, a note, no wish to talk."""
    nav_link(page, t(lang, "Home")).click()
    page.wait_for_url(HOME)
    page.locator("#checkin-expert").get_by_role(
        "link", name=t(lang, "Record a check-in"), exact=True
    ).click()
    page.wait_for_url(re.compile(r"/checkins/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Well-being check-in"))
    checked(page, phone=phone)
    page.get_by_role("group", name=t(lang, "How heavy does the work feel now?")).get_by_label(
        f"2 – {t(lang, 'Fairly light')}", exact=True
    ).check()
    page.get_by_label(t(lang, "Note (optional)"), exact=True).fill(note)
    page.get_by_role("button", name=t(lang, "Save the check-in"), exact=True).click()
    page.wait_for_url(re.compile(r"/checkins$"))
    expect(flash(page)).to_contain_text(t(lang, "Thank you. Your check-in was saved."))
    mine = page.locator("li.checkin").filter(has_text=note)
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(t(lang, "Waiting for acknowledgement"))
    checked(page, "/checkins (after the check-in)", phone=phone)


@pytest.mark.parametrize(("lang", "viewport"), RUNS, ids=RUN_IDS)
def test_an_outreach_worker_logs_visits(sized_page, sign_in, lang, viewport):
    page, phone = sized_page, viewport == "phone"
    suffix = secrets.token_hex(3)  # new records on every run against the same server
    purpose = f"Haetaan henkilökortti poliisilaitokselta ({suffix})."
    proposal = f"Käy itse kysymässä päiväkeskuksesta ruoka-apua ({suffix})."
    note = f"Hyvä päivä kadulla, pari uutta tuttavuutta ({suffix})."

    sign_in(page, "expert1@demo.test", lang)
    _her_day(page, lang, phone)
    client_url, name = client_with_quick_log(page, lang, phone)
    _quick_log(page, client_url, lang, phone)
    _plan_accompaniment(page, client_url, purpose, lang, phone)
    _record_outcome(page, client_url, name, lang, phone)
    _her_decision(page, client_url, proposal, suffix, lang, phone)
    _check_in(page, note, lang, phone)


# --- 2. pro1 schedules tasks ----------------------------------------------------------------


def _make_mapping(page, client_url: str, words: str, lang: str, phone: bool) -> None:
    page.locator("#mappings").get_by_role("link", name=t(lang, "New mapping"), exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}/mappings/new$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t(lang, "New situation mapping")
    )
    expect(page.get_by_label(t(lang, "Date of the mapping"), exact=True)).to_have_value(
        local_today().isoformat()
    )
    checked(page, phone=phone)
    for domain, rating in RATINGS.items():
        page.get_by_role("group", name=t(lang, domain), exact=True).get_by_label(
            t(lang, SCALE.get(rating, rating)), exact=True
        ).check()
    page.get_by_label(
        t(lang, "What matters most to her, in her own words"), exact=True
    ).fill(words)
    page.get_by_role("button", name=t(lang, "Save the mapping"), exact=True).click()
    page.wait_for_url(MAPPING_URL)
    expect(flash(page)).to_contain_text(t(lang, "The situation mapping was saved."))
    expect(page.locator("main")).to_contain_text(words)
    checked(page, phone=phone)


def _make_task(page, proposal: str, lang: str, phone: bool) -> None:
    """The agreed step becomes a task of the pair (one button, a plain form)."""
    row = page.locator("li.step").filter(has_text=proposal)
    row.get_by_role("button", name=starting(t(lang, "Make a task"))).click()
    page.wait_for_url(CHALLENGES_URL)
    expect(flash(page)).to_contain_text(
        fmt(lang, "The step is now a task: %(title)s", title=proposal)
    )
    row = page.locator("li.step").filter(has_text=proposal)
    expect(row.locator(".badge.task-status-open")).to_have_count(1)
    expect(row).to_contain_text(t(lang, "Experience expert"))
    expect(row.get_by_role("button", name=starting(t(lang, "Make a task")))).to_have_count(0)
    checked(page, f"{path_of(page.url)} (after making a task)", phone=phone, axe=False)


def _plan_item(page, day_index: int, title: str):
    return page.locator("ol.week > li.day").nth(day_index).locator(
        "li.plan-item.task"
    ).filter(has_text=title)


def _change_on_plan(page, item, lang: str, day=None, assignee: str | None = None) -> None:
    """The item's "Change" control on the week plan: htmx posts it and swaps the plan."""
    item.locator("summary").click()
    if day is not None:
        item.get_by_label(t(lang, "Day"), exact=True).fill(day.isoformat())
    if assignee is not None:
        item.get_by_label(t(lang, "Who does it"), exact=True).select_option(
            label=t(lang, assignee)
        )
    page.evaluate("window.__sameDocument = true")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/plan")
    ) as answer:
        item.get_by_role("button", name=starting(t(lang, "Save"))).click()
    assert answer.value.status == 200, answer.value.status
    assert answer.value.request.headers.get("hx-target") == "week-plan"
    assert page.evaluate("window.__sameDocument === true"), "the change reloaded the page"


def _arrange_week(page, first: str, second: str, lang: str, phone: bool) -> None:
    """Both tasks are on today for the experience expert; the first moves to another day
    of the week, the second goes to the professional."""
    today = local_today()
    other = today + timedelta(days=1) if today.weekday() < 6 else today - timedelta(days=1)
    nav_link(page, t(lang, "Week plan")).click()
    page.wait_for_url(re.compile(r"/tasks/week(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Week plan"))
    for title in (first, second):
        item = _plan_item(page, today.weekday(), title)
        expect(item).to_have_count(1)
        expect(item.locator(".badge.assignee-expert")).to_have_text(t(lang, "Experience expert"))
    checked(page, phone=phone)

    _change_on_plan(page, _plan_item(page, today.weekday(), first), lang, day=other)
    moved = _plan_item(page, other.weekday(), first)
    expect(moved).to_have_count(1)
    expect(moved.locator(".badge.assignee-expert")).to_have_text(t(lang, "Experience expert"))
    expect(_plan_item(page, today.weekday(), first)).to_have_count(0)
    expect(flash(page)).to_contain_text(
        prefix(lang, "%(title)s: %(assignee)s, %(day)s.", title=first,
               assignee=t(lang, "Experience expert"))
    )
    checked(page, "/tasks/week (after moving a task)", phone=phone)

    _change_on_plan(page, _plan_item(page, today.weekday(), second), lang,
                    assignee="Professional")
    mine = _plan_item(page, today.weekday(), second)
    expect(mine.locator(".badge.assignee-professional")).to_have_text(t(lang, "Professional"))
    expect(flash(page)).to_contain_text(
        prefix(lang, "%(title)s: %(assignee)s, %(day)s.", title=second,
               assignee=t(lang, "Professional"))
    )
    checked(page, "/tasks/week (after re-assigning a task)", phone=phone, axe=False)


@pytest.mark.parametrize(("lang", "viewport"), RUNS, ids=RUN_IDS)
def test_a_professional_schedules_tasks(sized_page, sign_in, lang, viewport):
    page, phone = sized_page, viewport == "phone"
    suffix = secrets.token_hex(3)  # a new client on every run against the same server
    name = f"Kaisa Kokeilu {suffix}"
    challenge = f"Asunto on mennyt alta, ja yövyn kavereilla ({suffix})."
    steps = [  # proposal, her decision
        (f"Soita asumisneuvontaan hänen kanssaan ({suffix})", "Agreed"),
        (f"Täytä asumistukihakemus yhdessä ({suffix})", "Agreed"),
        (f"Käy katsomassa tukiasuntoa ({suffix})", "Wants to think"),
    ]
    today = local_today()

    sign_in(page, "pro1@demo.test", lang)
    checked(page, phone=phone)
    client_url = create_client(page, name, lang, phone, place="Rautatientori")
    record_consent(page, client_url, lang, phone)
    _make_mapping(page, client_url, f"Oma rauha ({suffix}).", lang, phone)

    visit(page, client_url)
    open_challenges(page, lang, phone)
    add_challenge(page, client_url, "Housing", challenge, lang, phone)
    her_challenge = page.locator("li.challenge").filter(has_text=challenge)
    for n, (proposal, _decision) in enumerate(steps):
        add_step(page, client_url, her_challenge, proposal, lang, phone, axe=n == 0,
                 assignee="The experience expert", due_on=today)
    for n, (proposal, decision) in enumerate(steps):
        decide_step(page, proposal, decision, PRO_NAME, lang, phone, axe=n == 0)
    # Only a step she has agreed to can become a task.
    thinking = page.locator("li.step").filter(has_text=steps[2][0])
    expect(thinking.get_by_role("button", name=starting(t(lang, "Make a task")))).to_have_count(0)
    for proposal, _decision in steps[:2]:
        _make_task(page, proposal, lang, phone)

    _arrange_week(page, steps[0][0], steps[1][0], lang, phone)
