"""Issue 7, "Done when" (evaluation): in two browsers, pro1 (desktop) and expert1 (a
360×740 phone) fill their own evaluation forms in a round pro1 opens for pair 1; neither
sees the other's answers (nor the joint review) before both have submitted; then the joint
review shows both, with the part A statements that differ by 2 or more marked, and the
pair records the notes of the joint discussion.

The Finnish UI, through the catalogues (`t`), so that it holds before and after the
translations are merged. Every page is checked with axe and handed to the HTML5 check.
"""

import re
import secrets

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS, checked, flash, visit
from tests.helpers import t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

LANG = "fi"
FORM_URL = re.compile(r"/evaluations/(\d+)/form$")
PRO_A = {"A1": 5, "A2": 5, "A3": 4, "A4": 4, "A5": 5, "A6": 4, "A7": 4, "A8": 5, "A9": 5}
EXPERT_A = {"A1": 2, "A2": 5, "A3": 2, "A4": 4, "A5": 4, "A6": 4, "A7": 3, "A8": 5, "A9": 5}
DIFFERING = {"A1", "A3"}  # |5 - 2| = 3 and |4 - 2| = 2; the others differ by 0 or 1


def notes_box(page):
    return page.get_by_role("textbox", name=t(LANG, "Notes of the joint discussion"),
                            exact=True)


def _fill(page, values: dict[str, int], b_count: int, text: str, quote: bool) -> None:
    """Every statement by its fieldset (legend + radio buttons 1–5) and one open answer."""
    for key, value in {**values, **{f"B{n}": 4 for n in range(1, b_count + 1)}}.items():
        page.locator(f"#{key}-set").get_by_label(str(value), exact=True).check()
    page.get_by_label(t(LANG, "What went particularly well in the cooperation?"),
                      exact=True).fill(text)
    if quote:
        page.locator("#A_open_1_quote").check()


def test_two_partners_evaluate_and_review_together(new_context, sign_in):
    suffix = secrets.token_hex(3)
    pro_text = f"Ammattilaisen oma vastaus ({suffix})"
    expert_text = f"Kokemusasiantuntijan oma vastaus ({suffix})"

    # 1. pro1 opens a round for pair 1 from the pair's page.
    pro1 = new_context().new_page()
    sign_in(pro1, "pro1@demo.test", LANG)
    visit(pro1, "/pairs/")
    panel = pro1.locator("#evaluations-panel")
    expect(panel.get_by_role("heading", name=t(LANG, "Evaluation"))).to_be_visible()
    checked(pro1)
    panel.get_by_role("link", name=t(LANG, "Open a new evaluation round")).click()
    pro1.wait_for_url(re.compile(r"/pairs/\d+/evaluations/new$"))
    checked(pro1)
    expect(pro1.get_by_label(t(LANG, "Pair work in outreach"), exact=True)).to_be_checked()
    pro1.get_by_label(t(LANG, "Duration of the cooperation"), exact=True).fill("6 kuukautta")
    pro1.get_by_role("button", name=t(LANG, "Open the round")).click()
    pro1.wait_for_url(FORM_URL)
    round_id = FORM_URL.search(pro1.url).group(1)
    form_url = f"/evaluations/{round_id}/form"
    review_url = f"/evaluations/{round_id}/review"
    expect(flash(pro1)).to_contain_text(t(LANG, "The evaluation round was opened. Each partner "
                                                "now fills in her or his own form."))
    checked(pro1)

    # ...fills in and submits her form (one answer may be quoted).
    _fill(pro1, PRO_A, 4, pro_text, quote=True)
    pro1.get_by_role("button", name=t(LANG, "Submit the form")).click()
    pro1.wait_for_url(re.compile(r"/pairs/\d+/evaluations$"))
    expect(flash(pro1)).to_contain_text(t(LANG, "Your form was submitted. You will see your "
                                                "partner's answers once your partner has "
                                                "submitted too."))
    checked(pro1)
    assert pro1.goto(review_url).status == 404  # the expert has not submitted

    # 2. expert1 on a phone: the form waits on her home page; pro1's answers do not show.
    expert1 = new_context(**VIEWPORTS["phone"]).new_page()
    sign_in(expert1, "expert1@demo.test", LANG)
    waiting = expert1.locator("#evaluations-waiting")
    expect(waiting.get_by_role("heading")).to_have_text(
        t(LANG, "Evaluation forms waiting for you"))
    checked(expert1, phone=True)
    waiting.locator(f'a[href="{form_url}"]').click()
    expert1.wait_for_url(re.compile(rf"{form_url}$"))
    expect(expert1.locator("#form_state")).to_contain_text(t(LANG, "Your partner: submitted"))
    assert pro_text not in expert1.content()
    checked(expert1, phone=True)
    assert expert1.goto(review_url).status == 404
    assert pro_text not in expert1.content()

    # A draft first: kept for her, invisible to pro1.
    visit(expert1, form_url)
    _fill(expert1, EXPERT_A, 6, expert_text, quote=False)
    expert1.get_by_role("button", name=t(LANG, "Save as a draft")).click()
    expect(flash(expert1)).to_contain_text(t(LANG, "Your draft was saved. Your partner cannot "
                                                   "see it."))
    expect(expert1.get_by_label(t(LANG, "What went particularly well in the cooperation?"),
                                exact=True)).to_have_value(expert_text)
    checked(expert1, phone=True)
    visit(pro1, form_url)
    expect(pro1.locator("#form_state")).to_contain_text(t(LANG, "Your partner: waiting"))
    assert expert_text not in pro1.content()
    assert pro1.goto(review_url).status == 404
    checked(pro1)

    # 3. She submits: both have, so the joint review opens with the divergences marked.
    visit(expert1, form_url)
    expert1.get_by_role("button", name=t(LANG, "Submit the form")).click()
    expert1.wait_for_url(re.compile(rf"{review_url}$"))
    for page, phone in ((expert1, True), (pro1, False)):
        if page is pro1:
            visit(pro1, review_url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(t(LANG, "Joint review"))
        for key in PRO_A:
            card = page.locator(f"#compare-{key}")
            mark = card.get_by_text(t(LANG, "Differ by 2 or more"), exact=True)
            if key in DIFFERING:
                expect(card).to_have_class(re.compile(r"\bdiffers\b"))
                expect(mark).to_be_visible()
            else:
                expect(mark).to_have_count(0)
        expect(page.get_by_text(pro_text)).to_be_visible()
        expect(page.get_by_text(expert_text)).to_be_visible()
        checked(page, phone=phone)

    # 4. pro1 records the notes of the joint discussion.
    notes = f"Kävimme läpi tavoitteet ja roolit ({suffix})."
    notes_box(pro1).fill(notes)
    pro1.get_by_role("button", name=t(LANG, "Save the notes")).click()
    expect(flash(pro1)).to_contain_text(t(LANG, "The notes of the joint discussion were saved."))
    expect(notes_box(pro1)).to_have_value(notes)
    checked(pro1)
    visit(expert1, review_url)
    expect(notes_box(expert1)).to_have_value(notes)
    checked(expert1, phone=True)
