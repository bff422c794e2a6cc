"""Issue 8, the workload dashboard, in a real browser at 360 px and at desktop width.

The demo supervisor opens the dashboard from the main navigation, chooses this quarter,
and sees both demo pairs in the overview (a summary row each) with the balance chart, then
opens one pair's breakdown with its balance table, in numbers only (no link into any
client's record). Every page reached passes axe, fits the width and goes
to the HTML5 check."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, no_horizontal_scroll, remember, t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

LANG = "en"
PAIRS = ("Paula Ammattilainen & Eeva Kokemusasiantuntija",
         "Pirjo Ammattilainen & Essi Kokemusasiantuntija")


def checked(page) -> None:
    remember(page)
    check_accessibility(page)
    no_horizontal_scroll(page, page.viewport_size["width"])


def test_supervisor_sees_both_pairs_for_a_quarter(sized_page, sign_in):
    page = sized_page
    sign_in(page, "supervisor@demo.test", LANG)

    nav = page.get_by_role("link", name=t(LANG, "Dashboard"), exact=True)
    if not nav.is_visible():  # the phone's menu may fold the navigation
        page.goto("/dashboard/")
    else:
        nav.click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Workload dashboard"))

    page.get_by_label(t(LANG, "Period"), exact=True).select_option("quarter")
    page.get_by_role("button", name=t(LANG, "Show"), exact=True).click()
    page.wait_for_url(re.compile(r"period=quarter"))
    figures = page.locator("#dashboard-figures")
    # The overview: one summary row per pair, the balance chart, the totals.
    summary = figures.locator("table.pairs-summary")
    expect(summary).to_be_visible()
    for label in PAIRS:
        expect(summary.get_by_role("link", name=label, exact=True)).to_be_visible()
    chart = figures.locator("svg.balance-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect").first).to_be_attached()
    # Numbers only for the supervisor: no link into any client list or record.
    expect(figures.locator('a[href*="/clients"]')).to_have_count(0)
    checked(page)

    # One pair's breakdown, for the same quarter.
    summary.get_by_role("link", name=PAIRS[0], exact=True).click()
    page.wait_for_url(re.compile(r"pair=\d+"))
    assert "period=quarter" in page.url
    figures = page.locator("#dashboard-figures")
    expect(figures.get_by_role("heading", name=PAIRS[0], exact=True)).to_be_visible()
    table = figures.locator("table.balance-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text(PAIRS[0])
    expect(figures.locator("svg.balance-chart rect").first).to_be_attached()
    expect(figures.locator('a[href*="/clients"]')).to_have_count(0)
    checked(page)
