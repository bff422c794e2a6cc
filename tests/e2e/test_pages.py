"""A page walker: each role signs in, follows every link of the main navigation and, on a
list page, the first link into a record. Every page reached must answer without an error
page, pass axe (WCAG 2.1 A/AA), fit a 360 px wide screen without sideways scrolling,
log no console error or CSP violation, and is handed to the HTML5 check.

All roles walk in Finnish (the longest words) on a phone; the professional also walks in
Swedish and English on a desktop. A walk reports every failing page, not just the first,
each with the role, the language and the URL.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e import conftest as e2e
from tests.e2e.conftest import (
    AXE_RUNS,
    CONSOLE_ERRORS,
    LANGUAGES,
    VIEWPORTS,
    check_accessibility,
    no_horizontal_scroll,
    remember,
)
from tests.helpers import MARKUP_CHECKS, t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

ROLES = {
    "admin": "admin@demo.test",
    "supervisor": "supervisor@demo.test",
    "professional": "pro1@demo.test",
    "expert": "expert1@demo.test",
}
# (role, language, screen): every role in Finnish on a phone, the professional also in
# Swedish on a desktop. English, the language the messages are written in, is walked by
# the partners' journeys on a desktop and the supervisor's on a phone (an English desktop
# walk of the professional's pages cost about 20 s in each pass).
# The Swedish desktop walk repeats the professional's pages: not on PostgreSQL
# (tests/helpers.py: MARKUP_CHECKS).
WALKS = [(role, "fi", "phone") for role in ROLES] + (
    [("professional", "sv", "desktop")] if MARKUP_CHECKS else [])

# The headings of templates/errors/error.html, in every language.
ERROR_TITLES = {
    t(lang, title)
    for lang in LANGUAGES
    for title in (
        "The request could not be understood",
        "You do not have access to this page",
        "Page not found",
        "This action is not possible here",
        "Someone else saved this in the meantime",
        "Please check what you entered",
        "Too many attempts",
        "Something went wrong on our side",
    )
}

# Where a list page keeps the links into its records, most specific first.
RECORD_LINKS = ["main table tbody a[href]", "main .card a[href]", "main li a[href]"]
# Links that change something (htmx verbs other than GET) are never followed.
CHANGING = ("data-hx-post", "data-hx-put", "data-hx-patch", "data-hx-delete",
            "hx-post", "hx-put", "hx-patch", "hx-delete")
NOT_A_PAGE = re.compile(r"^(#|mailto:|tel:|javascript:|data:)", re.IGNORECASE)


def _shape(path: str) -> str:
    """The page a URL shows, whatever the record: /clients/12?x=1 -> /clients/N."""
    return re.sub(r"/\d+(?=/|$)", "/N", urlsplit(path).path or "/")


def _same_site_path(page, href: str | None) -> str | None:
    """The path (with query) of a link on this site, or None for one not to follow."""
    if not href or NOT_A_PAGE.match(href.strip()):
        return None
    absolute = urlsplit(urljoin(page.url, href))
    here = urlsplit(page.url)
    if (absolute.scheme, absolute.netloc) != (here.scheme, here.netloc):
        return None  # off-site
    if absolute.path.rstrip("/").endswith("/logout"):
        return None
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


def _nav_paths(page) -> list[str]:
    paths = []
    for link in page.locator("nav.main-nav a").all():
        path = _same_site_path(page, link.get_attribute("href"))
        if path and path not in paths:
            paths.append(path)
    return paths


def _record_link(page, seen_shapes: set[str]) -> str | None:
    """The first link into a record on a list page, of a kind of page not seen yet."""
    here = _shape(page.url)
    for selector in RECORD_LINKS:
        for link in page.locator(selector).all():
            if link.get_attribute("download") is not None:
                continue
            if any(link.get_attribute(attr) is not None for attr in CHANGING):
                continue
            if link.evaluate("a => !!a.closest('form[method=post], form[method=POST]')"):
                continue
            path = _same_site_path(page, link.get_attribute("href"))
            if path is None or _shape(path) == here or _shape(path) in seen_shapes:
                continue
            return path
    return None


def _message(error: AssertionError) -> str:
    """The harness's own message, without pytest's rewritten comparison after it."""
    return str(error).split("\nassert ")[0]


def _check_page(page, path: str, screen: str) -> list[str]:
    """Every problem of the page at `path`, as lines of text (empty: all is well)."""
    errors = CONSOLE_ERRORS[page.context]
    errors.clear()
    try:
        response = page.goto(path)
    except PlaywrightError as error:
        return [f"could not be loaded: {error}"]
    if response is None or not response.ok:
        return [f"answered {response.status if response else 'nothing'} ({page.url})"]
    problems = []
    heading = page.locator("h1").first
    title = " ".join(heading.inner_text().split()) if heading.count() else ""
    if not title:
        problems.append("has no <h1>")
    elif title in ERROR_TITLES:
        return [f"shows the error page {title!r} ({page.url})"]

    try:
        remember(page)  # also fails on a CSP violation or an uncaught JavaScript error
    except AssertionError as error:
        problems.append(_message(error))
    if errors:  # any other console error, e.g. a failed request made by the page
        problems.append("console errors:\n" + "\n".join(f"    {text}" for text in errors))
        errors.clear()
    try:
        check_accessibility(page)
    except AssertionError as error:
        problems.append(_message(error))
    try:
        if screen == "phone":
            no_horizontal_scroll(page)
        else:  # the same page on a phone, without loading it again
            page.set_viewport_size(VIEWPORTS["phone"]["viewport"])
            try:
                no_horizontal_scroll(page)
            finally:
                page.set_viewport_size(VIEWPORTS[screen]["viewport"])
    except AssertionError as error:
        problems.append(_message(error))
    return problems


@pytest.mark.parametrize(
    ("role", "lang", "screen"), WALKS, ids=[f"{r}-{lang}-{s}" for r, lang, s in WALKS]
)
def test_every_page_in_the_navigation_works(new_context, sign_in, role, lang, screen):
    email = ROLES[role]
    page = new_context(**VIEWPORTS[screen]).new_page()
    sign_in(page, email, lang)

    failures: dict[str, list[str]] = {}
    visited: list[str] = []
    seen_shapes: set[str] = set()

    def walk(path: str) -> bool:
        visited.append(path)
        seen_shapes.add(_shape(path))
        problems = _check_page(page, path, screen)
        seen_shapes.add(_shape(page.url))  # where a redirect led
        if problems:
            failures[path] = problems
        return not problems

    nav = _nav_paths(page)
    assert len(nav) >= 2, f"{email}: the main navigation has only {nav}"
    for path in nav:
        if _shape(path) in seen_shapes:
            continue
        if not walk(path) or _shape(path) == "/":
            continue  # the home page is not a list
        record = _record_link(page, seen_shapes | {_shape(p) for p in nav})
        if record:
            walk(record)

    if failures:
        report = "\n".join(
            f"[{role} {email}, {lang}, {screen}] {path}:\n  " + "\n  ".join(problems)
            for path, problems in failures.items()
        )
        pytest.fail(
            f"{len(failures)} of {len(visited)} pages failed ({', '.join(visited)}):\n{report}",
            pytrace=False,
        )


PAGE = """<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head><body>
<main><h1>{heading}</h1><form>{field}<button type="submit">{button}</button></form></main>
</body></html>"""
LABELLED = '<label for="name">{label}</label><input id="name" name="name">'


def test_axe_skips_only_a_page_of_a_shape_it_passed(new_context, monkeypatch):
    """check_accessibility does not run axe again on a page of the same shape (the same
    page in another language): a page that differs in what axe reads is checked."""
    monkeypatch.setattr(e2e, "AXE_IN_THIS_RUN", True)  # in the PostgreSQL pass too
    page = new_context(**VIEWPORTS["phone"]).new_page()
    finnish = {"lang": "fi", "title": "Asiakkaat", "heading": "Uusi asiakas",
               "button": "Tallenna", "field": LABELLED.format(label="Nimi")}
    page.set_content(PAGE.format(**finnish))
    check_accessibility(page)
    runs = dict(AXE_RUNS)

    page.set_content(PAGE.format(lang="sv", title="Klienter", heading="Ny klient",
                                 button="Spara", field=LABELLED.format(label="Namn")))
    check_accessibility(page)
    assert {**runs, "same shape": runs["same shape"] + 1} == AXE_RUNS

    # More rows of the same kind: the same findings, not read again.
    def rows(count: int) -> str:
        items = "".join(f'<li id="row-{n}">{n}</li>' for n in range(count))
        return LABELLED.format(label="Nimi") + f"<ul>{items}</ul>"

    page.set_content(PAGE.format(**{**finnish, "field": rows(3)}))
    check_accessibility(page)
    runs = dict(AXE_RUNS)
    page.set_content(PAGE.format(**{**finnish, "field": rows(7)}))
    check_accessibility(page)
    assert {**runs, "same shape": runs["same shape"] + 1} == AXE_RUNS

    two = '<label for="a">A</label><input id="a" name="a"><label for="{}">B</label>' \
          '<input id="b" name="b">'
    page.set_content(PAGE.format(**{**finnish, "field": two.format("b")}))
    check_accessibility(page)

    # set_content keeps the window, and axe in it: the broken pages below are read by the
    # axe put in for the first page, as after an htmx swap.
    reused = AXE_RUNS["axe already in the page"]
    for broken in ({"field": '<input id="name" name="name">'},  # no label
                   {"field": two.format("a")},  # both labels for the first field
                   {"field": '<label for="nimi">Nimi</label><input id="name" name="name">'},  # for=
                   {"field": LABELLED.format(label="")},  # an empty one
                   {"button": ""}):  # a button without a name
        page.set_content(PAGE.format(**{**finnish, **broken}))
        with pytest.raises(AssertionError, match="axe violation"):
            check_accessibility(page)
    assert AXE_RUNS["axe already in the page"] == reused + 5


def test_shapes_passed_in_a_shared_folder_are_known_to_every_worker_using_it(tmp_path):
    """What one worker's shapes record in the run's folder the other's find there."""
    mine, other = e2e._CleanShapes(), e2e._CleanShapes()
    mine.folder = other.folder = tmp_path
    other.add("3f" * 20)
    assert "3f" * 20 in mine
    assert "4e" * 20 not in mine
