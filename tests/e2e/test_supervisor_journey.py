"""Issue 10, browser journey 3: *a supervisor reviews pair workload*, in a real browser.

Setup, in a browser of her own: pro1 opens the record of one of her pair's demo clients to
the supervisor for a consultation, with a reason.

The demo supervisor then signs in (her home page lists the consultation), opens the
workload dashboard from the main navigation for this quarter and sees both demo pairs (a
summary row each, no link into any client) and the balance of the division of labour;
drills into one pair's figures (its breakdown for the same quarter, with the balance
table); reads the consulted client's record through her list of consultations (her page,
read only, and her timeline) and cannot open another client of the same pair (404); and
opens the funder report for this year, prints it (print media: no navigation, choices or
buttons; a PDF) and downloads its XLSX, with no woman's name or code in either.

Last, pro1 sees who read the record and which parts, and ends the consultation (asked
first); the supervisor then gets 404 for the record and no longer has it in her list.

Runs in Finnish on a desktop and in Swedish and English on a 360×740 phone.
Every control is found by its translated role and name (`t`). Every page reached passes axe
(WCAG 2.1 A/AA), goes to the HTML5 check, logs no CSP violation or JavaScript error, and on
the phone does not scroll sideways. (This journey replaces the single-feature journeys of
the dashboard, the consultation and the funder report, and checks all they checked.)
"""

import io
import re
import secrets
import zipfile

import pytest
from playwright.sync_api import expect

from outreach.clients.demo import PAIR_1, PAIR_2
from outreach.core.time import local_today
from outreach.retention.demo import NAME as FORMER_NAME
from tests.e2e.conftest import (
    CONSOLE_ERRORS,
    HOME,
    VIEWPORTS,
    checked,
    flash,
    nav_link,
    no_horizontal_scroll,
    path_of,
    prefix,
    visit,
)
from tests.helpers import t, variants

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

SUPERVISOR = "Sirpa Esihenkilö"
PRO_NAME = "Paula Ammattilainen"
PAIRS = ("Paula Ammattilainen & Eeva Kokemusasiantuntija",
         "Pirjo Ammattilainen & Essi Kokemusasiantuntija")
# (language, screen): each language once and each size: Finnish on a desktop, where a
# supervisor reviews the pairs' workload, Swedish and English on a phone. (Finnish on a
# phone too was a fourth run of about 17 s in each pass; the page walk in
# tests/e2e/test_pages.py loads each of the supervisor's pages in Finnish on a phone.)
# On PostgreSQL the first alone (tests/helpers.py: variants).
RUNS = variants([("fi", "desktop"), ("sv", "phone"), ("en", "phone")])
RUN_IDS = [f"{lang}-{screen}" for lang, screen in RUNS]
CLIENT_LINK = re.compile(r"^/clients/\d+$")
DEMO_NAMES = [person[0] for person in PAIR_1 + PAIR_2] + [FORMER_NAME]
CODE = re.compile(r"\b[A-Z]-\d{4}-\d{4}\b")  # a client code such as A-2026-0042
REPORT_HEADINGS = ("Women reached", "Contacts", "Accompaniments", "Changes in living situation",
                   "Change in life domains", "Peer-support groups", "Evaluation summaries",
                   "Hours by role")


def seen(page, where: str | None = None, axe: bool = True) -> None:
    """`checked` (HTML5, CSP, axe, 360 px on the phone), and at desktop size no sideways
    scroll either."""
    width = page.viewport_size["width"]
    checked(page, where, phone=width <= 360, axe=axe)
    if width > 360:
        no_horizontal_scroll(page, width)


def _console_clean(page, not_found: int = 0) -> None:
    """No console error in the page's browser so far but the `not_found` pages that were
    meant to answer 404 (Chromium logs those as failed loads)."""
    errors = CONSOLE_ERRORS[page.context]
    missing = [text for text in errors if "status of 404" in text]
    assert len(missing) == not_found and len(errors) == not_found, errors
    errors.clear()


def _names_in(text: str) -> list[str]:
    return [name for name in DEMO_NAMES if re.search(rf"\b{re.escape(name)}\b", text)]


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


# --- setup: pro1 opens a record for a consultation -------------------------------------------


def _two_demo_clients(pro, lang: str) -> list[tuple[str, str]]:
    """pro1's client list: (path, name) of two of pair 1's demo clients."""
    nav_link(pro, t(lang, "Clients")).click()
    pro.wait_for_url(re.compile(r"/clients/(\?.*)?$"))
    expect(pro.get_by_role("heading", level=1)).to_have_text(t(lang, "Clients"))
    seen(pro)
    demo = {person[0] for person in PAIR_1}
    found: list[tuple[str, str]] = []
    links = pro.locator("#client-list a[href^='/clients/']").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])"
    )
    for href, name in links:
        if CLIENT_LINK.match(href or "") and name in demo and href not in dict(found):
            found.append((href, name))
    assert len(found) >= 2, f"pro1's list should show two of pair 1's demo clients: {links}"
    return found[:2]


def _end_consultation(pro, her_path: str, lang: str) -> None:
    """On her page: "End the consultation…", then "Yes, end it"."""
    section = pro.locator("#consultation")
    section.locator("summary").filter(has_text=t(lang, "End the consultation…")).click()
    section.get_by_role("button", name=t(lang, "Yes, end it"), exact=True).click()
    pro.wait_for_url(re.compile(re.escape(her_path) + r"(#consultation)?$"))
    expect(flash(pro)).to_contain_text(prefix(
        lang, "The consultation ended: %(supervisor)s can no longer read her record.",
        supervisor=SUPERVISOR))


def _open_consultation(pro, her_path: str, her_name: str, reason: str, lang: str) -> None:
    """From her page: her record opened to the supervisor for the default seven days. A
    consultation a failed earlier run left open is ended first."""
    visit(pro, her_path)
    expect(pro.get_by_role("heading", level=1)).to_contain_text(her_name)
    if pro.locator("#consultation summary").filter(
            has_text=t(lang, "End the consultation…")).count():
        _end_consultation(pro, her_path, lang)
    pro.locator("#consultation").get_by_role(
        "link", name=t(lang, "Open her record to the supervisor…"), exact=True).click()
    pro.wait_for_url(re.compile(re.escape(her_path) + r"/consultation$"))
    expect(pro.get_by_role("heading", level=1)).to_contain_text(her_name)
    seen(pro)
    pro.get_by_label(t(lang, "Why do you want your supervisor to read her record?"),
                     exact=True).fill(reason)
    expect(pro.get_by_label(t(lang, "Open for"), exact=True)).to_have_value("7")
    pro.get_by_role("button", name=t(lang, "Open for consultation"), exact=True).click()
    pro.wait_for_url(re.compile(re.escape(her_path) + r"(#consultation)?$"))
    expect(flash(pro)).to_contain_text(prefix(
        lang, "The record of %(name)s is open to %(supervisor)s until %(moment)s.",
        name=her_name, supervisor=SUPERVISOR))
    section = pro.locator("#consultation")
    expect(section).to_contain_text(prefix(
        lang, "Her record is open to %(name)s until %(moment)s.", name=SUPERVISOR))
    expect(section).to_contain_text(reason)
    seen(pro, f"{her_path} (open for a consultation)")


# --- the supervisor ----------------------------------------------------------------------------


def _her_home(page, reason: str, lang: str) -> None:
    """Her home page lists the consultation opened to her."""
    panel = page.locator("#consultations")
    expect(panel.get_by_role("heading", level=2)).to_contain_text(
        t(lang, "Consultations open to you"))
    expect(panel).to_contain_text(reason[:40])
    seen(page)


def _dashboard_for_a_quarter(page, lang: str) -> None:
    """From the main navigation, this quarter: both pairs in the overview, a summary row
    each, and the balance chart; numbers only, no link into any client."""
    nav_link(page, t(lang, "Dashboard")).click()
    page.wait_for_url(re.compile(r"/dashboard/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Workload dashboard"))
    seen(page, "/dashboard/ (this month)")

    page.get_by_label(t(lang, "Period"), exact=True).select_option(
        label=t(lang, "This quarter"))
    page.get_by_role("button", name=t(lang, "Show"), exact=True).click()
    page.wait_for_url(re.compile(r"/dashboard/\?(.*&)?period=quarter"))
    expect(page.get_by_label(t(lang, "Period"), exact=True)).to_have_value("quarter")
    figures = page.locator("#dashboard-figures")
    expect(figures.locator(".period-line")).to_contain_text(
        str(local_today().year))
    summary = figures.locator("table.pairs-summary")
    expect(summary).to_be_visible()
    for label in PAIRS:
        expect(summary.get_by_role("link", name=label, exact=True)).to_be_visible()
    balance = figures.locator('section[aria-labelledby="balance-heading"]')
    expect(balance.get_by_role("heading", level=2)).to_have_text(
        t(lang, "Balance of the division of labour"))
    chart = balance.locator("svg.balance-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect").first).to_be_attached()
    expect(chart.locator("text").filter(
        has_text=t(lang, "All the pairs shown together"))).to_have_count(1)
    expect(figures.locator('a[href*="/clients"]')).to_have_count(0)
    seen(page, "/dashboard/ (this quarter)")


def _summary_figure(page, pair_label: str, column: str) -> str:
    """The overview's figure for one pair in the column headed `column`."""
    summary = page.locator("#dashboard-figures table.pairs-summary")
    headers = [text.strip() for text in summary.locator("thead th").all_inner_texts()]
    assert column in headers, headers
    row = summary.locator("tbody tr").filter(
        has=page.get_by_role("link", name=pair_label, exact=True))
    return row.locator("th, td").nth(headers.index(column)).inner_text().strip()


def _breakdown_figure(page, name: str) -> str:
    """The breakdown's count for the fact `name` ("12 · 3.5 h" gives "12")."""
    value = page.locator(f'#dashboard-figures dl.figures dt:text-is("{name}") + dd').first
    return value.inner_text().split("·")[0].strip()


def _drill_into_a_pair(page, lang: str) -> None:
    """pro1's pair from its summary row: its breakdown for the same quarter (the same
    figures as its summary row), the balance table by partner, and still no link into any
    client."""
    counted = {name: _summary_figure(page, PAIRS[0], t(lang, name))
               for name in ("Contacts", "Accompaniments")}
    assert all(value.isdigit() for value in counted.values()), counted
    page.locator("table.pairs-summary").get_by_role("link", name=PAIRS[0], exact=True).click()
    page.wait_for_url(re.compile(r"/dashboard/\?.*pair=\d+"))
    assert "period=quarter" in page.url, page.url
    figures = page.locator("#dashboard-figures")
    expect(figures.get_by_role("heading", name=PAIRS[0], exact=True)).to_be_visible()
    expect(figures.get_by_role("heading", name=PAIRS[1], exact=True)).to_have_count(0)
    table = figures.locator("table.balance-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text(PAIRS[0])
    expect(table.locator("caption")).to_have_text(
        t(lang, "Shares by who took part: contacts, accompaniments, hours"))
    expect(figures.locator("svg.balance-chart rect").first).to_be_attached()
    expect(figures.locator("table.per-partner")).to_be_visible()
    for name, value in counted.items():
        assert _breakdown_figure(page, t(lang, name)) == value, (name, value)
    expect(figures.locator('a[href*="/clients"]')).to_have_count(0)
    expect(figures.get_by_role("link", name=t(lang, "All pairs"), exact=True)).to_be_visible()
    seen(page, "/dashboard/?pair= (this quarter)")


def _read_the_consultation(page, her_path: str, her_name: str, other_path: str,
                           other_name: str, reason: str, lang: str) -> None:
    """From her home page's panel to her list, to the record: read only, and its timeline.
    Another client of the same pair: 404."""
    nav_link(page, t(lang, "Home")).click()
    page.wait_for_url(HOME)
    page.locator("#consultations").get_by_role(
        "link", name=t(lang, "All consultations open to you"), exact=True).click()
    page.wait_for_url(re.compile(r"/consultations$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(lang, "Consultations open to you"))
    expect(page.locator("main")).not_to_contain_text(other_name)
    seen(page)

    page.locator("main").get_by_role("link", name=her_name, exact=True).click()
    page.wait_for_url(re.compile(re.escape(her_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(her_name)
    section = page.locator("#consultation")
    expect(section).to_contain_text(reason)
    expect(section).to_contain_text(prefix(
        lang, "%(name)s opened her record to you for a consultation until %(moment)s. You can "
        "read it, not change it; every read is logged and shown to the pair.", name=PRO_NAME))
    # Read only: no edit, close, quick log or new task on her page.
    for name in ("Edit her record", "Close the record…", "New task about her"):
        expect(page.get_by_role("link", name=t(lang, name), exact=True)).to_have_count(0)
    expect(page.locator("#quick-log")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)
    seen(page, f"{her_path} (the supervisor, in a consultation)")

    page.get_by_role("link", name=t(lang, "Timeline"), exact=True).click()
    page.wait_for_url(re.compile(re.escape(her_path) + r"/timeline(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(her_name)
    seen(page, f"{her_path}/timeline (the supervisor)")

    response = visit(page, other_path)
    assert response is not None and response.status == 404, response and response.status
    expect(page.locator("body")).not_to_contain_text(other_name)
    seen(page, f"{other_path} (404 for the supervisor)")
    _console_clean(page, not_found=1)


def _funder_report(page, lang: str, tmp_path) -> None:
    """From the main navigation: this year's report for every pair she supervises, printed
    (no navigation, choices or buttons on paper) and downloaded as XLSX; neither holds a
    woman's name or code, and the small numbers are suppressed."""
    nav_link(page, t(lang, "Reports")).click()
    page.wait_for_url(re.compile(r"/reports/funder(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Funder report"))
    seen(page, "/reports/funder (last year)")

    # Both demo pairs and the one that ended years ago (outreach.retention.demo), ticked;
    # the pairs journey may have added one more of hers earlier in the session.
    year = local_today().year
    page.get_by_label(t(lang, "Year"), exact=True).select_option(str(year))
    pairs = page.locator("fieldset#pairs input[type=checkbox]")
    expect(pairs.first).to_be_visible()
    assert pairs.count() >= 3
    for index in range(pairs.count()):
        expect(pairs.nth(index)).to_be_checked()
    page.get_by_role("button", name=t(lang, "Show the report"), exact=True).click()
    page.wait_for_url(re.compile(rf"/reports/funder\?(.*&)?year={year}"))
    header = page.locator(".report-header")
    expect(header).to_contain_text(str(year))
    for label in PAIRS:
        expect(header).to_contain_text(label)
    for heading in REPORT_HEADINGS:
        expect(page.get_by_role("heading", level=2, name=t(lang, heading), exact=True)
               ).to_be_visible()
    seen(page, f"/reports/funder ({year})")
    body = page.locator("main").inner_text()
    assert not _names_in(body), _names_in(body)
    assert not CODE.search(body), CODE.search(body)
    assert "<3" in body  # the demo's small numbers are suppressed

    # Printed: the navigation, the choices and the buttons are not on paper.
    page.emulate_media(media="print")
    try:
        expect(page.locator("nav.main-nav")).to_be_hidden()
        expect(page.locator("form.report-choices")).to_be_hidden()
        expect(page.locator(".report-actions")).to_be_hidden()
        expect(header).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        pdf = page.pdf(path=str(tmp_path / f"report-{lang}.pdf"), format="A4")
    finally:
        page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000, len(pdf)
    expect(page.locator("nav.main-nav")).to_be_visible()

    # The same report as an XLSX file.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t(lang, "Download as XLSX"), exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"funder-report-{year}.xlsx"
    saved = tmp_path / f"report-{lang}.xlsx"
    download.save_as(str(saved))
    text = _xlsx_text(saved.read_bytes())
    assert t(lang, "Funder report") in text and "&lt;3" in text
    assert not _names_in(text) and not CODE.search(text)


# --- pro1 again: who read her record; the consultation ends ----------------------------------


def _reads_and_end(pro, her_path: str, lang: str) -> None:
    visit(pro, her_path)
    reads = pro.locator("#consultation .consultation-reads")
    expect(reads).to_contain_text(SUPERVISOR)
    expect(reads).to_contain_text(t(lang, "Her record"))
    expect(reads).to_contain_text(t(lang, "Timeline"))
    seen(pro, f"{her_path} (read through the consultation)", axe=False)
    _end_consultation(pro, her_path, lang)
    expect(pro.locator("#consultation")).to_contain_text(
        prefix(lang, "Ended early by %(name)s", name=PRO_NAME))
    expect(pro.locator("#consultation").get_by_role(
        "link", name=t(lang, "Open her record to the supervisor…"), exact=True)).to_be_visible()
    seen(pro, f"{her_path} (the consultation ended)")


@pytest.mark.parametrize(("lang", "viewport"), RUNS, ids=RUN_IDS)
def test_a_supervisor_reviews_pair_workload(new_context, sign_in, lang, viewport, tmp_path):
    reason = f"Hän pelkää menettävänsä tukiasunnon ({secrets.token_hex(3)})"

    # Setup: pro1, on a desktop of her own, opens a record to the supervisor.
    pro = new_context().new_page()
    sign_in(pro, "pro1@demo.test", lang)
    (her_path, her_name), (other_path, other_name) = _two_demo_clients(pro, lang)
    _open_consultation(pro, her_path, her_name, reason, lang)

    # The supervisor.
    page = new_context(**VIEWPORTS[viewport]).new_page()
    sign_in(page, "supervisor@demo.test", lang)
    _her_home(page, reason, lang)
    _dashboard_for_a_quarter(page, lang)
    _drill_into_a_pair(page, lang)
    _read_the_consultation(page, her_path, her_name, other_path, other_name, reason, lang)
    _funder_report(page, lang, tmp_path)

    # pro1 sees the reads and ends the consultation; the record is closed to the supervisor again.
    _reads_and_end(pro, her_path, lang)
    response = page.goto(her_path)
    assert response is not None and response.status == 404, response and response.status
    expect(page.locator("body")).not_to_contain_text(reason)
    visit(page, "/consultations")
    expect(page.locator("main")).not_to_contain_text(her_name)
    expect(page.locator("main")).to_contain_text(
        t(lang, "No client record is open to you for a consultation now."))
    assert path_of(page.url) == "/consultations"
    seen(page, "/consultations (none open)")
    _console_clean(page, not_found=1)
    _console_clean(pro)
