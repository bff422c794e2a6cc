"""The funder report as an XLSX workbook: one sheet, the page's sections one after another,
real numbers where a figure is shown and "<3" where a count is suppressed."""

import io

import xlsxwriter
from flask_babel import gettext as _

from outreach.exports import safe_text
from outreach.reports.sections import Section

# Characters Excel does not allow in a sheet's name.
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
NUMBER_FORMATS = {"count": "0", "hours": "0.0", "mean": "0.0", "change": "+0.0;-0.0;0.0"}


def workbook(title: str, header: list[tuple[str, str]], sections: list[Section],
             footnote: str) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.set_properties({"title": title})
    sheet = book.add_worksheet(title.translate(SHEET_NAME_FORBIDDEN)[:31])
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 14})
    section_format = book.add_format({"bold": True, "font_size": 12})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    number_formats = {kind: book.add_format({"num_format": fmt, "align": "right"})
                      for kind, fmt in NUMBER_FORMATS.items()}
    totals = {kind: book.add_format({"num_format": fmt, "align": "right", "bold": True,
                                     "top": 1})
              for kind, fmt in NUMBER_FORMATS.items()}
    total_label = book.add_format({"bold": True, "top": 1})
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 6, 14)

    row = 0
    sheet.write_string(row, 0, title, heading)
    row += 1
    for name, value in header:
        sheet.write_string(row, 0, name, bold)
        sheet.write_string(row, 1, safe_text(value))  # names of pairs: user text
        row += 1
    for section in sections:
        row += 1
        sheet.write_string(row, 0, section.title, section_format)
        row += 1
        for table in section.tables:
            sheet.write_string(row, 0, table.caption, bold)
            row += 1
            for column, text in enumerate(table.headers):
                sheet.write_string(row, column, text, head)
            row += 1
            lines = [(cells, False) for cells in table.rows]
            if table.total:
                lines.append((table.total, True))
            for cells, is_total in lines:
                for column, cell in enumerate(cells):
                    value = cell.sheet_value
                    if cell.is_number and isinstance(value, int | float):
                        fmt = (totals if is_total else number_formats)[cell.kind]
                        sheet.write_number(row, column, value, fmt)
                    else:
                        fmt = total_label if is_total else (wrap if column == 0 else None)
                        # Names (services, pairs) are user text: never a formula.
                        sheet.write_string(row, column, safe_text(str(value)), fmt)
                row += 1
            row += 1
        if section.note:
            sheet.write_string(row, 0, section.note, wrap)
            row += 1
    row += 1
    sheet.write_string(row, 0, _("Note"), bold)
    sheet.write_string(row + 1, 0, footnote, wrap)
    book.close()
    return output.getvalue()
