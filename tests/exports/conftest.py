"""Our pair (confidentiality agreement recorded), another pair, their supervisors and the
administrator (tests/clients), and readers for what an export sends."""

import csv
import io
import re
import zipfile
from html import unescape
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa

from outreach.audit.models import AccessLog
from outreach.extensions import db
from tests.world import make_clients_world


@pytest.fixture
def world(app):
    """The client tests' people (tests/world.py)."""
    return make_clients_world()

BOM = "\ufeff".encode()
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_csv(response, delimiter: str = ",") -> list[list[str]]:
    """The rows of a CSV download: UTF-8 with a BOM, read back with the csv module."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    assert "charset=utf-8" in response.headers["Content-Type"]
    data = response.get_data()
    assert data.startswith(BOM)
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def filename_of(response) -> str:
    match = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"])
    assert match, response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].startswith("attachment")
    return match.group(1)


def _column(reference: str) -> int:
    letters = re.match(r"[A-Z]+", reference).group(0)
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


class Sheet:
    """An XLSX download opened with zipfile: its rows (text or numbers), and whether any
    cell is a formula."""

    def __init__(self, data: bytes):
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= names
        shared = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))  # noqa: S314
            shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
                      for si in root.findall("m:si", NS)]
        root = ElementTree.fromstring(  # noqa: S314 - the app's own file
            archive.read("xl/worksheets/sheet1.xml"))
        self.formulas = root.findall(".//m:f", NS)
        self.rows: list[list] = []
        self.styles: list[list] = []
        for row in root.findall(".//m:sheetData/m:row", NS):
            values: dict[int, object] = {}
            styles: dict[int, str | None] = {}
            for cell in row.findall("m:c", NS):
                index = _column(cell.get("r"))
                kind = cell.get("t")
                styles[index] = cell.get("s")
                if kind == "s":
                    values[index] = shared[int(cell.find("m:v", NS).text)]
                elif kind == "inlineStr":
                    values[index] = "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
                elif kind == "str":
                    values[index] = cell.find("m:v", NS).text
                else:
                    value = cell.find("m:v", NS)
                    values[index] = float(value.text) if value is not None else None
            width = max(values, default=-1) + 1
            self.rows.append([values.get(i) for i in range(width)])
            self.styles.append([styles.get(i) for i in range(width)])

    @property
    def header(self) -> list:
        return self.rows[0]

    def column(self, label: str) -> list:
        index = self.header.index(label)
        return [row[index] if index < len(row) else None for row in self.rows[1:]]


def read_xlsx(response) -> Sheet:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Sheet(response.get_data())


def column(rows: list[list[str]], label: str) -> list[str]:
    index = rows[0].index(label)
    return [row[index] for row in rows[1:]]


def log_rows(**where) -> list[AccessLog]:
    db.session.expire_all()
    query = sa.select(AccessLog).order_by(AccessLog.id)
    for name, value in where.items():
        query = query.where(getattr(AccessLog, name) == value)
    return list(db.session.scalars(query))


def export_links(html: str, path: str) -> list[dict]:
    """The query strings of the page's links to `path`, parsed, in page order."""
    found = re.findall(r'href="(' + re.escape(path) + r'\?[^"]*)"', html)
    return [parse_qs(urlsplit(unescape(link)).query) for link in found]
