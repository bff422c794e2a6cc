"""Lists as files: CSV (UTF-8 with a BOM, `,` or `;`) and XLSX, streamed.

Every list page has a sibling `<list URL>/export?format=csv|csv-semicolon|xlsx` route with
the list's own access declaration; it builds the list's query with the same function and
the same filters (outreach/<domain>/queries.py) and hands it to `export_response`.

- CSV is written row by row while the response is sent (`stream_with_context` over a
  server-side iteration with `yield_per`): no list of all rows is ever built.
- XLSX is written by xlsxwriter in `constant_memory` mode into a temporary file (rows go
  to disk as they are written), which is sent and removed; dates are real dates.
- A text cell that a spreadsheet would run as a formula (= + - @, tab, carriage return)
  gets a leading apostrophe.
"""

import csv
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum

from flask import Response, abort, request, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import Select

from outreach.audit.log import record_access
from outreach.core.time import local_moment, local_today
from outreach.extensions import db

CSV = "csv"
CSV_SEMICOLON = "csv-semicolon"
XLSX = "xlsx"
FORMATS = (CSV, CSV_SEMICOLON, XLSX)
DELIMITERS = {CSV: ",", CSV_SEMICOLON: ";"}

BOM = "\ufeff"
BATCH = 1000  # rows fetched from the database at a time
CHUNK = 64 * 1024  # characters of CSV sent at a time
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column: its header (a lazy, translated string) and the value of a row."""

    label: object
    value: Callable[[object], object]


def columns(*pairs: tuple[object, Callable[[object], object]]) -> list[Column]:
    return [Column(label, value) for label, value in pairs]


def requested_format() -> str:
    """The `format` of the request; csv when none is given, 400 for an unknown one."""
    fmt = request.args.get("format") or CSV
    if fmt not in FORMATS:
        abort(400)
    return fmt


def list_args() -> dict:
    """The list's filters of this request, without the page (an export has every page)."""
    return {key: values for key, values in request.args.lists()
            if key not in ("page", "format", "lang")}


# --- Reading the rows ------------------------------------------------------------------------


def stream_rows(query: Select, *, scalars: bool = True, batch: int = BATCH) -> Iterator:
    """The query's rows one at a time, fetched `batch` at a time (a server-side cursor on
    PostgreSQL): memory holds one batch, however many rows there are."""
    for part in stream_batches(query, scalars=scalars, batch=batch):
        yield from part


def stream_batches(query: Select, *, scalars: bool = True, batch: int = BATCH) -> Iterator[list]:
    """The query's rows a batch at a time, for lists that add figures per batch (one
    GROUP BY per batch of rows). The session's identity map holds its objects weakly, so
    a written batch is freed."""
    result = db.session.execute(query.execution_options(yield_per=batch))
    if scalars:
        result = result.scalars()
    yield from result.partitions()


# --- Cell values ------------------------------------------------------------------------------


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ tab or CR would make it a formula."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def plain_value(value):
    """A cell's value as the writers take it: None, bool, number, date, datetime, time or
    text (enums, lazy strings and anything else become text)."""
    if value is None or isinstance(value, (bool, int, float, date, time)):
        if isinstance(value, datetime):
            return local_moment(value)
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value if item not in (None, ""))
    return str(value)


def csv_cell(value) -> str:
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, (int, float)):
        return str(value)
    return safe_text(value)


# --- Writers -----------------------------------------------------------------------------------


def csv_chunks(rows: Iterable, cols: list[Column], delimiter: str = ",") -> Iterator[bytes]:
    """The CSV in pieces of about CHUNK characters: BOM and header first, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([safe_text(str(col.label)) for col in cols])
    for row in rows:
        writer.writerow([csv_cell(col.value(row)) for col in cols])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(path: str, rows: Iterable, cols: list[Column], sheet_name: str) -> None:
    """The rows into an XLSX file, one row in memory at a time (constant_memory)."""
    import xlsxwriter  # loaded on the first XLSX export only: most requests never need it

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir":
                                          tempfile.gettempdir()})
    try:
        sheet = workbook.add_worksheet(_sheet_name(sheet_name))
        bold = workbook.add_format({"bold": True})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        clock = workbook.add_format({"num_format": "hh:mm"})
        widths = [min(max(len(str(col.label)) + 2, 10), 60) for col in cols]
        for index, col in enumerate(cols):
            sheet.write_string(0, index, safe_text(str(col.label)), bold)
        sheet.freeze_panes(1, 0)
        for row_number, row in enumerate(rows, start=1):
            for index, col in enumerate(cols):
                value = plain_value(col.value(row))
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_string(row_number, index, _("Yes") if value else _("No"))
                elif isinstance(value, datetime):
                    sheet.write_datetime(row_number, index, value, moment)
                elif isinstance(value, date):
                    sheet.write_datetime(row_number, index,
                                         datetime.combine(value, time.min), day)
                elif isinstance(value, time):
                    sheet.write_datetime(row_number, index, value, clock)
                elif isinstance(value, (int, float)):
                    sheet.write_number(row_number, index, value)
                else:
                    # write_string, never write(): a text is never taken for a formula.
                    sheet.write_string(row_number, index, safe_text(value))
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
    finally:
        workbook.close()


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\']", " ", name).strip() or "Sheet1"
    return cleaned[:31]


def ascii_filename(name: str, ext: str, day: date | None = None) -> str:
    """`<name>-<YYYY-MM-DD>.<ext>` in plain ASCII letters, digits and hyphens."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower() or "export"
    return f"{slug[:60]}-{(day or local_today()).isoformat()}.{ext}"


def _file_chunks(handle) -> Iterator[bytes]:
    """The file's bytes a piece at a time; the file is closed when sent or abandoned."""
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def export_response(rows: Iterable, cols: list[Column], filename: str,
                    fmt: str | None = None, *, sheet_name: str | None = None) -> Response:
    """The rows as a download in `fmt` ("csv", "csv-semicolon" or "xlsx"; the request's
    `format` when None). `rows` should be lazy (`stream_rows`): CSV consumes it while
    sending, XLSX while writing its temporary file."""
    fmt = fmt or requested_format()
    if fmt not in FORMATS:
        abort(400)
    if fmt == XLSX:
        handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
        os.close(handle)
        try:
            write_xlsx(path, rows, cols, sheet_name or filename)
            handle = open(path, "rb")  # noqa: SIM115 - closed by _file_chunks when sent
        finally:
            # The open file stays readable; its name is gone at once (nothing lingers).
            os.unlink(path)
        size = os.fstat(handle.fileno()).st_size
        response = Response(_file_chunks(handle), mimetype=XLSX_MIMETYPE)
        response.headers["Content-Length"] = str(size)
        response.headers["Content-Disposition"] = _disposition(ascii_filename(filename, "xlsx"))
    else:
        body = stream_with_context(csv_chunks(rows, cols, DELIMITERS[fmt]))
        response = Response(body, mimetype="text/csv")
        response.charset = "utf-8"
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = _disposition(ascii_filename(filename, "csv"))
    response.headers["Cache-Control"] = "no-store"
    return response


def log_export(client_id: int | None, part: str) -> None:
    """One access-log row for this export request (action "export"): her id for a list of
    hers, None with part "client_list" (or the list's part) for a list of many women."""
    record_access(client_id, part, "export")
