"""The service worker, the offline shell page, the phone's state and the "More" menu.

The worker is written by hand (templates/phone/sw.js), not with Workbox: it does three
things (precache the app shell under its content-hashed URLs, serve the shell when a page
cannot be fetched, drop old caches), about 60 lines; Workbox's routing and precaching
would be several vendored modules for the same, and its background sync cannot be used
here (it drops a queued request on any answer, a refusal included), so the queue of
offline writes is the page's own (static/js/offline.js, IndexedDB).
"""

import hashlib
import json

from flask import Blueprint, current_app, make_response, render_template, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from outreach.auth.access import allow_anyone, allow_signed_in
from outreach.auth.models import Role
from outreach.clients.queries import home_client_lists
from outreach.contacts.choices import CHANNEL_SHORT_NAMES, Channel
from outreach.panels import HOME_PANELS
from outreach.phone.queries import RECENT_DAYS, phone_names
from outreach.web import render

bp = Blueprint("phone", __name__)

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)
# The app shell: what the worker keeps so that a page opens without a connection. No page
# or fragment with client data is ever among them.
SHELL_FILES = ("css/app.css", "vendor/htmx/htmx.min.js", "js/app.js", "js/offline.js",
               "icons/icon.svg", "icons/icon-192.png", "manifest.json")


def shell_urls() -> list[str]:
    return [url_for("static", filename=name) for name in SHELL_FILES] + [url_for(".offline")]


@bp.get("/sw.js")
@allow_anyone
def service_worker():
    """At the root so that its scope is the whole app. Its bytes change with any shell
    file's version, so the browser installs the new worker when a file changes."""
    urls = shell_urls()
    version = hashlib.sha256(json.dumps(urls).encode()).hexdigest()[:12]
    body = render_template("phone/sw.js", urls=json.dumps(urls), version=version,
                  offline_url=url_for(".offline"))
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
@allow_anyone
def offline():
    """The shell shown when a page cannot be fetched: no client data in it; the waiting
    list and her recent women are filled in by offline.js from IndexedDB."""
    return render("phone/offline.html", channels=list(Channel),
                  channel_short_names=CHANNEL_SHORT_NAMES)


@bp.get("/offline/state")
@allow_signed_in
def state():
    """What the phone keeps for this account: a fresh CSRF token for sending its queue, when
    the session ends for good, and the first names and codes of the women met lately."""
    limit = current_app.config["ABSOLUTE_TIMEOUT"].total_seconds()
    # login_at is the wall-clock second of sign-in (outreach.auth.access), like the phone's.
    ends = (session.get("login_at", 0) + limit) * 1000
    names = phone_names(current_user) if current_user.role in PARTNERS else []
    return {"user": current_user.id, "csrf": generate_csrf(), "ends": int(ends),
            "days": RECENT_DAYS, "women": names}


@bp.get("/more")
@allow_signed_in
def more():
    """The bottom bar's "More": every navigation target, as a page (works without JS)."""
    return render("phone/more.html")


def _home_quick_log(user, today) -> dict | None:
    if user.role not in PARTNERS:
        return None
    # The home page's short list, loaded with its list of women not reached.
    return {"women": home_client_lists(user, today)[1], "street": Channel.STREET,
            "street_name": CHANNEL_SHORT_NAMES[Channel.STREET]}


HOME_PANELS.register("home-quick-log", "phone/_home_quick_log.html", _home_quick_log, order=1)
