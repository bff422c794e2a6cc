"""The generic writers (outreach/exports.py): cell values, formula injection, file names,
CSV pieces and the XLSX file, without a route in between."""

from datetime import UTC, date, datetime, time

import pytest

from outreach import exports
from tests.exports.conftest import Sheet

COLUMNS = exports.columns(
    ("Nimi", lambda row: row["name"]),
    ("Päivä", lambda row: row["day"]),
    ("Milloin", lambda row: row["at"]),
    ("Määrä", lambda row: row["n"]),
    ("Kyllä", lambda row: row["flag"]),
)
ROWS = [
    {"name": "Äijä Öljynen", "day": date(2026, 3, 1), "at": datetime(2026, 3, 1, 10, 30,
     tzinfo=UTC), "n": 3, "flag": True},
    {"name": "=1+2", "day": None, "at": None, "n": -4, "flag": False},
]


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "+358401234567", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_starts_get_an_apostrophe(text):
    assert exports.safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Kallio", "", "1=1", "a-b", "'quoted"])
def test_ordinary_text_is_kept(text):
    assert exports.safe_text(text) == text


def test_csv_cells(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert exports.csv_cell(None) == ""
        assert exports.csv_cell(date(2026, 3, 1)) == "2026-03-01"
        # Stored in UTC, written as Helsinki wall time (UTC+2 in March).
        assert exports.csv_cell(datetime(2026, 3, 1, 10, 30, tzinfo=UTC)) == "2026-03-01 12:30"
        assert exports.csv_cell(time(9, 5)) == "09:05"
        assert exports.csv_cell(-4) == "-4"  # a number is not a formula
        assert exports.csv_cell("=cmd") == "'=cmd"
        assert exports.csv_cell(["a", None, "b"]) == "a, b"


def test_filename_is_ascii_with_the_date():
    assert exports.ascii_filename("yhteydet-Äijä Ö/..", "csv", date(2026, 1, 5)) \
        == "yhteydet-aija-o-2026-01-05.csv"
    assert exports.ascii_filename("ÖÖÖ", "xlsx", date(2026, 1, 5)) == "ooo-2026-01-05.xlsx"
    assert exports.ascii_filename("...", "csv", date(2026, 1, 5)) == "export-2026-01-05.csv"


def test_csv_chunks_have_the_bom_once_and_quote_properly(app):
    rows = [{"name": 'Hän sanoi "moi", ja; lähti\nkotiin', "day": None, "at": None, "n": 1,
             "flag": None}]
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        text = b"".join(exports.csv_chunks(rows, COLUMNS, ";")).decode("utf-8")
    assert text.startswith("\ufeffNimi;Päivä;Milloin;Määrä;Kyllä\r\n")
    assert text.count("\ufeff") == 1
    assert '"Hän sanoi ""moi"", ja; lähti\nkotiin"' in text


def test_csv_is_written_in_pieces(app, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 100)
    rows = ({"name": f"Nainen {n}", "day": None, "at": None, "n": n, "flag": None}
            for n in range(50))
    with app.test_request_context("/"):
        pieces = list(exports.csv_chunks(rows, COLUMNS))
    assert len(pieces) > 5
    assert b"".join(pieces).count(b"\r\n") == 51


def test_xlsx_has_real_dates_text_never_formulas(app, tmp_path):
    path = tmp_path / "out.xlsx"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        exports.write_xlsx(str(path), iter(ROWS), COLUMNS, "Lista: [x]")
    sheet = Sheet(path.read_bytes())
    assert sheet.header == ["Nimi", "Päivä", "Milloin", "Määrä", "Kyllä"]
    assert sheet.rows[1][0] == "Äijä Öljynen"
    # 2026-03-01 is day 46082 of Excel's calendar; 12:30 Helsinki is .520833 of a day.
    assert sheet.rows[1][1] == 46082
    assert sheet.rows[1][2] == pytest.approx(46082 + 12.5 / 24)
    assert sheet.styles[1][1] is not None  # a date format, not a bare number
    assert sheet.rows[1][3] == 3
    assert sheet.rows[1][4] == "Yes"
    assert sheet.rows[2][0] == "'=1+2"
    assert sheet.rows[2][3] == -4
    assert sheet.formulas == []


def test_unknown_format_is_a_bad_request(app):
    from werkzeug.exceptions import BadRequest

    with app.test_request_context("/?format=pdf"), pytest.raises(BadRequest):
        exports.requested_format()
