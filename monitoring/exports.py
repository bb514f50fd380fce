"""CSV and XLSX downloads of the dashboard's tables (the same ``tables.Table`` the page shows)."""

import csv
import io

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font

from .filters import Filters
from .tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(table: Table, f: Filters, ext: str) -> str:
    return f"pantau-{table.name}-{f.start.isoformat()}-{f.end.isoformat()}.{ext}"


def _plain(value):
    if value is None:
        return ""
    return str(value) if isinstance(value, Promise) else value


def csv_response(table: Table, f: Filters) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table.matrix():
        writer.writerow([_plain(v) for v in row])
    # A byte-order mark so that spreadsheet programs read the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(table, f, "csv")}"'
    return response


def xlsx_bytes(table: Table, f: Filters) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet.append([f"{table.title} ({f.start.isoformat()} – {f.end.isoformat()})"])
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


def xlsx_response(table: Table, f: Filters) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(table, f), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(table, f, "xlsx")}"'
    return response
