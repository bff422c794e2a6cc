"""Työpari: outreach work done by a professional and an experience expert as a pair."""

import json
import logging
import os
import uuid
from pathlib import Path

from flask import Flask, g, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from outreach.auth.queries import signed_in_user
from outreach.config import default_config, engine_options
from outreach.core.views import IdConverter
from outreach.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class Tyopari(Flask):
    def log_exception(self, exc_info) -> None:
        """An outage met after the view (the access log's write in an after_request hook)
        reaches Flask's last handler, which logs it as an error with its traceback before
        our handler answers 503 and logs it as a warning: it is not a fault of the code."""
        if database_unavailable_error(exc_info[1]):
            return
        super().log_exception(exc_info)


# Characters of flashed messages (as the session cookie stores them, non-ASCII escaped)
# kept until a page shows them: a few messages, or one that quotes a long title.
WAITING_MESSAGES_SIZE = 1200


def newest_within(messages: list, size: int) -> list:
    """The newest of the (category, message) pairs whose escaped text fits in `size`
    characters; the newest one always."""
    kept, used = [], 0
    for category, message in reversed(messages):
        used += len(json.dumps(str(message)))
        if kept and used > size:
            break
        kept.append((category, message))
    return kept[::-1]


def create_app(config: dict | None = None) -> Flask:
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get("INSTANCE_PATH")
    app = Tyopari(
        __name__,
        instance_path=instance_path or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # A key passed in (tests) means no key file is written to the instance folder.
    app.config.from_mapping(
        default_config(app.instance_path, with_secret="SECRET_KEY" not in config)
    )
    app.config.from_mapping(config)
    app.jinja_env.add_extension("jinja2.ext.do")
    from outreach.web import Request

    app.request_class = Request  # form and query values without NUL characters

    if hops := app.config["PROXY_HOPS"]:
        # Behind nginx: the client's address and scheme come from the proxy's headers, so
        # that per-address limits and the access log see the client, not the proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.url_map.converters["int"] = IdConverter  # before any route is added
    _init_extensions(app)
    _register_macros(app)
    _register_scopes()
    _register_blueprints(app)
    _register_hooks(app)
    _register_errors(app)
    return app


def _init_extensions(app: Flask) -> None:
    from outreach import models  # noqa: F401  (the whole schema, for Alembic)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    db.init_app(app)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs before it (Flask runs
    # them in reverse).
    app.teardown_appcontext(_end_database_session)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    _init_delivery(app)
    babel.init_app(app, locale_selector=_select_locale)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the page itself says what to do
    login_manager.session_protection = None  # the session token is the protection
    login_manager.user_loader(signed_in_user)
    login_manager.unauthorized_handler(_unauthorized)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _init_delivery(app: Flask) -> None:
    """Compression, and static files under content-hashed URLs cached for a year."""
    from outreach import static_assets
    from outreach.extensions import compress

    compress.init_app(app)  # its after_request hook runs after every later-registered one
    static_assets.init_app(app)  # so this one's hook runs before compress's


def _register_macros(app: Flask) -> None:
    """Macro files as globals (`forms.field(...)`): a fragment block rendered on its own
    does not see imports made at the top of its template."""
    for name in ("forms",):
        app.jinja_env.globals[name] = app.jinja_env.get_template(f"macros/{name}.html").module


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower() knows only ASCII; ilike() must find "Ä" with "ä" as on PostgreSQL.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _unauthorized():
    from flask import make_response, redirect, url_for

    from outreach.web import is_safe_next

    next_url = request.full_path.rstrip("?") if request.method == "GET" else None
    login_url = url_for(
        "auth.login", next=next_url if next_url and is_safe_next(next_url) else None
    )
    if htmx:
        # Never swap a login form into a fragment: send the whole page there.
        response = make_response("", 200)
        response.headers["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


def _select_locale() -> str:
    languages = ("fi", "sv", "en")
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or "fi"


def _register_scopes() -> None:
    """Domains that grant access to clients beyond the pairs supply it to the scope."""
    from outreach.consultations.queries import supply_scope as consultations_scope

    consultations_scope()


def _register_blueprints(app: Flask) -> None:
    """The kinds of client record (outreach/records.py) are registered here, explicitly, for
    every part that reads them, with their routes; then the other domains' routes."""
    from outreach.core import records
    from outreach.records import RECORDS

    records.register(RECORDS)
    for blueprint in records.blueprints(RECORDS):
        app.register_blueprint(blueprint)

    from outreach.admin.routes import bp as admin_bp
    from outreach.audit.routes import bp as audit_bp
    from outreach.auth.routes import bp as auth_bp
    from outreach.dashboard.routes import bp as dashboard_bp
    from outreach.drafts.routes import bp as drafts_bp
    from outreach.evaluations.routes import bp as evaluations_bp
    from outreach.feedback.routes import bp as feedback_bp
    from outreach.groups.routes import bp as groups_bp
    from outreach.home.routes import bp as home_bp
    from outreach.mail.routes import bp as mail_bp
    from outreach.meetings.routes import bp as meetings_bp
    from outreach.outings.routes import bp as outings_bp
    from outreach.pairs.routes import bp as pairs_bp
    from outreach.phone.routes import bp as phone_bp
    from outreach.profile.routes import bp as profile_bp
    from outreach.reports.routes import bp as reports_bp
    from outreach.retention.routes import bp as retention_bp
    from outreach.services.routes import bp as services_bp
    from outreach.wellbeing.routes import bp as wellbeing_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(pairs_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(services_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(drafts_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(wellbeing_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(retention_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(phone_bp)
    app.register_blueprint(outings_bp)
    app.register_blueprint(mail_bp)


def _register_hooks(app: Flask) -> None:
    from outreach.auth.access import enforce_access

    @app.before_request
    def request_id_and_language():
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        lang = request.args.get("lang")
        if lang in app.config["LANGUAGES"]:
            session["lang"] = lang

    app.before_request(enforce_access)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["X-Request-ID"] = g.get("request_id", "")
        if request.endpoint != "static":
            # Case records must not linger in shared or back-button caches.
            headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def few_waiting_messages(response):
        # Flashed messages wait in the session cookie until a page shows them. A client
        # that never loads that page (a script not following redirects) would grow the
        # cookie past the 4 KB a browser keeps, and the browser would drop the session:
        # signed out, her unsaved work lost. The newest are kept, within a size.
        if session.modified and (waiting := session.get("_flashes")):
            kept = newest_within(waiting, WAITING_MESSAGES_SIZE)
            if len(kept) < len(waiting):
                session["_flashes"] = kept
        return response

    from outreach.core import formatting

    @app.context_processor
    def layout_context():
        from flask_babel import get_locale

        from outreach.labels import role_name
        from outreach.navigation import navigation

        return {
            "current_language": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "navigation": navigation,
            "role_name": role_name,
            **formatting.bound_gettext(),
        }

    formatting.register(app)


def _register_errors(app: Flask) -> None:
    from outreach.web import render

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if database_unavailable_error(getattr(error, "original_exception", None)):
            # Raised after the view (e.g. by an after_request hook): still a 503.
            return database_unavailable(error.original_exception)
        response = render("errors/error.html", status=error.code or 500, error=error)
        if error.code == 429:
            response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        if database_unavailable_error(error):
            return database_unavailable(error)
        if isinstance(error, StaleDataError):
            # A row changed or went away between this request's read and its write: someone
            # saved or deleted it a moment ago. A conflict to answer, not a fault (the
            # forms with a version check answer their own 409 first, with both versions).
            db.session.rollback()
            log.warning("Changed meanwhile, request id %s: %s", g.get("request_id"), error)
            return http_error(Conflict())
        log.exception("Unhandled error, request id %s", g.get("request_id"))
        db.session.rollback()
        return render("errors/error.html", status=500, error=InternalServerError())


# --- The database cannot be reached: 503 ---------------------------------------------------


def database_unavailable_error(error: BaseException | None) -> bool:
    """Errors of the database's operation, not of the request: no connection (server down,
    restarting, refusing), a connection dropped, the pool exhausted, a lock not granted."""
    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.InterfaceError | exc.TimeoutError):
        return True
    if not isinstance(error, exc.OperationalError):
        return False
    # SQLite calls a mistake in the SQL (no such table) an OperationalError too: that one
    # stays a 500 with its traceback. Busy, locked, cannot open, I/O, full: unavailable.
    name = getattr(error.orig, "sqlite_errorname", None)
    return name is None or name.startswith(SQLITE_UNAVAILABLE)


SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR",
                      "SQLITE_FULL", "SQLITE_NOMEM", "SQLITE_PROTOCOL", "SQLITE_READONLY")


def _end_database_session(_error: BaseException | None) -> None:
    """The request's session ends, its transaction rolled back. If the database went away
    after the answer was made (a server stopping cuts the connection mid-rollback), the
    answer stands: raising here would turn a finished page into a 500. The dead connection
    is dropped and the pool makes a new one."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        db.session.remove()
    except SQLAlchemyError as error:
        if not database_unavailable_error(error):
            raise
        db.session.registry.clear()
        log.warning("Database gone while ending a request's session, request id %s: %s",
                    g.get("request_id"), type(error.orig or error).__name__)


def database_unavailable(error: BaseException):
    """503 with a page in the user's language, rendered without touching the database:
    the user cannot be loaded, so the page shows as for a signed-out visitor."""
    from contextlib import suppress

    from flask_babel import force_locale
    from sqlalchemy.exc import SQLAlchemyError
    from werkzeug.exceptions import ServiceUnavailable

    from outreach.audit.log import clear_pending
    from outreach.web import render

    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    log.warning("Database unavailable, request id %s: %s", g.get("request_id"), first_line)
    language = _language_without_database()
    g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user
    clear_pending()  # nothing can be written to the access log now
    with suppress(SQLAlchemyError):  # the connection may be gone; the pool replaces it
        db.session.rollback()
    with force_locale(language):
        response = render("errors/error.html", status=503, error=ServiceUnavailable())
    response.headers["Retry-After"] = "5"
    return response


def _language_without_database() -> str:
    """The session's language, else the signed-in user's if already loaded, else the
    browser's: nothing here may run a query."""
    from flask import current_app
    from sqlalchemy import inspect

    from outreach.auth.models import User

    languages = current_app.config["LANGUAGES"]
    if session.get("lang") in languages:
        return session["lang"]
    user = g.get("_login_user")
    if isinstance(user, User):
        loaded = inspect(user).dict  # the attributes already loaded; no refresh
        if loaded.get("language") in languages:
            return loaded["language"]
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]
