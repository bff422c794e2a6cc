"""Configuration: embedded SQLite by default, PostgreSQL through DATABASE_URL."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from outreach.auth.models import Role


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'outreach.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once into the instance folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two workers starting together must not each write their own key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def _env_roles(name: str) -> frozenset[str]:
    """Role names from a comma-separated variable; a misspelt role stops the start-up."""
    names = {part.strip().lower() for part in os.environ.get(name, "").split(",")} - {""}
    if unknown := names - {role.value for role in Role}:
        raise ValueError(
            f"{name}: unknown role {', '.join(sorted(unknown))}; "
            f"use {', '.join(role.value for role in Role)}"
        )
    return frozenset(names)


def engine_options(url: str, options: dict) -> dict:
    """The engine options for the database at `url`, from those configured."""
    options = dict(options)
    if url.startswith("postgresql"):
        # No JIT compilation: it pays off for long analytical queries, not for pages that
        # run a few short ones. The funder report's statements over every pair spent about
        # a second compiling, on every request. Added to the server options already given
        # (connect_args win over the URL's query, so the URL's are carried over), unless
        # they set jit themselves.
        connect_args = dict(options.get("connect_args", {}))
        given = connect_args.get("options") or make_url(url).query.get("options") or ""
        if isinstance(given, tuple):
            given = " ".join(given)
        if "jit" not in given:
            connect_args["options"] = f"{given} -c jit=off".strip()
            options["connect_args"] = connect_args
    return options


def default_config(instance_path: str, *, with_secret: bool = True) -> dict:
    return {
        "SECRET_KEY": secret_key(instance_path) if with_secret else None,
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions: cookie-signed, revoked through the user's session token.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "SESSION_COOKIE_NAME": "tyopari_session",
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30"))),
        "ABSOLUTE_TIMEOUT": timedelta(hours=int(os.environ.get("ABSOLUTE_TIMEOUT_HOURS", "12"))),
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=int(os.environ.get("ABSOLUTE_TIMEOUT_HOURS", "12"))
        ),
        # Rate limits: memory per process by default, Redis etc. when configured.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per minute"),
        # Failed sign-ins per account and address: counted in the database (shared by
        # every worker and server, outreach.auth.throttle), whatever the storage above.
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute"),
        # Reverse proxies in front of the app that add X-Forwarded-For/-Proto (nginx: 1).
        # 0 trusts no such header: a client could otherwise pick its own address.
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        # Two-step sign-in: the roles that must use it (comma-separated, e.g.
        # "admin,supervisor"; empty: optional for everyone), wrong codes allowed per account
        # (sign-in and profile together), and how long the code step waits after the password.
        "TWO_STEP_REQUIRED_ROLES": _env_roles("TWO_STEP_REQUIRED_ROLES"),
        "TWO_STEP_CODE_LIMIT": os.environ.get("TWO_STEP_CODE_LIMIT", "5 per minute;20 per hour"),
        "TWO_STEP_PENDING_SECONDS": int(os.environ.get("TWO_STEP_PENDING_SECONDS", "300")),
        # Seals the two-step secrets in the database; derived from SECRET_KEY unless set.
        # Set it when SECRET_KEY may be rotated: a changed key makes the secrets unreadable.
        "TWO_STEP_KEY": os.environ.get("TWO_STEP_KEY"),
        # Earlier values of that key (or of SECRET_KEY while it was used), comma-separated:
        # they still open the secrets, sealed again with the current key at the next code.
        "TWO_STEP_OLD_KEYS": os.environ.get("TWO_STEP_OLD_KEYS"),
        "TWO_STEP_ISSUER": os.environ.get("TWO_STEP_ISSUER", "Työpari"),
        "WTF_CSRF_TIME_LIMIT": None,  # the session's own timeouts bound the token
        "BABEL_DEFAULT_LOCALE": "fi",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Europe/Helsinki"),
        "LANGUAGES": ("fi", "sv", "en"),
        "PAGE_SIZE": 25,
        # The client list flags, and can filter, women with no contact in this many days.
        "NO_CONTACT_DAYS": int(os.environ.get("NO_CONTACT_DAYS", "14")),
        # A closed client's record is anonymised this many years after the day it was
        # closed (`outreach retention`); shown read-only on the administrator's settings.
        "RETENTION_YEARS": int(os.environ.get("RETENTION_YEARS", "5")),
        # Named in the copy of her access log that a woman receives ("read by a
        # professional of <organisation>").
        "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", "Työpari"),
        # Mail (outreach.mail): smtp://user:pass@host:port; without it messages go to the
        # log and the administrator's "sent messages" page.
        "SMTP_URL": os.environ.get("SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Työpari <noreply@tyopari.invalid>"),
        # The address of the app in the links of a message.
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Digests go out from this hour (local time): daily ones each day, weekly on Monday.
        "DIGEST_HOUR": int(os.environ.get("DIGEST_HOUR", "7")),
        # Flask-Compress: text responses of 500 bytes or more, brotli or gzip as the browser
        # accepts. Streamed responses (the CSV exports) are sent as they are: compressing
        # them would hold the rows back until the compressor's buffer fills.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 5,  # smaller than gzip at about the same cost; 4 is larger
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_STREAMS": False,
        "COMPRESS_MIMETYPES": [
            "text/html", "text/css", "text/javascript", "application/javascript",
            "image/svg+xml", "text/csv", "application/json",
        ],
    }
