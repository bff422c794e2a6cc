"""Helpers every package's tests share: signing in, htmx headers, reading rows back as
the database has them now, reading report tables and workbooks, the app's translations.
(The people and pairs are in tests/world.py; rows are made by tests/factories.py.)"""

import html
import io
import os
import re
import zipfile
from datetime import UTC, datetime, timedelta
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.support import Translations

from outreach.audit.models import AccessLog
from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.time import aware, local_today
from outreach.extensions import db
from tests import factories

TRANSLATIONS = Path(__file__).resolve().parent.parent / "outreach" / "translations"

# What does not depend on the database is checked in one pass of `make test`, the SQLite
# one: the markup (the HTML5 check, axe) and a browser journey's runs in its other
# languages and screen sizes. The PostgreSQL pass runs every test and every journey, each
# journey once, for what the database does. MARKUP_CHECKS=1 runs it all on PostgreSQL too.
MARKUP_CHECKS = os.environ.get("MARKUP_CHECKS", "0" if (
    os.environ.get("TEST_DATABASE_URL") or os.environ.get("E2E_DATABASE_URL")) else "1") == "1"


def variants(runs: list) -> list:
    """A journey's runs (language, screen size): all of them where the markup is checked,
    the first alone in the PostgreSQL pass."""
    return runs if MARKUP_CHECKS else runs[:1]


# Who may not even open a client of our pair, and what they get: the role is refused
# (403) or the client is outside their scope (404). "anonymous" is redirected to sign in.
REFUSED = [
    # The pair's supervisor may use the read routes of a record a consultation opens to
    # her (tests/consultations); without one her pair's client is outside her scope: 404.
    ("supervisor", (403, 404)),
    ("admin", (403,)),
    ("other_professional", (404,)),
    ("other_expert", (404,)),
]

HTMX = {"HX-Request": "true"}


def htmx_headers(target: str) -> dict:
    return {**HTMX, "HX-Target": target}


def sign_in(client, user: User | None, password: str = factories.PASSWORD):
    """The one way a test signs in (the `auth` fixture uses it too): whoever was signed in
    is signed out first; None only signs out. A client without a session cookie has no one
    to sign out (a request saved: most tests sign in on a new client)."""
    if client.get_cookie(client.application.config["SESSION_COOKIE_NAME"]) is not None:
        client.post("/logout")
    if user is not None:
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
    return user


def text_of(response) -> str:
    """The page as a reader sees it: entities such as &amp; and &#39; turned back."""
    return html.unescape(response.get_data(as_text=True))


def fresh(model, ident):
    """The row as it is in the database now (after requests in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, ident)


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def rows(model, *where) -> list:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(model).where(*where).order_by(model.id)))


def log_rows(**where) -> list[AccessLog]:
    """Every row in the access log (in the database now), oldest first, optionally filtered."""
    db.session.expire_all()
    query = sa.select(AccessLog).order_by(AccessLog.id)
    for name, value in where.items():
        query = query.where(getattr(AccessLog, name) == value)
    return list(db.session.scalars(query))


def last_contact(client) -> datetime | None:
    return aware(fresh(Client, client.id).last_contact_at)


def local_input(moment: datetime) -> str:
    """The value a datetime-local input sends for this moment, in Helsinki time."""
    return moment.astimezone(ZoneInfo("Europe/Helsinki")).strftime("%Y-%m-%dT%H:%M")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def edit_data(record: Client, **fields) -> dict:
    """What the client's edit form posts: her record as it is, with `fields` changed."""
    data = {
        "name": record.name,
        "birth_year": record.birth_year or "",
        "phone": record.phone or "",
        "usual_place": record.usual_place or "",
        "living_situation": record.living_situation.value,
        "safety_notes": record.safety_notes or "",
        "version": str(record.version),
    }
    data.update(fields)
    return data


def days_ago(days: float) -> datetime:
    return utcnow() - timedelta(days=days)


def local_noon(days: int) -> datetime:
    """Noon where the users are, `days` calendar days before today: exactly `days` days."""
    day = local_today() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Helsinki"))


# --- translations, as the app has them (run `make translations` first) -----------------


@cache
def _catalogue(lang: str) -> Translations:
    return Translations.load(str(TRANSLATIONS), [lang], domain="messages")


def t(lang: str, message: str) -> str:
    """The app's text for `message` in `lang` (the English text where untranslated)."""
    return _catalogue(lang).gettext(message)


# --- reading what a report shows ------------------------------------------------------------


class _Tables(HTMLParser):
    """The rows of every table, by the id of the section they are in: [[cell text, ...]]."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, list[list[str]]] = {}
        self.section = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "report-section" in (attrs.get("class") or ""):
            self.section = attrs["id"]
            self.sections[self.section] = []
        elif tag == "tr" and self.section:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.sections[self.section].append(self.row)
            self.row = None
        elif tag == "section":
            self.section = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.sections


def row_of(rows: list[list[str]], first: str) -> list[str]:
    found = [row for row in rows if row and row[0] == first]
    assert found, f"no row {first!r} in {rows}"
    return found[0]


NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def xlsx_rows(data: bytes) -> list[list]:
    """The first sheet's rows as lists of values: str for text, float for numbers."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        strings = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314
            strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t"))
                       for si in root.findall("x:si", NS)]
        sheet = ElementTree.fromstring(  # noqa: S314 - the app's own file
            book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{NS['x']}}}row"):
        values = {}
        for cell in row.findall("x:c", NS):
            column = re.match(r"[A-Z]+", cell.get("r")).group()
            value = cell.find("x:v", NS)
            inline = cell.find("x:is/x:t", NS)
            if cell.get("t") == "s":
                values[column] = strings[int(value.text)]
            elif cell.get("t") == "inlineStr":
                values[column] = inline.text or ""
            elif value is not None:
                values[column] = float(value.text)
        width = max((ord(c[-1]) - 64 for c in values), default=0)
        rows.append([values.get(chr(65 + i), "") for i in range(width)])
    return rows


def xlsx_text(data: bytes) -> str:
    """Everything written in the workbook, for checks that something is nowhere in it."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
