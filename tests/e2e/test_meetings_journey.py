"""Issue 7, pair meetings, in a real browser on a 360×740 phone:

pro1 sees on her home page that pair 1's debrief meeting is overdue (the demo leaves it
so), opens the pair page's meetings panel, records a debrief meeting with notes and one
agreed action for herself due today, sees the meeting with the action as an open task,
finds the action under "Today" on "My tasks", and the pair page no longer flags the
debrief. Every page reached passes axe, fits the phone's width and goes to the HTML5
check."""

import re

from playwright.sync_api import expect

from outreach.core.time import local_today
from tests.e2e.conftest import VIEWPORTS, check_accessibility, no_horizontal_scroll, remember
from tests.helpers import t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

LANG = "en"
ACTION = "Soita asumisneuvontaan purkutapaamisen jälkeen"
NOTES = "Kävimme läpi viikon kohtaamiset. Uhkaava tilanne asemalla purettiin yhdessä."


def checked(page) -> None:
    remember(page)
    check_accessibility(page)
    no_horizontal_scroll(page)


def test_pro1_records_a_debrief_with_an_agreed_action_on_a_phone(new_context, sign_in):
    page = new_context(**VIEWPORTS["phone"]).new_page()
    sign_in(page, "pro1@demo.test", LANG)

    reminder = page.locator("#meetings-home")
    expect(reminder).to_contain_text(t(LANG, "Pair meetings overdue"))
    expect(reminder).to_contain_text(t(LANG, "Debrief meeting"))
    checked(page)

    page.goto("/pairs/")  # a partner with one pair lands on its page
    page.wait_for_url(re.compile(r"/pairs/\d+$"))
    panel = page.locator("#meetings-panel")
    expect(panel).to_contain_text(t(LANG, "Overdue"))
    checked(page)

    panel.get_by_role("link", name=t(LANG, "Record a meeting"), exact=True).click()
    page.wait_for_url(re.compile(r"/pairs/\d+/meetings/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Record a meeting"))
    checked(page)

    page.get_by_label(t(LANG, "Kind of meeting"), exact=True).select_option("debrief")
    page.get_by_label(t(LANG, "Notes"), exact=True).fill(NOTES)
    page.locator("#actions-0-title").fill(ACTION)
    page.locator("#actions-0-assignee").select_option("professional")
    page.locator("#actions-0-due_on").fill(local_today().isoformat())
    page.get_by_role("button", name=t(LANG, "Save the meeting"), exact=True).click()

    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(LANG, "Debrief meeting"))
    expect(page.locator("#messages")).to_contain_text(
        t(LANG, "The meeting was recorded, and its agreed actions are now tasks."))
    expect(page.locator("#meeting-notes")).to_contain_text(NOTES)
    actions = page.locator("#meeting-actions .meeting-actions")
    expect(actions).to_contain_text(ACTION)
    expect(actions).to_contain_text(t(LANG, "Open"))
    checked(page)

    page.goto("/tasks/")
    expect(page.locator("main")).to_contain_text(ACTION)
    today_group = page.locator("section.task-group.today")
    expect(today_group.get_by_role("heading", level=2)).to_contain_text(t(LANG, "Today"))
    expect(today_group).to_contain_text(ACTION)
    checked(page)

    page.goto("/pairs/")
    page.wait_for_url(re.compile(r"/pairs/\d+$"))
    rhythm = page.locator("#meetings-panel .meeting-rhythm")
    debrief = rhythm.locator("dd").nth(1)
    expect(debrief).not_to_contain_text(t(LANG, "Overdue"))
    checked(page)
