"""Issue 7, peer-support groups, in a real browser: expert1 on a 360×740 phone goes from
the main navigation to pair 1's demo group (Naisten vertaistukiryhmä), opens today's
session, records how many took part and the debrief, and sees the group's counts grow.
The supervisor then sees the counts on the list and no notes. Every page passes axe and
fits the phone's width; the English UI (`?lang=en` at sign-in) names the controls."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, check_accessibility, no_horizontal_scroll, remember
from tests.helpers import t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

GROUP = "Naisten vertaistukiryhmä"
LANG = "en"
DEBRIEF = "Kuusi tuli, kaksi uutta. Avauskierros venyi; ensi kerralla lyhyempi."


def checked(page, where: str | None = None, phone: bool = True) -> None:
    remember(page, where)
    check_accessibility(page)
    if phone:
        no_horizontal_scroll(page)


def _count(page, term: str) -> int:
    """The number after the term in the group's facts (<dt>term</dt><dd>n</dd>)."""
    value = page.evaluate(
        """term => [...document.querySelectorAll('dl.facts dt')]
             .find(dt => dt.textContent.trim() === term).nextElementSibling.textContent""",
        t(LANG, term),
    )
    return int(value.strip())


def test_expert_records_a_group_session_on_a_phone(new_context, sign_in):
    page = new_context(**VIEWPORTS["phone"]).new_page()
    sign_in(page, "expert1@demo.test", LANG)

    page.locator("nav.main-nav").get_by_role("link", name=t(LANG, "Groups"), exact=True).click()
    page.wait_for_url(re.compile(r"/groups/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Peer-support groups"))
    checked(page)

    page.get_by_role("link", name=GROUP, exact=True).click()
    page.wait_for_url(re.compile(r"/groups/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
    checked(page)
    held_before = _count(page, "Sessions held")
    participants_before = _count(page, "Participants in all")
    assert held_before >= 6

    # Today's session waits for its record: the newest past one without a count.
    waiting = page.locator("#group-sessions li.card").filter(
        has=page.get_by_role("link", name=re.compile(t(LANG, "Record the session"))))
    expect(waiting.first).to_be_visible()
    waiting.first.get_by_role("link", name=re.compile(t(LANG, "Record the session"))).tap()
    page.wait_for_url(re.compile(r"/groups/\d+/sessions/\d+/record$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Record the session"))
    checked(page)

    # A wrong number is refused in place, with what she wrote kept.
    participants = page.get_by_label(t(LANG, "Number of participants"), exact=True)
    debrief = page.get_by_label(t(LANG, "Debrief notes"), exact=True)
    participants.fill("-2")
    debrief.fill(DEBRIEF)
    page.get_by_role("button", name=t(LANG, "Save the record"), exact=True).tap()
    expect(page.locator("#participants-error")).to_be_visible()
    expect(debrief).to_have_value(DEBRIEF)
    checked(page, "record (refused)")

    participants.fill("6")
    page.get_by_role("button", name=t(LANG, "Save the record"), exact=True).tap()
    page.wait_for_url(re.compile(r"/groups/\d+/sessions/\d+$"))
    expect(page.get_by_text(DEBRIEF)).to_be_visible()
    checked(page)

    page.get_by_role("link", name=GROUP, exact=True).first.tap()
    page.wait_for_url(re.compile(r"/groups/\d+$"))
    assert _count(page, "Sessions held") == held_before + 1
    assert _count(page, "Participants in all") == participants_before + 6
    checked(page)


def test_the_supervisor_sees_counts_and_no_notes(new_context, sign_in):
    page = new_context(**VIEWPORTS["phone"]).new_page()
    sign_in(page, "supervisor@demo.test", LANG)
    page.goto("/groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Peer-support groups"))
    card = page.locator("li.card").filter(has_text=GROUP)
    expect(card).to_be_visible()
    expect(card.get_by_role("link")).to_have_count(0)
    assert DEBRIEF not in page.content()
    checked(page)
