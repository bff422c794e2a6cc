"""Issue 5, "Done when", in a real browser:

- pro1, on a phone, creates a client, records her consent, makes two situation mappings
  and sees the chart change, breaks a challenge into three steps and records her
  decisions on them (the decision buttons swap the step's row in place with htmx);
- expert1, on a desktop, finds the same client with the active search, sees the steps and
  decisions and edits her record;
- expert2 and pro2 get 404 for her by every URL, htmx fragments included;
- the supervisor gets no client content: 403/404 for her URLs, and her name is nowhere
  the supervisor can navigate to.

Every page reached is checked with axe and handed to the HTML5 check. The English UI
(`?lang=en` on the sign-in page, kept for the session) names the labels and buttons.
"""

import json
import re
import secrets
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import expect

from outreach.core.time import local_today
from tests.conftest import remember_page
from tests.e2e.conftest import (
    CHALLENGES_URL,
    CLIENT_URL,
    MAPPING_URL,
    VIEWPORTS,
    add_challenge,
    add_step,
    checked,
    create_client,
    decide_step,
    flash,
    nav_link,
    open_challenges,
    record_consent,
    visit,
)

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

EDIT_URL = re.compile(r"/clients/\d+/edit(\?.*)?$")
NOT_FOUND = "Page not found"
FRAGMENT = {"HX-Request": "true", "HX-Target": "timeline-entries"}

# Ratings of the two mappings: (first, second) per life domain; the rest not assessed.
RATINGS = {
    "Housing": ("2", "4"),
    "Income and debts": ("3", "3"),
    "Mental health": ("2", "3"),
    "Safety and violence": ("4", "5"),
}
SLUG = {  # element ids of the client page's charts (outreach/mappings/chart.py)
    "Housing": "housing",
    "Income and debts": "income-debts",
    "Mental health": "mental-health",
    "Safety and violence": "safety-violence",
}
SCALE = {"1": "1 – acute crisis", "5": "5 – stable"}  # the ends carry their meaning

STEPS = [  # proposal, her decision
    ("Soitetaan yhdessä asumisneuvojalle ja kysytään jonotilanne.", "Agreed"),
    ("Haetaan Kelalta asumistuki, täytetään hakemus yhdessä.", "Wants to think"),
    ("Mennään ensi viikolla katsomaan tukiasuntoa Kalliossa.", "Declined"),
]


# --- 1. pro1 on a phone: the client, her consent, two mappings ------------------------------


def _create_client(page, name: str) -> str:
    client_url = create_client(page, name, phone=True, place="Rautatientorin metroasema")
    expect(page.locator("#mappings")).to_contain_text("No situation mappings yet.")
    return client_url


def _record_consent(page, client_url: str) -> None:
    record_consent(page, client_url, phone=True)
    expect(page.locator("#consent")).to_contain_text("State:")
    expect(
        page.locator("#consent").get_by_role("link", name="Record a new consent", exact=True)
    ).to_be_visible()


def _rate(page, domain: str, rating: str) -> None:
    group = page.get_by_role("group", name=domain, exact=True)
    group.get_by_label(SCALE.get(rating, rating), exact=True).check()


def _make_mapping(page, client_url: str, which: int, words: str) -> None:
    """`which`: 0 for the first mapping, 1 for the second (RATINGS' columns)."""
    visit(page, client_url)
    page.locator("#mappings").get_by_role("link", name="New mapping", exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}/mappings/new$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("New situation mapping")
    expect(page.get_by_label("Date of the mapping", exact=True)).to_have_value(
        local_today().isoformat()
    )
    if which:
        # A new mapping starts from the last one's values; that one stays as it was.
        expect(page.locator("main .lead")).to_contain_text("The form starts from the mapping")
        for domain, ratings in RATINGS.items():
            group = page.get_by_role("group", name=domain, exact=True)
            expect(
                group.get_by_label(SCALE.get(ratings[0], ratings[0]), exact=True)
            ).to_be_checked()
    checked(page, phone=True)
    for domain, ratings in RATINGS.items():
        _rate(page, domain, ratings[which])
    page.get_by_label("What matters most to her, in her own words", exact=True).fill(words)
    page.get_by_role("button", name="Save the mapping", exact=True).click()

    page.wait_for_url(MAPPING_URL)
    expect(flash(page)).to_contain_text("The situation mapping was saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Situation mapping of")
    expect(page.locator("main")).to_contain_text(words)
    checked(page, phone=True)


def _chart_points(page, domain: str) -> list[str]:
    svg = page.locator(f"#section-mapping-chart-{SLUG[domain]}")
    return svg.locator("circle.chart-point").evaluate_all(
        "circles => circles.map(c => c.getAttribute('data-rating'))"
    )


def _chart_table(page):
    charts = page.locator("#mappings")
    charts.get_by_text("Show as a table", exact=True).click()  # opens the <details>
    table = charts.get_by_role("table")
    expect(table).to_be_visible()
    return table


def _mappings_and_chart(page, client_url: str) -> None:
    _make_mapping(page, client_url, 0, "Oma rauha ja se, että saa nähdä lastaan.")
    visit(page, client_url)
    section = page.locator("#mappings")
    expect(section).to_contain_text("1 mapping in all")
    assert _chart_points(page, "Housing") == ["2"]
    expect(section.locator("#section-mapping-chart-housing polyline")).to_have_count(0)
    table = _chart_table(page)
    expect(table.locator("thead th")).to_have_count(2)  # the domain and one date
    expect(table.get_by_role("row", name=re.compile(r"^Housing"))).to_contain_text("2")
    checked(page, phone=True)

    _make_mapping(page, client_url, 1, "Asunto, ja että lapsi saa tulla kylään.")
    visit(page, client_url)
    expect(section).to_contain_text("2 mappings in all")
    for domain, ratings in RATINGS.items():
        assert _chart_points(page, domain) == list(ratings), domain
    expect(section.locator("#section-mapping-chart-housing polyline")).to_have_count(1)
    expect(section.locator("#section-mapping-chart-housing desc")).to_contain_text(": 2; ")
    expect(section.locator("#section-mapping-chart-housing desc")).to_contain_text(": 4.")
    table = _chart_table(page)
    expect(table.locator("thead th")).to_have_count(3)  # the domain and two dates
    for domain, ratings in RATINGS.items():
        cells = table.get_by_role("row", name=re.compile(rf"^{re.escape(domain)}")).locator("td")
        expect(cells).to_have_text(list(ratings))
    checked(page, phone=True)


# --- 2. pro1: a challenge, three steps, her decisions with htmx ------------------------------


def _add_challenge(page, client_url: str, words: str) -> None:
    open_challenges(page, phone=True)
    add_challenge(page, client_url, "Housing", words, phone=True)
    expect(page.locator("li.challenge").filter(has_text=words)).to_contain_text("No steps yet.")


def _add_step(page, client_url: str, words: str, proposal: str, axe: bool) -> None:
    challenge = page.locator("li.challenge").filter(has_text=words)
    add_step(page, client_url, challenge, proposal, phone=True, axe=axe)


def _decide(page, proposal: str, decision: str) -> None:
    """One of the three buttons: htmx posts it and swaps the step's row, no page load."""
    decide_step(page, proposal, decision, "Paula Ammattilainen", phone=True)


# --- 5. the supervisor: nothing of her anywhere --------------------------------------------


def _supervisor_pages(page, limit: int = 40) -> list[tuple[str, str]]:
    """Every page the supervisor reaches by following links from her home page (GET only;
    the language links and signing out are left alone). Each is handed to the HTML5 check;
    axe runs on the ones the browser opens."""
    seen, queue, pages = set(), ["/"], []
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.request.get(path)
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        html = response.text()
        pages.append((path, html))
        remember_page(f"e2e {path} (supervisor)", html)
        for href in re.findall(r'<a\b[^>]*\bhref="([^"#]+)', html):
            target = urlsplit(urljoin(f"http://x{path}", href.replace("&amp;", "&")))
            if (
                target.netloc != "x"
                or "lang=" in target.query
                or target.path.startswith(("/static", "/logout"))
            ):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


# --- The journey -----------------------------------------------------------------------------


def test_a_client_from_consent_to_her_decisions_seen_by_her_pair_only(new_context, sign_in):
    suffix = secrets.token_hex(3)  # a new client on every run against the same server
    name = f"Tuuli Testinen {suffix}"
    challenge_words = f"En halua enää yöpyä kavereiden sohvilla ({suffix})."

    # 1. pro1 on a phone.
    pro1 = new_context(**VIEWPORTS["phone"]).new_page()
    sign_in(pro1, "pro1@demo.test", "en")
    checked(pro1, phone=True)
    client_url = _create_client(pro1, name)
    client_id = CLIENT_URL.search(client_url).group(1)
    code = pro1.locator("h1 .code").inner_text().strip()
    assert re.fullmatch(r"A-\d{4}-\d{4,}", code), code
    _record_consent(pro1, client_url)
    _mappings_and_chart(pro1, client_url)
    mapping_url = pro1.locator("#mappings").get_by_role("link").first.get_attribute("href")
    assert MAPPING_URL.search(mapping_url), mapping_url

    # 2. pro1: a challenge in three steps, and her decision on each.
    _add_challenge(pro1, client_url, challenge_words)
    for n, (proposal, _decision) in enumerate(STEPS):
        _add_step(pro1, client_url, challenge_words, proposal, axe=n in (0, len(STEPS) - 1))
    for proposal, decision in STEPS:
        _decide(pro1, proposal, decision)
    step_row = pro1.locator("li.step").first.get_attribute("id")  # "step-<id>"
    decision_url = f"{client_url}/challenges/steps/{step_row.removeprefix('step-')}/decision"
    visit(pro1, client_url)
    expect(pro1.locator("#challenges")).to_contain_text(
        "Agreed: 1 · Wants to think: 1 · Declined: 1"
    )
    checked(pro1, phone=True)

    # Her timeline has all of it; its htmx fragment answers the pair.
    pro1.get_by_role("link", name="Timeline", exact=True).click()
    pro1.wait_for_url(re.compile(rf"{client_url}/timeline$"))
    entries = pro1.locator("#timeline-entries")
    for kind in ("Consent", "Situation mapping", "Challenge", "Her decision on a step"):
        expect(entries.get_by_text(kind, exact=True).first).to_be_visible()
    checked(pro1, phone=True)
    timeline_url = f"{client_url}/timeline"
    fragment = pro1.request.get(timeline_url, headers=FRAGMENT)
    assert fragment.status == 200
    assert "<html" not in fragment.text().lower()

    # 3. expert1 on a desktop: the active search finds her.
    expert1 = new_context().new_page()
    sign_in(expert1, "expert1@demo.test", "en")
    nav_link(expert1, "Clients").click()
    expert1.wait_for_url(re.compile(r"/clients/(\?.*)?$"))
    checked(expert1)
    expert1.evaluate("window.__sameDocument = true")
    with expert1.expect_response(lambda r: "q=" in r.url and r.request.method == "GET") as found:
        expert1.get_by_label("Search by name, code or place", exact=True).fill(name)
    assert found.value.request.headers.get("hx-target") == "client-list"
    rows = expert1.locator("#client-list table tbody tr")
    expect(rows).to_have_count(1)
    expect(expert1.locator("#client-list [role=status]")).to_have_text("1 client")
    expect(expert1).to_have_url(re.compile(r"[?&]q="))  # pushed: the address can be shared
    assert expert1.evaluate("window.__sameDocument === true"), "the search reloaded the page"
    checked(expert1, "/clients/?q= (active search)")
    rows.get_by_role("link", name=name, exact=True).click()
    expert1.wait_for_url(re.compile(rf"{client_url}$"))
    expect(expert1.get_by_role("heading", level=1)).to_contain_text(name)
    expect(expert1.locator("#challenges")).to_contain_text(
        "Agreed: 1 · Wants to think: 1 · Declined: 1"
    )
    checked(expert1)

    expert1.locator("#challenges").get_by_role(
        "link", name="All challenges and steps", exact=True
    ).click()
    expert1.wait_for_url(CHALLENGES_URL)
    for proposal, decision in STEPS:
        row = expert1.locator("li.step").filter(has_text=proposal)
        expect(row.locator(".badge").first).to_have_text(decision)
        expect(row).to_contain_text("recorded by Paula Ammattilainen")
    checked(expert1)

    visit(expert1, client_url)
    expert1.get_by_role("link", name="Edit her record", exact=True).click()
    expert1.wait_for_url(EDIT_URL)
    expect(expert1.get_by_role("heading", level=1)).to_contain_text("Edit her record")
    checked(expert1)
    place = expert1.get_by_label("Where she can usually be found (optional)", exact=True)
    expect(place).to_have_value("Rautatientorin metroasema")
    place.fill("Hakaniemen tori, aamupäivisin")
    expert1.get_by_role("button", name="Save", exact=True).click()
    expert1.wait_for_url(re.compile(rf"{client_url}$"))
    expect(flash(expert1)).to_contain_text("The changes were saved.")
    expect(expert1.locator("dl.facts").first).to_contain_text("Hakaniemen tori, aamupäivisin")
    checked(expert1)

    # 4. The other pair: 404 by every URL, fragments included.
    her_urls = [
        client_url,
        timeline_url,
        f"{client_url}/edit",
        f"{client_url}/consents/",
        f"{client_url}/mappings/",
        mapping_url,
        f"{client_url}/challenges/",
        f"{client_url}/challenges/new",
    ]
    for n, email in enumerate(("expert2@demo.test", "pro2@demo.test")):
        other = new_context().new_page()
        sign_in(other, email, "en")
        for url in (client_url, timeline_url):
            response = visit(other, url)
            assert response.status == 404, f"{email} got {response.status} for {url}"
            expect(other.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
            expect(other.locator("main")).not_to_contain_text(name)
            checked(other, f"{url} (404 for another pair)", axe=n == 0)
        for url in her_urls:
            response = other.request.get(url)
            assert response.status == 404, f"{email} got {response.status} for {url}"
            assert name not in response.text()
        response = other.request.get(timeline_url, headers=FRAGMENT)
        assert response.status == 404, f"{email} got {response.status} for the fragment"
        assert name not in response.text()
        response = other.request.get(
            f"{client_url}/challenges/",
            headers={"HX-Request": "true", "HX-Target": step_row},
        )
        assert response.status == 404, f"{email} got {response.status} for the step row"
        # Nor can she record a decision on the step, with a valid CSRF token of her own.
        token = json.loads(other.locator("body").get_attribute("data-hx-headers"))["X-CSRFToken"]
        response = other.request.post(
            decision_url,
            form={"decision": "declined", "csrf_token": token},
            headers={"HX-Request": "true", "HX-Target": step_row, "X-CSRFToken": token},
        )
        assert response.status == 404, f"{email} got {response.status} posting a decision"
        # Her list does not have her either, whatever the search.
        visit(other, f"/clients/?q={suffix}&status=")
        expect(other.locator("#client-list")).not_to_contain_text(name)
        checked(other, axe=n == 0)
        other.context.close()
    visit(pro1, f"{client_url}/challenges/")  # her decision stands
    expect(pro1.locator(f"#{step_row} .badge").first).to_have_text(STEPS[0][1])

    # 5. The supervisor of pro1's pair: no client content.
    supervisor = new_context().new_page()
    sign_in(supervisor, "supervisor@demo.test", "en")
    expect(supervisor.locator("main")).not_to_contain_text(name)
    expect(supervisor.locator("main")).not_to_contain_text(code)
    checked(supervisor)
    response = visit(supervisor, client_url)
    assert response.status in (403, 404), f"the supervisor got {response.status} for {client_url}"
    expect(supervisor.locator("main")).not_to_contain_text(name)
    checked(supervisor, f"{client_url} ({response.status} for the supervisor)")
    for url in her_urls:
        assert supervisor.request.get(url).status in (403, 404), url
        assert supervisor.request.get(url, headers=FRAGMENT).status in (403, 404), url

    nav_link(supervisor, "Pairs").click()
    supervisor.wait_for_url(re.compile(r"/pairs/(\?.*)?$"))
    expect(supervisor.locator("main")).not_to_contain_text(name)
    checked(supervisor)
    pair_links = supervisor.locator("main a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in sorted({h for h in pair_links if re.fullmatch(r"/pairs/\d+", h)}):
        visit(supervisor, href)
        expect(supervisor.locator("main")).not_to_contain_text(name)
        expect(supervisor.locator("main")).not_to_contain_text(code)
        checked(supervisor)

    reached = _supervisor_pages(supervisor)
    assert any(path.startswith("/pairs/") for path, _html in reached), [p for p, _h in reached]
    leaks = [
        path
        for path, html in reached
        if name in html or code in html or f"/clients/{client_id}" in html
    ]
    assert not leaks, f"the supervisor sees the client on {leaks}"
