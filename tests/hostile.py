"""Machinery for tests/test_hostile_input.py: what a route reads from the request, the forms
on a page, hostile values, the writes a request committed, and the language of messages.

What a route reads is learnt from the route itself, not from a list: the app's request class
records every name looked up in `request.form` / `request.args` (WTForms reads each field
with `getlist(name)`, so a FlaskForm's fields are recorded as the form processes them).
"""

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import sqlalchemy as sa
from hypothesis import strategies as st

from outreach.web import Parameters, Request

# --- What a route reads ----------------------------------------------------------------------

_reads: list[set[str]] = []


class _RecordingDict(Parameters):
    """request.form and request.args that remember which names were asked for."""

    def _seen(self, key):
        if _reads and isinstance(key, str):
            _reads[-1].add(key)

    def __getitem__(self, key):
        self._seen(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._seen(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):  # noqa: A002  (werkzeug's signature)
        self._seen(key)
        return super().getlist(key, type)


class RecordingRequest(Request):
    parameter_storage_class = _RecordingDict


@contextmanager
def reading() -> Iterator[set[str]]:
    """The names the request(s) made inside the block looked up in form and query string."""
    names: set[str] = set()
    _reads.append(names)
    try:
        yield names
    finally:
        _reads.pop()


# --- Forms on a page -------------------------------------------------------------------------

TEXT_TYPES = {"text", "search", None, ""}
NOT_SENT = {"submit", "reset", "button", "file", "image"}


class Field:
    def __init__(self, tag: str, name: str, kind: str | None, value: str):
        self.tag, self.name, self.kind, self.value = tag, name, kind, value
        self.options: list[str] = []
        self.checked = False
        self.selected: str | None = None

    @property
    def is_text(self) -> bool:
        return self.tag == "textarea" or (self.tag == "input" and self.kind in TEXT_TYPES)


class Form:
    def __init__(self, action: str | None, method: str):
        self.action, self.method = action, method
        self.fields: list[Field] = []

    def baseline(self) -> list[tuple[str, str]]:
        """The body a browser sends when the form is submitted as shown (first button)."""
        body, button_sent = [], False
        for field in self.fields:
            if field.tag == "button" or field.kind in ("submit", "image"):
                if not button_sent and field.name:
                    body.append((field.name, field.value))
                    button_sent = True
            elif field.kind in ("checkbox", "radio"):
                if field.checked:
                    body.append((field.name, field.value or "on"))
            elif field.tag == "select":
                chosen = field.selected if field.selected is not None else (
                    field.options[0] if field.options else None)
                if chosen is not None:
                    body.append((field.name, chosen))
            elif field.kind not in NOT_SENT:
                body.append((field.name, field.value))
        # A radio group with nothing checked: its first choice, as a user would pick one.
        sent = {name for name, _ in body}
        for field in self.fields:
            if field.kind == "radio" and field.name not in sent:
                body.append((field.name, field.value))
                sent.add(field.name)
        return body

    @property
    def names(self) -> set[str]:
        return {field.name for field in self.fields if field.name}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: list | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action"), (a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag in ("input", "select", "textarea", "button") and a.get("name"):
            field = Field(tag, a["name"], (a.get("type") or "").lower() or None,
                          a.get("value") or "")
            field.checked = "checked" in a
            if tag == "input" and field.kind is None:
                field.kind = "text"
            self._form.fields.append(field)
            if tag == "select":
                self._select = field
            if tag == "textarea":
                self._textarea = field
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            value = text.strip() if value is None else value
            self._select.options.append(value)
            if selected:
                self._select.selected = value
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def forms_of(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def invalid_names(page: str) -> set[str]:
    """Names of the controls a re-rendered form marks invalid."""
    names = set()
    for tag in re.finditer(r"<(?:input|select|textarea)\b[^>]*>", page):
        name = re.search(r'\bname="([^"]*)"', tag.group(0))
        if name and 'aria-invalid="true"' in tag.group(0):
            names.add(html.unescape(name.group(1)))
    return names


# --- Hostile values --------------------------------------------------------------------------

LONG = 100_000
SCRIPT = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>"

UNICODE = [
    "שלום עולם",  # Hebrew, right to left
    "مرحبا \u202eevil\u202c",  # Arabic and a right-to-left override
    "e\u0301\u0308\u0327 Z\u0351\u0324\u035bA\u0353L\u0346G\u0310O",  # combining marks
    "👩‍👧‍👦 🏳️‍🌈 🤷🏽‍♀️",  # emoji with joiners and modifiers
    "\u200b\u200c\u200d\ufeff\u2060",  # zero-width characters only
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),  # a surrogate's bytes, as text
    "\\ud83d\\ude00 \\x00",  # escapes written out
    "\u00a0\u2003\u3000",  # spaces that are not " "
    "Ǆǅǆ ß ẞ İı ﬃ",  # case mapping oddities
    "𝕳𝖊𝖑𝖑𝖔 𐍈 𠜎",  # outside the basic plane
    "\x00",
    "a\x00b",
    "\x01\x07\x1b[31m\x7f",
    "line\r\nbreak\rcr",
    "   ",
    "",
    SCRIPT,
    "' OR 1=1 --",
    "%s %(name)s {0} {{ 7*7 }} ${7*7}",
    "=cmd|' /C calc'!A0",
]
# Long values, each past what it should meet: every field's length limit (20,000 characters
# at most), in characters and in UTF-8 bytes alike, and SQLite's LIKE pattern (50,000
# bytes). The multi-byte ones are no longer than that: their percent-escapes are undone one
# by one in Python (urllib's unquote, a third of the module's time at 100,000 characters),
# and "ä" * 100,000 (600 KB sent) only met Flask's form size limit (413), where
# "ä" * 26,000 reaches the fields.
LONG_STRINGS = ["x" * LONG, "ä" * 26_000, "👩‍👧" * 7_000, "9" * LONG]
# In a query string: a value no longer than the request line a server lets through
# (gunicorn refuses one over 4,094 bytes with a 400, nginx over 8 KB), percent-escaped.
QUERY_LONG_STRINGS = ["x" * 4_000, "ä" * 650, "👩‍👧" * 120, "9" * 4_000]
NUMBERS = ["0", "-1", "1e308", "-1e308", "1e-308", str(10**30), "-" + str(10**30),
           str(2**31), str(2**63), str(2**64), "NaN", "inf", "-0", "1.5", "0x10", "1_000",
           "٣", "１２", " 7 ", "+3"]
DATES = ["2026-02-30", "0000-00-00", "99999-01-01", "2026-13-01", "2026-00-10",
         "0001-01-01", "9999-12-31", "1900-01-01", "2024-02-29", "31.12.2026", "2026-W60",
         "2026-Q5", "2026-1-1", "25:61", "24:00", "2026-01-01T25:00", "-2026-01-01",
         "2026-02-30T10:00"]
WRONG_TYPES = ["abc", "true", "false", "on", "null", "None", "[]", "{}", "[1,2]",
               '{"a": 1}', "undefined"]
# Bytes that are not UTF-8: a lone surrogate, an overlong encoding, a cut-off sequence.
BAD_BYTES = [b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82", b"\xff\xfe", b"caf\xe9"]


def hostile_values(other_ids: list[int], long_strings: list[str] = LONG_STRINGS
                   ) -> st.SearchStrategy:
    """One value for a form field or query argument: text or raw bytes. `long_strings` are
    its long values: `QUERY_LONG_STRINGS` for a query string."""
    return st.one_of(
        st.sampled_from(UNICODE),
        st.sampled_from(NUMBERS),
        st.sampled_from(DATES),
        st.sampled_from(WRONG_TYPES),
        st.sampled_from(long_strings),
        st.sampled_from(BAD_BYTES),
        st.sampled_from([str(i) for i in other_ids] or ["1"]),
        # Any text hypothesis likes: every category but surrogates (they cannot be sent).
        st.text(max_size=50),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


# --- Writes committed by a request -----------------------------------------------------------

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteLog:
    """The tables that SQL statements of committed transactions wrote to."""

    def __init__(self, engine):
        self.engine = engine
        self.pending: list[str] = []
        self.committed: list[str] = []

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._statement)
        sa.event.listen(self.engine, "commit", self._commit)
        sa.event.listen(self.engine, "rollback", self._rollback)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._statement)
        sa.event.remove(self.engine, "commit", self._commit)
        sa.event.remove(self.engine, "rollback", self._rollback)

    def _statement(self, _conn, _cursor, statement, *_args):
        if match := _WRITE.match(statement):
            self.pending.append(match.group(1))

    def _commit(self, _conn):
        self.committed += self.pending
        self.pending = []

    def _rollback(self, _conn):
        self.pending = []


def row_counts(session) -> dict[str, int]:
    """The number of rows of every table, in one statement."""
    from outreach.extensions import db

    tables = db.metadata.sorted_tables
    counts = session.execute(sa.select(*(
        sa.select(sa.func.count()).select_from(table).scalar_subquery().label(table.name)
        for table in tables
    ))).one()
    return dict(zip((table.name for table in tables), counts, strict=True))


# --- The language of messages ----------------------------------------------------------------

_ROOT = Path(__file__).resolve().parent.parent


def _catalog(path: Path) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file)
    return {str(m.id): str(m.string) for m in catalog
            if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string}


def _fixed_parts(msgid: str) -> list[str]:
    """The literal parts of a message long enough to be recognised (placeholders cut out)."""
    parts = re.split(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}", msgid)
    return [part.strip() for part in parts if len(part.strip()) >= 12 and " " in part.strip()]


@cache
def english_messages() -> list[str]:
    """English texts that have a different Finnish translation: one of them on a Finnish
    page means a message that was not translated (or not looked up in the user's language).
    Ours, and WTForms' built-in validation messages."""
    import wtforms

    sources = [_ROOT / "outreach/translations/fi/LC_MESSAGES/messages.po",
               Path(wtforms.__file__).parent / "locale/fi/LC_MESSAGES/wtforms.po"]
    texts = set()
    for source in sources:
        for msgid, msgstr in _catalog(source).items():
            if msgid != msgstr:
                texts.update(part for part in _fixed_parts(msgid) if part not in msgstr)
    return sorted(texts)


class _ErrorText(HTMLParser):
    """The text of the messages on a page: elements with role="alert" or a class that says
    error or warning (`error`, `error-summary`, `message warning`, `consent-warning`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._depth = 0
        self._tags: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"):
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        opens = a.get("role") == "alert" or any(
            c in ("error", "warning") or c.startswith("error-") or c.endswith("-warning")
            for c in classes)
        self._tags.append(opens)
        if opens:
            if not self._depth:
                self.texts.append("")
            self._depth += 1

    def handle_endtag(self, tag):
        if tag in ("input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"):
            return
        if self._tags and self._tags.pop():
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data


def error_texts(page: str) -> list[str]:
    parser = _ErrorText()
    parser.feed(page)
    return [" ".join(text.split()) for text in parser.texts if text.strip()]


def english_in(texts: list[str]) -> list[str]:
    return sorted({message for message in english_messages() for text in texts
                   if message in text})
