"""Issue 4, "Done when", in a real browser:

- an administrator creates two accounts and a pair of them; both sign in with their
  one-time passwords, must change them, and see their pair (on a phone);
- the two partners fill the start-up agreement from two browsers, a stale save gets the
  409 page with both versions and nothing lost; the expert can open the pair's clients
  only after the confidentiality date is saved (on a desktop).

Every page reached is checked with axe and handed to the HTML5 check. The English UI
(`?lang=en` on the sign-in page, kept for the session) names the labels and buttons.
"""

import re
import secrets

from playwright.sync_api import expect

from outreach.core.time import local_today
from tests.e2e.conftest import HOME_URL, LOGIN_URL, LOGOUT_BUTTON, VIEWPORTS, checked, flash, visit

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

SUPERVISOR = "Sirpa Esihenkilö"  # the demo supervisor (outreach/demo.py)
PAIR_2 = "Pirjo Ammattilainen & Essi Kokemusasiantuntija"  # no confidentiality date yet
PASSWORD_URL = re.compile(r"/password(\?.*)?$")
PAIR_URL = re.compile(r"/pairs/(\d+)(\?.*)?$")
AGREEMENT_URL = re.compile(r"/pairs/\d+/agreement(\?.*)?$")
USER_URL = re.compile(r"/admin/users/\d+(\?.*)?$")

# Agreement labels (outreach/pairs/agreement.py): the questions are the labels.
VALUES_4 = "What do you consider important in leading a group?"
ROLES_5 = ("What thoughts and feelings does being an experience expert in a peer group "
           "raise in you?")
CONFIDENTIALITY = "Confidentiality agreement signed on"
SAVED = "The start-up agreement was saved."


def sign_in_with(page, email: str, password: str) -> None:
    """Through the English sign-in form; where it lands is up to the caller."""
    visit(page, "/login?lang=en")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def open_our_pair(page, label: str) -> None:
    """From the home page's card of the pair."""
    if not HOME_URL.match(page.url):
        page.locator(".main-nav").get_by_role("link", name="Home", exact=True).click()
        page.wait_for_url(HOME_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    page.locator("main .card").get_by_role("link", name=label, exact=True).click()
    page.wait_for_url(PAIR_URL)


# --- (a) accounts and a pair, on a phone ---------------------------------------------------


def _create_account(page, name: str, email: str, role: str, password: str) -> None:
    page.locator("nav.main-nav").get_by_role("link", name="Accounts", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/users(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    checked(page, phone=True)
    page.get_by_role("link", name="New account", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/users/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New account")
    checked(page, phone=True)

    form = page.locator("main form[method=post]")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Email", exact=True).fill(email)
    form.get_by_label("Role", exact=True).select_option(label=role)
    form.get_by_label("Language", exact=True).select_option(label="English")
    form.get_by_label("One-time password", exact=True).fill(password)
    page.get_by_role("button", name="Create account", exact=True).click()

    page.wait_for_url(USER_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(flash(page)).to_contain_text(f"The account of {name} was created.")
    checked(page, phone=True)


def _first_sign_in(page, email: str, one_time: str, new_password: str) -> None:
    """Signing in with the one-time password leads to the password change, and nowhere
    else until the password is changed."""
    sign_in_with(page, email, one_time)
    page.wait_for_url(PASSWORD_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Change password")
    expect(page.locator("main")).to_contain_text(
        "You signed in with a one-time password. Choose your own password to go on."
    )
    checked(page, phone=True)

    visit(page, "/pairs/")  # any other page sends her back
    expect(page).to_have_url(PASSWORD_URL)

    page.get_by_label("Current password", exact=True).fill(one_time)
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("New password again", exact=True).fill(new_password)
    page.get_by_role("button", name="Change password", exact=True).click()
    page.wait_for_url(HOME_URL)
    expect(flash(page)).to_contain_text("Your password has been changed.")
    checked(page, phone=True)


def _sees_the_pair(page, label: str, professional: str, expert: str, pair_id: str) -> None:
    open_our_pair(page, label)
    expect(page).to_have_url(re.compile(rf"/pairs/{pair_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Our pair: {label}")
    facts = page.locator("main dl.facts").first
    expect(facts).to_contain_text(professional)
    expect(facts).to_contain_text(expert)
    expect(facts).to_contain_text(SUPERVISOR)
    checked(page, phone=True)


def test_admin_creates_two_accounts_and_a_pair_who_sign_in_and_see_it(new_context, sign_in):
    phone = VIEWPORTS["phone"]
    suffix = secrets.token_hex(3)  # a new pair on every run against the same server
    pro_name, pro_email = f"Pia Proffa {suffix}", f"pia.{suffix}@e2e.test"
    expert_name, expert_email = f"Kaisa Kokemus {suffix}", f"kaisa.{suffix}@e2e.test"
    pro_once, expert_once = f"kertakayttoinen-{suffix}-p", f"kertakayttoinen-{suffix}-e"
    label = f"{pro_name} & {expert_name}"

    admin = new_context(**phone).new_page()
    sign_in(admin, "admin@demo.test", "en")
    checked(admin, phone=True)
    _create_account(admin, pro_name, pro_email, "Professional", pro_once)
    _create_account(admin, expert_name, expert_email, "Experience expert", expert_once)

    admin.locator("nav.main-nav").get_by_role("link", name="Pairs", exact=True).click()
    admin.wait_for_url(re.compile(r"/pairs/(\?.*)?$"))
    checked(admin, phone=True)
    admin.get_by_role("link", name="New pair", exact=True).click()
    admin.wait_for_url(re.compile(r"/pairs/new$"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("New pair")
    checked(admin, phone=True)
    admin.get_by_label("Professional", exact=True).select_option(label=pro_name)
    admin.get_by_label("Experience expert", exact=True).select_option(label=expert_name)
    admin.get_by_label("Supervisor", exact=True).select_option(label=SUPERVISOR)
    expect(admin.get_by_label("Start date", exact=True)).to_have_value(local_today().isoformat())
    admin.get_by_role("button", name="Create the pair", exact=True).click()
    admin.wait_for_url(PAIR_URL)
    pair_id = PAIR_URL.search(admin.url).group(1)
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Pair: {label}")
    expect(flash(admin)).to_contain_text(f"The pair {label} was created.")
    checked(admin, phone=True)

    # Both new people, each in a browser of their own.
    professional = new_context(**phone).new_page()
    expert = new_context(**phone).new_page()
    _first_sign_in(professional, pro_email, pro_once, f"oma salasana {suffix} P")
    _first_sign_in(expert, expert_email, expert_once, f"oma salasana {suffix} E")
    _sees_the_pair(professional, label, pro_name, expert_name, pair_id)
    _sees_the_pair(expert, label, pro_name, expert_name, pair_id)

    # The one-time password is spent; the new one works and asks for nothing more.
    expert.locator(LOGOUT_BUTTON).click()
    expert.wait_for_url(LOGIN_URL)
    sign_in_with(expert, expert_email, expert_once)
    expect(expert.locator("#password-error")).to_have_text("Wrong email or password.")
    checked(expert, "/login (spent one-time password)", phone=True)
    expert.get_by_label("Password", exact=True).fill(f"oma salasana {suffix} E")
    expert.get_by_role("button", name="Sign in", exact=True).click()
    expert.wait_for_url(HOME_URL)
    expect(expert.get_by_role("heading", level=1)).to_have_text(f"Hello, {expert_name}")
    checked(expert, phone=True)

    # "Our pair" in the main navigation is her pair's page, as it is without JavaScript.
    expert.locator(".main-nav").get_by_role("link", name="Our pair", exact=True).click()
    expect(expert.get_by_role("heading", level=1)).to_have_text(f"Our pair: {label}")
    expect(expert).to_have_url(re.compile(rf"/pairs/{pair_id}$"))
    checked(expert, phone=True)


# --- (b) the start-up agreement from two browsers, and the confidentiality gate ---------


def _open_agreement(page) -> str:
    open_our_pair(page, PAIR_2)
    checked(page)
    page.get_by_role("link", name="Open the start-up agreement", exact=True).click()
    page.wait_for_url(AGREEMENT_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Start-up agreement")
    checked(page)
    return page.url


def _save(page):
    """Press save; the answer to the form's POST."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and AGREEMENT_URL.search(r.url) is not None
    ) as answer:
        page.get_by_role("button", name="Save the agreement", exact=True).click()
    return answer.value


def test_partners_fill_the_agreement_together_and_the_gate_opens_on_the_date(
    new_context, sign_in
):
    pro = new_context().new_page()
    expert = new_context().new_page()
    sign_in(pro, "pro2@demo.test", "en")
    sign_in(expert, "expert2@demo.test", "en")

    # One of pair 2's clients, as the professional sees her.
    visit(pro, "/clients/")
    checked(pro)
    client_link = pro.locator("main table tbody a[href]").first
    expect(client_link).to_be_visible()
    client_url = client_link.get_attribute("href")
    response = visit(pro, client_url)
    assert response.status == 200, f"pro2 cannot open {client_url}: {response.status}"

    # Before the confidentiality date: the expert's home page says why, and the client's
    # address is a 404 for her.
    warning = expert.locator(".message.warning").filter(has_text="confidentiality agreement")
    expect(warning).to_contain_text(
        f"You cannot open the client records of the pair {PAIR_2} yet, because the "
        "confidentiality agreement has not been recorded."
    )
    expect(warning.get_by_role("link")).to_have_attribute("href", AGREEMENT_URL)
    checked(expert)
    response = visit(expert, client_url)
    assert response.status == 404, (
        f"expert2 opened {client_url} before the confidentiality date: {response.status}"
    )
    expect(expert.get_by_role("heading", level=1)).to_have_text("Page not found")
    checked(expert, f"{client_url} (404 before the confidentiality agreement)")
    visit(expert, "/clients/")
    expect(expert.locator(f'main a[href="{client_url}"]')).to_have_count(0)
    checked(expert)

    # Both open the agreement; each writes a different note.
    agreement_url = _open_agreement(pro)
    assert _open_agreement(expert) == agreement_url
    expect(pro.get_by_label(CONFIDENTIALITY, exact=True)).to_have_value("")  # the demo's gap

    pro_note = "Pirjo: turvallisuus ja kiireettömyys ovat tärkeintä."
    expert_note = "Essi: ylpeyttä ja vähän jännitystä, ja se on ihan ok."
    pro.get_by_label(VALUES_4, exact=True).fill(pro_note)
    expert.get_by_label(ROLES_5, exact=True).fill(expert_note)

    assert _save(pro).status == 302  # POST, then redirected back to the page
    expect(flash(pro)).to_contain_text(SAVED)
    expect(pro.get_by_label(VALUES_4, exact=True)).to_have_value(pro_note)
    checked(pro)

    # The expert's page is now stale: 409, both versions, her input kept.
    assert _save(expert).status == 409
    expect(expert.get_by_role("alert")).to_contain_text(
        "Your pair saved the agreement while you were editing it."
    )
    saved = expert.locator(".stale section").filter(
        has=expert.get_by_role("heading", name="Saved version", exact=True)
    )
    mine = expert.locator(".stale section").filter(
        has=expert.get_by_role("heading", name="Your version, not saved yet", exact=True)
    )
    expect(saved).to_contain_text(pro_note)
    expect(mine).to_contain_text(expert_note)
    expect(mine).not_to_contain_text(pro_note)
    expect(expert.get_by_label(ROLES_5, exact=True)).to_have_value(expert_note)
    checked(expert, f"{agreement_url} (409)")

    # After reloading she sees the professional's note and saves her own.
    expert.reload()
    expect(expert.get_by_label(VALUES_4, exact=True)).to_have_value(pro_note)
    expect(expert.locator(".stale")).to_have_count(0)
    expert.get_by_label(ROLES_5, exact=True).fill(expert_note)
    assert _save(expert).status == 302
    expect(flash(expert)).to_contain_text(SAVED)
    expect(expert.get_by_label(VALUES_4, exact=True)).to_have_value(pro_note)
    expect(expert.get_by_label(ROLES_5, exact=True)).to_have_value(expert_note)
    checked(expert)

    # The gate is still shut until the confidentiality date is saved.
    response = visit(expert, client_url)
    assert response.status == 404

    # The professional reloads (the expert saved since) and records the date.
    pro.reload()
    expect(pro.get_by_label(ROLES_5, exact=True)).to_have_value(expert_note)
    pro.get_by_label(CONFIDENTIALITY, exact=True).fill(local_today().isoformat())
    assert _save(pro).status == 302
    expect(flash(pro)).to_contain_text(SAVED)
    expect(pro.get_by_label(CONFIDENTIALITY, exact=True)).to_have_value(
        local_today().isoformat()
    )
    checked(pro)

    # Now the expert opens the client, and her home page no longer warns.
    response = visit(expert, client_url)
    assert response.status == 200, (
        f"expert2 cannot open {client_url} after the confidentiality date: {response.status}"
    )
    expect(expert.get_by_role("heading", level=1)).not_to_have_text("Page not found")
    checked(expert)
    visit(expert, "/clients/")
    expect(expert.locator(f'main a[href="{client_url}"]')).to_have_count(1)
    checked(expert)
    visit(expert, "/")
    expect(expert.locator(".message.warning").filter(has_text="confidentiality")).to_have_count(0)
    checked(expert)
