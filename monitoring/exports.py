"""CSV and XLSX downloads of the dashboard's tables (the same ``tables.Table`` the page shows).

Both open as they should in a spreadsheet set to Indonesian: the XLSX (the first choice) keeps
numbers as numbers, which the spreadsheet shows with its own decimal comma; the CSV is written
the way such a spreadsheet reads one, with ";" between fields and a decimal comma ("79,6"),
since a "." there is a thousands separator (``79.6`` would be read as 796)."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font

from sop_portal.formatting import format_day

from .filters import Filters
from .tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_DELIMITER = ";"


def filename(table: Table, f: Filters, ext: str) -> str:
    return f"pantau-{table.name}-{f.start.isoformat()}-{f.end.isoformat()}.{ext}"


def _plain(value):
    if value is None:
        return ""
    return str(value) if isinstance(value, Promise) else value


def _csv_cell(value):
    """A CSV field for an Indonesian-locale spreadsheet: a decimal comma (the figure's own
    precision kept), no thousands separator; dates as "2 Desember 2026"."""
    value = _plain(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return format_day(value)
    return value


def csv_response(table: Table, f: Filters) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    for row in table.matrix():
        writer.writerow([_csv_cell(v) for v in row])
    # A byte-order mark so that spreadsheet programs read the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(table, f, "csv")}"'
    return response


def xlsx_bytes(table: Table, f: Filters) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet.append([f"{table.title} ({format_day(f.start)} – {format_day(f.end)})"])
    sheet["A1"].font = Font(bold=True)
    matrix = table.matrix()
    sheet.append(matrix[0])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in matrix[1:]:
        sheet.append([_plain(v) for v in row])
    for i, column in enumerate(table.columns, start=1):
        width = max(len(str(column.label)), *(len(str(_plain(r[i - 1]))) for r in matrix))
        sheet.column_dimensions[sheet.cell(row=2, column=i).column_letter].width = min(
            width + 2, 60
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(table: Table, f: Filters, content: bytes | None = None) -> HttpResponse:
    """The workbook of ``table`` (``content``: its bytes, when already built)."""
    content = xlsx_bytes(table, f) if content is None else content
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(table, f, "xlsx")}"'
    return response
