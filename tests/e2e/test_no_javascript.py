"""Issue 10: the core forms work with JavaScript disabled (plain form posts and page loads,
htmx only enhances): signing in, creating a client (and recording her consent, which the
contacts need), logging a contact (the quick log and the full form), and creating a task.
Each submits and shows its result; a validation error answers 422 with the message next
to the field and what was typed kept. In Finnish on a phone; every page is handed to the
HTML5 check (axe and the width are checked by the journeys, with JavaScript).
"""

import re
import secrets

from playwright.sync_api import expect

from outreach.core.time import local_today
from tests.e2e.conftest import (
    CLIENT_URL,
    VIEWPORTS,
    checked,
    create_client,
    flash,
    fmt,
    path_of,
    record_consent,
    visit,
)
from tests.helpers import t

expect.set_options(timeout=10_000)  # the machine is shared with other test runs

LANG = "fi"


def _submit(page, path: str, button: str):
    """Press `button`; the answer to the form's POST to `path` (not followed by htmx)."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and path_of(r.url) == path
    ) as answer:
        page.get_by_role("button", name=button, exact=True).click()
    response = answer.value
    assert response.request.headers.get("hx-request") is None, "htmx sent the form"
    return response


def _refused(page, response, label: str, message: str, where: str) -> None:
    """A 422 page: the message next to the field, the field marked invalid."""
    assert response.status == 422, f"{where}: {response.status}"
    page.wait_for_load_state()
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main")).to_contain_text(message)
    checked(page, f"{where} (422 without JavaScript)", phone=True)


def test_the_core_forms_work_without_javascript(new_context, sign_in):
    suffix = secrets.token_hex(3)
    name = f"Ilona Ilmanskriptiä {suffix}"
    note = f"Tavattiin asemalla ilman JavaScriptiä ({suffix})."
    task_title = f"Soita hänelle huomenna ({suffix})"
    page = new_context(java_script_enabled=False, **VIEWPORTS["phone"]).new_page()
    htmx_requests = []
    page.on("request", lambda r: r.headers.get("hx-request") and htmx_requests.append(r.url))

    # Signing in: a plain form post, landing on home.
    sign_in(page, "pro1@demo.test", LANG)
    checked(page, phone=True)

    # A new client without her name: 422, the message at the field.
    visit(page, "/clients/new")
    place_label = t(LANG, "Where she can usually be found (optional)")
    page.get_by_label(place_label, exact=True).fill("Kampin keskus")
    response = _submit(page, "/clients/new", t(LANG, "Create the record"))
    _refused(page, response, t(LANG, "Name she wants to be called"),
             t(LANG, "Enter the name she wants to be called."), "/clients/new")
    expect(page.get_by_label(place_label, exact=True)).to_have_value("Kampin keskus")

    # ...and with it: her page, then her consent.
    client_url = create_client(page, name, LANG, phone=True)
    client_id = CLIENT_URL.search(client_url).group(1)
    record_consent(page, client_url, LANG, phone=True)

    # The quick log is a real form: it posts and comes back to her page.
    section = page.locator("#quick-log")
    response = _submit(page, f"{client_url}/contacts/quick", t(LANG, "Street"))
    assert response.status == 302, response.status
    page.wait_for_url(re.compile(rf"{client_url}(#.*)?$"))
    expect(flash(page)).to_contain_text(
        fmt(LANG, "Logged: %(channel)s, %(minutes)d min, %(who)s.",
            channel=t(LANG, "Street outreach"), minutes=15,
            who=t(LANG, "The professional").lower())
    )
    checked(page, f"{client_url} (after the quick log, without JavaScript)", phone=True)

    # The full contact form: a wrong duration is refused, then the contact is logged.
    section.get_by_role("link", name=t(LANG, "Log a contact with details"), exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}/contacts/new$"))
    checked(page, phone=True)
    duration_label = t(LANG, "Duration (minutes)")
    page.get_by_label(duration_label, exact=True).fill("99999")
    page.get_by_role("group", name=t(LANG, "How"), exact=True).get_by_label(
        t(LANG, "Street outreach"), exact=True
    ).check()
    page.get_by_label(t(LANG, "Note (optional)"), exact=True).fill(note)
    response = _submit(page, f"{client_url}/contacts/new", t(LANG, "Log the contact"))
    _refused(page, response, duration_label,
             t(LANG, "Enter the duration in minutes, a whole number from 0 to 1440."),
             f"{client_url}/contacts/new")
    expect(page.get_by_label(t(LANG, "Note (optional)"), exact=True)).to_have_value(note)
    page.get_by_label(duration_label, exact=True).fill("20")
    response = _submit(page, f"{client_url}/contacts/new", t(LANG, "Log the contact"))
    assert response.status == 302, response.status
    page.wait_for_url(re.compile(rf"{client_url}(#.*)?$"))
    expect(flash(page)).to_contain_text(t(LANG, "The contact was logged."))
    checked(page, f"{client_url} (after the contact, without JavaScript)", phone=True)
    visit(page, f"{client_url}/timeline")
    expect(page.locator("#timeline-entries")).to_contain_text(note)
    checked(page, phone=True)

    # A task: without a title, 422; with one, it is on the week plan.
    visit(page, "/tasks/new")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "New task"))
    checked(page, phone=True)
    page.get_by_label(t(LANG, "About which woman (optional)"), exact=True).select_option(
        client_id
    )
    page.get_by_label(t(LANG, "Who does it"), exact=True).select_option(
        label=t(LANG, "Experience expert")
    )
    page.get_by_label(t(LANG, "Due date (optional)"), exact=True).fill(
        local_today().isoformat()
    )
    response = _submit(page, "/tasks/new", t(LANG, "Add the task"))
    _refused(page, response, t(LANG, "What needs doing"), t(LANG, "Write what needs doing."),
             "/tasks/new")
    page.get_by_label(t(LANG, "What needs doing"), exact=True).fill(task_title)
    response = _submit(page, "/tasks/new", t(LANG, "Add the task"))
    assert response.status == 302, response.status
    page.wait_for_url(re.compile(r"/tasks/(week)?(\?.*)?$"))
    expect(flash(page)).to_contain_text(fmt(LANG, "The task was added: %(title)s",
                                            title=task_title))
    visit(page, "/tasks/week")
    task = page.locator("ol.week li.plan-item.task").filter(has_text=task_title)
    expect(task).to_have_count(1)
    expect(task.locator(".badge.assignee-expert")).to_have_text(t(LANG, "Experience expert"))
    expect(task.get_by_role("link", name=name, exact=True)).to_be_visible()
    checked(page, "/tasks/week (after the task, without JavaScript)", phone=True)

    assert htmx_requests == [], f"htmx sent requests: {htmx_requests}"
