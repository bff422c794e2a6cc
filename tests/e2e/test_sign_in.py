"""Signing in and out in a real browser: every demo account in every language, with and
without JavaScript, on a phone and a desktop, accessible (axe) and within the CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ACCOUNTS,
    LANGUAGES,
    LOGIN_URL,
    LOGOUT_BUTTON,
    VIEWPORTS,
    check_accessibility,
    expect_home,
    no_horizontal_scroll,
    remember,
    role_name,
    visit,
)
from tests.helpers import MARKUP_CHECKS, t

ONE_PER_ROLE = {role: (email, name) for email, name, role in reversed(ACCOUNTS)}


def _header_text(page) -> str:
    return " ".join(page.locator(".main-nav .who").inner_text().split())


# Every account in every language; on PostgreSQL (what the database does is the same in
# every language) every account once, the languages taken in turn (tests/helpers.py).
SIGN_INS = [(*account, lang) for account in ACCOUNTS for lang in LANGUAGES] if MARKUP_CHECKS \
    else [(*account, LANGUAGES[n % len(LANGUAGES)]) for n, account in enumerate(ACCOUNTS)]


@pytest.mark.parametrize(("email", "name", "role", "lang"), SIGN_INS,
                         ids=[f"{email}-{lang}" for email, _n, _r, lang in SIGN_INS])
def test_every_account_signs_in_and_out_in_every_language(
    page, sign_in, sign_out, email, name, role, lang
):
    sign_in(page, email, lang)  # checks <html lang> on the login page, lands on home

    # The header names the user and the role; the greeting names the user.
    assert name in _header_text(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)

    # Loaded in full (no htmx), the page's declared language and its text agree.
    visit(page, "/")
    page_lang = page.locator("html").get_attribute("lang")
    assert page_lang == lang  # the language picked on the sign-in page stays
    assert _header_text(page) == f"{name} · {role_name(role, page_lang)}"

    sign_out(page)  # back on the login page, no sign-out button


def test_english_login_form_contract(page):
    visit(page, "/login?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Email", exact=True)).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("name", "email")
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("type", "password")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_login_page_is_accessible_and_fits_a_phone(sized_page, viewport, lang):
    visit(sized_page, f"/login?lang={lang}")
    check_accessibility(sized_page)
    if viewport == "phone":
        no_horizontal_scroll(sized_page)


@pytest.mark.parametrize("role", list(ONE_PER_ROLE))
def test_home_page_is_accessible_and_fits_a_phone(page, sign_in, role):
    email, _name = ONE_PER_ROLE[role]
    page.set_viewport_size(VIEWPORTS["phone"]["viewport"])
    sign_in(page, email, "fi")  # Finnish has the longest words
    no_horizontal_scroll(page)
    check_accessibility(page)
    # One sign-in for both sizes: the same page, resized to the desktop.
    page.set_viewport_size(VIEWPORTS["desktop"]["viewport"])
    check_accessibility(page)


def test_wrong_password_shows_the_error_at_the_field_and_does_not_sign_in(page):
    visit(page, "/login?lang=en")
    page.get_by_label("Email", exact=True).fill("pro1@demo.test")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/login")
    ) as answer:
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert answer.value.status == 422
    assert answer.value.request.headers.get("hx-request") == "true"  # swapped in by htmx

    password = page.get_by_label("Password", exact=True)
    error = page.locator("#password-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(t("en", "Wrong email or password."))
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", re.compile(r"\bpassword-error\b"))
    expect(page.get_by_role("alert")).to_be_visible()
    # Focus is moved to the content (app.js) or kept in the form, not lost on the body.
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused in {"main", "email", "password"}
    # What was typed is kept; nobody is signed in.
    expect(page.get_by_label("Email", exact=True)).to_have_value("pro1@demo.test")
    expect(page).to_have_url(LOGIN_URL)
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    remember(page, "/login (wrong password)")
    check_accessibility(page)

    visit(page, "/")
    expect(page).to_have_url(LOGIN_URL)


def test_signing_in_and_out_works_without_javascript(new_context, sign_in, sign_out):
    page = new_context(java_script_enabled=False).new_page()
    htmx_requests = []
    page.on("request", lambda r: r.headers.get("hx-request") and htmx_requests.append(r.url))
    sign_in(page, "supervisor@demo.test", "sv")
    # A full page load: its declared language and its text agree.
    page_lang = page.locator("html").get_attribute("lang")
    assert _header_text(page) == f"Sirpa Esihenkilö · {role_name('supervisor', page_lang)}"
    sign_out(page)
    # Signed out for real: home sends the browser back to the login page.
    visit(page, "/")
    expect(page).to_have_url(LOGIN_URL)
    assert htmx_requests == []  # plain form posts and page loads only


def test_htmx_is_loaded_and_boosts_the_navigation(page, sign_in, console_errors):
    sign_in(page, "expert1@demo.test", "en")
    assert page.evaluate("typeof window.htmx") == "object"
    page.evaluate("window.__marker = 'still here'")

    # A link in the page (the language switch), then the brand link home: both boosted.
    with page.expect_request(lambda r: "lang=sv" in r.url) as sent:
        page.locator('nav a[hreflang="sv"]').click()
    assert sent.value.headers.get("hx-boosted") == "true"
    expect(page).to_have_url(re.compile(r"/\?lang=sv$"))
    expect(page.locator(".main-nav .who")).to_have_text(
        f"Eeva Kokemusasiantuntija · {role_name('expert', 'sv')}"
    )
    remember(page)

    with page.expect_request(lambda r: r.url.endswith("/")) as sent:
        page.locator("a.brand").click()
    assert sent.value.headers.get("hx-boosted") == "true"
    expect_home(page, "Eeva Kokemusasiantuntija")
    # No full page load happened: the window (and what was set on it) is the same.
    assert page.evaluate("window.__marker") == "still here"
    # (Every test checks this as it goes; here explicitly, after htmx has done its work.)
    csp = [text for text in console_errors if "Content Security Policy" in text]
    assert csp == [], "\n".join(csp)


def test_boosted_language_switch_updates_the_page_language(page):
    visit(page, "/login?lang=fi")
    page.locator('nav a[hreflang="en"]').click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()  # English
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=1000)
