"""Issue 8, the funder report, in a real browser: the demo supervisor opens it from the main
navigation, chooses the current year (the demo data is recent), prints it to PDF (print
media: no navigation, no form, no buttons) and downloads the XLSX. No woman's name or code
is on the page or in the file. Axe and the phone's width at 360 px, and the desktop."""

import io
import re
import zipfile

from playwright.sync_api import expect

from outreach.clients.demo import PAIR_1, PAIR_2
from outreach.retention.demo import NAME as FORMER_NAME
from tests.e2e.conftest import check_accessibility, no_horizontal_scroll, remember, t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

LANG = "en"
NAMES = [person[0] for person in PAIR_1 + PAIR_2] + [FORMER_NAME]
CODE = re.compile(r"\b[A-Z]-\d{4}-\d{4}\b")  # a client code such as A-2026-0042


def _names_in(text: str) -> list[str]:
    return [name for name in NAMES if re.search(rf"\b{re.escape(name)}\b", text)]


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


def test_supervisor_prints_and_downloads_the_funder_report(sized_page, viewport, sign_in,
                                                           tmp_path):
    page = sized_page
    sign_in(page, "supervisor@demo.test", LANG)
    phone = viewport == "phone"

    # From the main navigation: the report for the last full year by default.
    page.locator("nav.main-nav").get_by_role("link", name=t(LANG, "Reports"), exact=True).click()
    page.wait_for_url(re.compile(r"/reports/funder(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Funder report"))

    # This year, every pair she supervises (ticked by default): both demo pairs, and the one
    # that ended years ago (outreach.retention.demo).
    year = page.evaluate("new Date().getFullYear()")
    page.get_by_label(t(LANG, "Year"), exact=True).select_option(str(year))
    pairs = page.locator("fieldset#pairs input[type=checkbox]")
    expect(pairs).to_have_count(3)
    page.get_by_role("button", name=t(LANG, "Show the report"), exact=True).click()
    page.wait_for_url(re.compile(rf"/reports/funder\?.*year={year}"))
    header = page.locator(".report-header")
    expect(header).to_contain_text(str(year))
    expect(header).to_contain_text("Paula Ammattilainen")
    for heading in ("Women reached", "Contacts", "Accompaniments", "Changes in living situation",
                    "Change in life domains", "Peer-support groups", "Evaluation summaries",
                    "Hours by role"):
        expect(page.get_by_role("heading", level=2, name=t(LANG, heading), exact=True)
               ).to_be_visible()
    remember(page, "funder report")
    check_accessibility(page)
    if phone:
        no_horizontal_scroll(page)
    body = page.locator("main").inner_text()
    assert not _names_in(body) and not CODE.search(body)
    assert "<3" in body  # the demo's small numbers are suppressed

    # Printed: the choices, the buttons and the navigation are not on paper.
    page.emulate_media(media="print")
    expect(page.locator("nav.main-nav")).to_be_hidden()
    expect(page.locator("form.report-choices")).to_be_hidden()
    expect(page.locator(".report-actions")).to_be_hidden()
    expect(header).to_be_visible()
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    page.emulate_media(media="screen")

    # The same report as an XLSX file.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=t(LANG, "Download as XLSX"), exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"funder-report-{year}.xlsx"
    data = (tmp_path / "report.xlsx")
    download.save_as(str(data))
    text = _xlsx_text(data.read_bytes())
    assert t(LANG, "Funder report") in text and "&lt;3" in text
    assert not _names_in(text) and not CODE.search(text)
