"""Issue 8, "Done when" for consultations, in a real browser:

- pro1 (desktop) opens one of her clients' records to the supervisor, with a reason;
- the supervisor sees it on her home page and in her list, reads the record (her page and
  timeline) on a desktop and on a 360 px phone, is offered no changes, and cannot open
  another client of the same pair (404);
- pro1 sees on the client page who read the record, when and which part;
- pro1 ends the consultation (asked first); the supervisor then gets 404.

Every page reached passes axe and is handed to the HTML5 check. The UI is named through
`t()`, so the journey holds before and after the catalogues are merged.
"""

import re
import secrets

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, checked, flash, nav_link, prefix, t, visit

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

LANG = "en"
SUPERVISOR = "Sirpa Esihenkilö"
CLIENT_LINK = re.compile(r"^/clients/\d+$")


def _two_clients(page) -> list[tuple[str, str]]:
    """pro1's client list: (path, name) of two of her clients."""
    nav_link(page, t(LANG, "Clients")).click()
    page.wait_for_url(re.compile(r"/clients/(\?.*)?$"))
    links = page.locator("#client-list a[href^='/clients/']")
    found = []
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href") or ""
        if CLIENT_LINK.match(href) and href not in [path for path, _name in found]:
            found.append((href, link.inner_text().strip()))
        if len(found) == 2:
            break
    assert len(found) == 2, "the demo should give pro1 at least two clients"
    return found


def test_a_consultation_opened_read_and_ended(new_context, sign_in):
    reason = f"Hän pelkää menettävänsä tukiasunnon ({secrets.token_hex(3)})"

    # pro1 opens her record to the supervisor.
    pro = new_context().new_page()
    sign_in(pro, "pro1@demo.test", LANG)
    (her_path, her_name), (other_path, other_name) = _two_clients(pro)
    visit(pro, her_path)
    pro.get_by_role("link", name=t(LANG, "Open her record to the supervisor…"), exact=True).click()
    pro.wait_for_url(re.compile(r"/consultation$"))
    expect(pro.get_by_role("heading", level=1)).to_contain_text(her_name)
    checked(pro)
    pro.get_by_label(t(LANG, "Why do you want your supervisor to read her record?")).fill(reason)
    expect(pro.get_by_label(t(LANG, "Open for"), exact=True)).to_have_value("7")
    pro.get_by_role("button", name=t(LANG, "Open for consultation"), exact=True).click()
    pro.wait_for_url(re.compile(re.escape(her_path) + r"(#consultation)?$"))
    section = pro.locator("#consultation")
    expect(section).to_contain_text(prefix(LANG, "Her record is open to %(name)s until %(moment)s.",
                                           name=SUPERVISOR))
    expect(section).to_contain_text(reason)
    checked(pro)

    # The supervisor, on a desktop: her home panel, her list, the record, its timeline.
    desk = new_context().new_page()
    sign_in(desk, "supervisor@demo.test", LANG)
    panel = desk.locator("#consultations")
    expect(panel.get_by_role("heading", level=2)).to_contain_text(
        t(LANG, "Consultations open to you"))
    expect(panel).to_contain_text(reason[:40])
    checked(desk)
    visit(desk, "/consultations")
    expect(desk.get_by_role("heading", level=1)).to_have_text(t(LANG, "Consultations open to you"))
    checked(desk)
    desk.get_by_role("link", name=her_name, exact=True).click()
    desk.wait_for_url(re.compile(re.escape(her_path) + "$"))
    expect(desk.get_by_role("heading", level=1)).to_contain_text(her_name)
    expect(desk.locator("#consultation")).to_contain_text(reason)
    # Read only: no edit, close, quick log or new task on her page.
    for name in ("Edit her record", "Close the record…", "New task about her"):
        expect(desk.get_by_role("link", name=t(LANG, name), exact=True)).to_have_count(0)
    expect(desk.locator("#quick-log")).to_have_count(0)
    checked(desk)
    desk.get_by_role("link", name=t(LANG, "Timeline"), exact=True).click()
    desk.wait_for_url(re.compile(r"/timeline$"))
    expect(desk.get_by_role("heading", level=1)).to_contain_text(her_name)
    checked(desk)
    # Another client of the same pair: not open to her.
    response = desk.goto(other_path)
    assert response is not None and response.status == 404
    expect(desk.locator("body")).not_to_contain_text(other_name)

    # The supervisor on a phone.
    phone = new_context(**VIEWPORTS["phone"]).new_page()
    sign_in(phone, "supervisor@demo.test", LANG)
    response = visit(phone, her_path)
    assert response is not None and response.status == 200
    expect(phone.get_by_role("heading", level=1)).to_contain_text(her_name)
    checked(phone, phone=True)

    # pro1 sees who read her record, when and which part.
    visit(pro, her_path)
    reads = pro.locator("#consultation .consultation-reads")
    expect(reads).to_contain_text(SUPERVISOR)
    expect(reads).to_contain_text(t(LANG, "Her record"))
    expect(reads).to_contain_text(t(LANG, "Timeline"))
    checked(pro)

    # pro1 ends it, asked first.
    pro.locator("#consultation summary").filter(
        has_text=t(LANG, "End the consultation…")).click()
    pro.get_by_role("button", name=t(LANG, "Yes, end it"), exact=True).click()
    pro.wait_for_url(re.compile(re.escape(her_path) + r"(#consultation)?$"))
    expect(flash(pro)).to_contain_text(prefix(
        LANG, "The consultation ended: %(supervisor)s can no longer read her record.",
        supervisor=SUPERVISOR))
    expect(pro.locator("#consultation")).to_contain_text(
        prefix(LANG, "Ended early by %(name)s", name="Paula Ammattilainen"))
    checked(pro)

    # The supervisor: 404, and nothing in her list.
    response = desk.goto(her_path)
    assert response is not None and response.status == 404
    expect(desk.locator("body")).not_to_contain_text(reason)
    visit(desk, "/consultations")
    expect(desk.locator("main")).not_to_contain_text(her_name)
    checked(desk)
