"""Issue 7, "Done when" for well-being check-ins, in a real browser:

- the supervisor (desktop) notes how many of pair 1's check-ins wait unacknowledged;
- expert1, on a 360×740 phone, records a heavy check-in from her home page in a few taps
  (very heavy, wants to talk, a note) and sees it in her history with the chart;
- the supervisor sees the count go up by one, and neither the strain nor the note anywhere;
- pro1 (desktop) sees it waiting on her home page, with the strain, the wish to talk and
  the note, and acknowledges it in place ("we talked on" today, a note);
- the supervisor sees the count go down again.

Every page reached passes axe and is handed to the HTML5 check. The English UI is named
through `t()`, so the journey holds before and after the catalogues are merged.
"""

import re
import secrets

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, checked, flash, visit
from tests.helpers import t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

LANG = "en"
PAIR_1 = "Paula Ammattilainen & Eeva Kokemusasiantuntija"
EXPERT_NAME = "Eeva Kokemusasiantuntija"
PRO_NAME = "Paula Ammattilainen"
MAX_TAPS = 4  # from her home page: open the form, strain, wants to talk, save
HOME = re.compile(r"^https?://[^/]+/(\?.*)?(#.*)?$")


def _pair_row(page):
    """The supervisor's home: pair 1's row in the waiting check-ins table."""
    panel = page.locator("#checkins-supervision")
    heading = t(LANG, "Well-being check-ins waiting")
    expect(panel.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    row = panel.locator("tbody tr").filter(has=page.get_by_role("link", name=PAIR_1, exact=True))
    expect(row).to_have_count(1)
    return row


def _waiting_count(page) -> int:
    page.reload()
    page.wait_for_url(HOME)
    return int(_pair_row(page).locator(".waiting-count").inner_text().strip())


def _no_content(page, note: str) -> None:
    html = page.content()
    for text in (note, t(LANG, "Very heavy"), t(LANG, "Would like to talk")):
        assert text not in html, f"the supervisor's page shows {text!r}: {page.url}"


def test_a_heavy_check_in_seen_by_the_pair_and_counted_for_the_supervisor(new_context, sign_in):
    note = f"Raskas päivä kadulla, en saa unta ({secrets.token_hex(3)})."
    ack_note = f"Soitin ja juteltiin ({secrets.token_hex(3)})."

    # The supervisor, before: how many wait for pair 1.
    supervisor = new_context().new_page()
    sign_in(supervisor, "supervisor@demo.test", LANG)
    before = int(_pair_row(supervisor).locator(".waiting-count").inner_text().strip())
    assert before >= 1, "the demo data should have one check-in waiting for pair 1"
    checked(supervisor)
    pair_href = _pair_row(supervisor).get_by_role("link", name=PAIR_1).get_attribute("href")

    # 1. expert1 on a phone: a heavy check-in in a few taps from her home page.
    expert1 = new_context(**VIEWPORTS["phone"]).new_page()
    sign_in(expert1, "expert1@demo.test", LANG)
    panel = expert1.locator("#checkin-expert")
    expect(panel.get_by_role("heading", name=t(LANG, "How is the work feeling?"))).to_be_visible()
    checked(expert1, phone=True)
    taps = 0
    panel.get_by_role("link", name=t(LANG, "Record a check-in"), exact=True).tap()
    taps += 1
    expert1.wait_for_url(re.compile(r"/checkins/new$"))
    expect(expert1.get_by_role("heading", level=1)).to_have_text(t(LANG, "Well-being check-in"))
    checked(expert1, phone=True)
    strain = expert1.get_by_role("group", name=t(LANG, "How heavy does the work feel now?"))
    strain.get_by_label(f"5 – {t(LANG, 'Very heavy')}", exact=True).tap()
    taps += 1
    expert1.get_by_label(t(LANG, "I would like to talk about it"), exact=True).tap()
    taps += 1
    expert1.get_by_label(t(LANG, "Note (optional)"), exact=True).fill(note)  # optional
    expert1.get_by_role("button", name=t(LANG, "Save the check-in"), exact=True).tap()
    taps += 1
    assert taps <= MAX_TAPS
    expert1.wait_for_url(re.compile(r"/checkins$"))
    expect(flash(expert1)).to_contain_text(t(LANG, "Thank you. Your check-in was saved, and "
                                                   "%(name)s sees that you would like to talk.")
                                           .replace("%(name)s", PRO_NAME))
    mine = expert1.locator("li.checkin").filter(has_text=note)
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text(t(LANG, "Waiting for acknowledgement"))
    expect(expert1.locator("svg.strain-svg circle[data-strain='5']").last).to_be_attached()
    checked(expert1, "/checkins (after the check-in)", phone=True)

    # 2. The supervisor: one more waiting, and nothing of what it says.
    assert _waiting_count(supervisor) == before + 1
    _no_content(supervisor, note)
    checked(supervisor, "/ (supervisor, one more waiting)")
    visit(supervisor, pair_href)
    section = supervisor.locator("#wellbeing")
    expect(section.locator(".waiting-count")).to_have_text(str(before + 1))
    _no_content(supervisor, note)
    checked(supervisor)

    # 3. pro1 on a desktop: it waits on her home page; she acknowledges it in place.
    pro1 = new_context().new_page()
    sign_in(pro1, "pro1@demo.test", LANG)
    waiting = pro1.locator("#checkins-waiting li.checkin").filter(has_text=note)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(t(LANG, "Very heavy"))
    expect(waiting).to_contain_text(t(LANG, "Would like to talk"))
    expect(waiting).to_contain_text(EXPERT_NAME)
    checked(pro1)
    expect(waiting.get_by_label(t(LANG, "We talked on"), exact=True)).not_to_have_value("")
    waiting.get_by_label(t(LANG, "Note (optional)"), exact=True).fill(ack_note)
    item_id = waiting.get_attribute("id")
    pro1.evaluate("window.__sameDocument = true")
    with pro1.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/acknowledge")
    ) as answer:
        waiting.get_by_role("button", name=re.compile(rf"^{t(LANG, 'Acknowledge')}")).click()
    assert answer.value.status == 200, answer.value.status
    assert answer.value.request.headers.get("hx-target") == item_id
    done = pro1.locator(f"#{item_id}")
    expect(done).to_contain_text(t(LANG, "Acknowledged by %(name)s: we talked on %(day)s.")
                                 .split("%(name)s")[0] + PRO_NAME)
    expect(done).to_contain_text(ack_note)
    expect(done.locator("form")).to_have_count(0)
    expect(flash(pro1)).to_contain_text(EXPERT_NAME)
    assert pro1.evaluate("window.__sameDocument === true"), "acknowledging reloaded the page"
    checked(pro1, "/ (after acknowledging)")

    # The pair's list for the professional, with the acknowledgement.
    visit(pro1, f"{pair_href}/checkins")
    expect(pro1.locator(f"#{item_id}")).to_contain_text(ack_note)
    checked(pro1)

    # 4. The supervisor: the count is back down.
    visit(supervisor, "/")
    assert _waiting_count(supervisor) == before
    _no_content(supervisor, note)
    checked(supervisor, "/ (supervisor, after the acknowledgement)")
