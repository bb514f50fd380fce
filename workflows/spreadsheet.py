"""The XLSX template of an SOP (sheets Identitas, Pelaksana, Langkah) for offices that draft in
spreadsheets: written from a version (or empty), and read back into the interchange ``sop``
object, validated exactly like the JSON format, with problems located by sheet, row and column."""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from agencies.models import Agency

from .durations import TimeUnit
from .interchange import create_version_from_dict, sop_to_dict
from .models import PerformerRole, Sop, SopVersion, StepAction, Symbol
from .validation import SOP_DATE_KEYS, SOP_LIST_KEYS, TECHNICAL, validate_sop
from .versions import OPEN_STATUSES, PURPOSES, OpenDraftExists, service_and_purpose

IDENTITY, PERFORMERS, STEPS, LISTS = "Identitas", "Pelaksana", "Langkah", "Daftar"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_ROW = 3  # row 1: labels for people, row 2: the format's keys, then the data
LAST_ROW = 500  # data validation reaches this row
MAX_UPLOAD = 5 * 1024 * 1024

IDENTITY_KEYS = (
    "number",
    "name",
    *SOP_DATE_KEYS,
    "approved_by.position",
    "approved_by.name",
    "approved_by.nip",
    *SOP_LIST_KEYS,
)
# New columns go at the end, so workbooks filled in before they existed still read
# (``short``: the header's short label; ``also``: further performers of a step).
PERFORMER_COLUMNS = ("key", "title", "role", "agency", "short")
LEGACY_PERFORMER_COLUMNS = PERFORMER_COLUMNS[:-1]
STEP_COLUMNS = (
    "no",
    "symbol",
    "activity",
    "performer",
    "requirements",
    "duration_value",
    "duration_unit",
    "output",
    "notes",
    "next",
    "on_yes",
    "on_no",
    "action",
    "also",
)
LEGACY_STEP_COLUMNS = STEP_COLUMNS[:-1]
INT_COLUMNS = frozenset({"no", "duration_value", "next", "on_yes", "on_no"})
LIST_COLUMNS = frozenset({"requirements", "output", "also"})


def _labels() -> dict[str, str]:
    """Row 1 of the sheets, in the user's language."""
    return {
        "number": _("SOP number"),
        "name": _("SOP name"),
        "made_on": _("Date made (YYYY-MM-DD)"),
        "revised_on": _("Date revised (YYYY-MM-DD)"),
        "effective_on": _("Effective date (YYYY-MM-DD)"),
        "approved_by.position": _("Approved by: position"),
        "approved_by.name": _("Approved by: name"),
        "approved_by.nip": _("Approved by: NIP"),
        "legal_basis": _("Legal basis (one per line)"),
        "related": _("Related SOPs (one per line)"),
        "warnings": _("Warnings (one per line)"),
        "qualifications": _("Performer qualifications (one per line)"),
        "equipment": _("Equipment (one per line)"),
        "records": _("Records and data (one per line)"),
        "key": _("Key"),
        "title": _("Title"),
        "role": _("Role"),
        "agency": _("Agency code"),
        "no": _("No."),
        "symbol": _("Symbol"),
        "activity": _("Activity"),
        "performer": _("Performer (key)"),
        "requirements": _("Requirements (one per line)"),
        "duration_value": _("Time norm"),
        "duration_unit": _("Time unit"),
        "output": _("Output (one per line)"),
        "notes": _("Notes"),
        "next": _("Next step"),
        "on_yes": _("If yes, step"),
        "on_no": _("If no, step"),
        "action": _("Action"),
        "short": _("Short label (printed in the flowchart header)"),
        "also": _("Also performed by (keys, one per line)"),
    }


@dataclass(frozen=True)
class WorkbookProblem:
    """Where in the workbook (sheet, cell or row) and why."""

    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}: {self.message}" if where else self.message


class InvalidWorkbook(ValidationError):
    """A workbook refused as a whole; ``problems`` lists every reason."""

    def __init__(self, problems: list[WorkbookProblem]):
        self.problems = problems
        super().__init__([str(p) for p in problems])


# --- writing ---------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="0D2F5A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
KEY_FONT = Font(italic=True, color="6C757D", size=9)


def _text(value: Any) -> str:
    return "\n".join(value) if isinstance(value, list) else ("" if value is None else str(value))


def _table(ws, columns, rows, labels, widths) -> None:
    for col, key in enumerate(columns, start=1):
        ws.cell(1, col, labels[key]).font = HEADER_FONT
        ws.cell(1, col).fill = HEADER_FILL
        ws.cell(1, col).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(2, col, key).font = KEY_FONT
        ws.column_dimensions[get_column_letter(col)].width = widths.get(key, 14)
    for r, row in enumerate(rows, start=FIRST_ROW):
        for col, key in enumerate(columns, start=1):
            value = row.get(key)
            cell = ws.cell(r, col, value if isinstance(value, int) else _text(value) or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def _validation(ws, formula: str, column: int) -> None:
    letter = get_column_letter(column)
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
    ws.add_data_validation(dv)


#: The last row of the Identitas sheet: which of its service's SOPs this is (the interchange
#: document's ``purpose``: main, renewal or amendment), checked against the SOP on upload.
PURPOSE_KEY = "purpose"
PURPOSE_VALUES = tuple(purpose for purpose, _accessor in PURPOSES)


def workbook_bytes(version: SopVersion | None = None) -> bytes:
    """The XLSX template, prefilled from ``version`` when given, else empty."""
    data = sop_to_dict(version) if version is not None else None
    labels = _labels()
    wb = Workbook()

    ws = wb.active
    ws.title = IDENTITY
    ws.append([_("Key"), _("Field"), _("Value")])
    for col in range(1, 4):
        ws.cell(1, col).font, ws.cell(1, col).fill = HEADER_FONT, HEADER_FILL
    approved = (data or {}).get("approved_by") or {}
    for key in IDENTITY_KEYS:
        if key.startswith("approved_by."):
            value = approved.get(key.split(".", 1)[1])
        else:
            value = (data or {}).get(key)
        ws.append([key, labels[key], _text(value) or None])
        ws.cell(ws.max_row, 1).font = KEY_FONT
        ws.cell(ws.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    # Last, so the rows of the identity fields stay where older templates had them.
    purpose = service_and_purpose(version.sop)[1] if version is not None else None
    ws.append([PURPOSE_KEY, _("Kind of SOP (new, renewal, amendment)"), purpose])
    ws.cell(ws.max_row, 1).font = KEY_FONT
    kinds = DataValidation(type="list", formula1='"' + ",".join(PURPOSE_VALUES) + '"')
    ws.add_data_validation(kinds)
    kinds.add(f"C{ws.max_row}")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 80

    lists = wb.create_sheet(LISTS)
    choices = {
        "A": Symbol.values,
        "B": TimeUnit.values,
        "C": StepAction.values,
        "D": PerformerRole.values,
        "E": [TECHNICAL, *Agency.objects.order_by("code").values_list("code", flat=True)],
    }
    for letter, values in choices.items():
        lists[f"{letter}1"] = letter
        for i, value in enumerate(values, start=2):
            lists[f"{letter}{i}"] = value
    lists.sheet_state = "hidden"

    def ref(letter: str) -> str:
        return f"={LISTS}!${letter}$2:${letter}${len(choices[letter]) + 1}"

    performers = wb.create_sheet(PERFORMERS)
    _table(
        performers,
        PERFORMER_COLUMNS,
        (data or {}).get("performers", []),
        labels,
        {"key": 14, "title": 32, "role": 18, "agency": 16},
    )
    _validation(performers, ref("D"), 3)
    _validation(performers, ref("E"), 4)

    steps = wb.create_sheet(STEPS)
    rows = []
    for step in (data or {}).get("steps", []):
        row = dict(step)
        if isinstance(step.get("performer"), list):  # a step of several performers
            row["performer"], row["also"] = step["performer"][0], step["performer"][1:]
        duration = step.get("duration") or {}
        row["duration_value"], row["duration_unit"] = duration.get("value"), duration.get("unit")
        rows.append(row)
    _table(
        steps,
        STEP_COLUMNS,
        rows,
        labels,
        {"no": 6, "activity": 40, "requirements": 28, "output": 24, "notes": 24, "symbol": 13},
    )
    col = {key: i for i, key in enumerate(STEP_COLUMNS, start=1)}
    _validation(steps, ref("A"), col["symbol"])
    _validation(steps, ref("B"), col["duration_unit"])
    _validation(steps, ref("C"), col["action"])
    _validation(steps, f"={PERFORMERS}!$A${FIRST_ROW}:$A${LAST_ROW}", col["performer"])
    wb.move_sheet(LISTS, offset=3)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading ---------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.problems: list[WorkbookProblem] = []

    def add(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(WorkbookProblem(sheet, cell, message))

    def int_cell(self, value: Any, sheet: str, cell: str) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            return value
        elif isinstance(value, float) and value.is_integer():
            return int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        self.add(sheet, cell, _("Must be a whole number."))
        return None

    def text_cell(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value).strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _headers_ok(
    r: _Reader, ws, sheet: str, expected: tuple[str, ...], legacy: tuple[str, ...] = ()
) -> tuple[str, ...] | None:
    """The sheet's column keys when they are ``expected`` (or the ``legacy`` layout, without
    the newer trailing columns), else None with the problem recorded."""
    found = [r.text_cell(ws.cell(2, col).value) for col in range(1, ws.max_column + 1)]
    while found and not found[-1]:
        found.pop()
    if legacy and tuple(found) == legacy:
        return legacy
    if tuple(found) != expected:
        r.add(
            sheet,
            "2",
            _("Row 2 must hold the column keys %(expected)s; found %(found)s.")
            % {"expected": ", ".join(expected), "found": ", ".join(found) or "—"},
        )
        return None
    return expected


def _rows(ws, width: int):
    """(row number, values) of the data rows that are not empty."""
    for number, values in enumerate(
        ws.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True), start=FIRST_ROW
    ):
        if any(v is not None and str(v).strip() for v in values):
            yield number, values


@dataclass
class _Places:
    """Where each part of the ``sop`` object came from, to locate validation problems."""

    identity: dict[str, int]
    performers: list[int]
    steps: list[int]
    #: (the kind of SOP the workbook says it is, or "", and its row)
    purpose: tuple[str, int] = ("", 0)


def _open_workbook(fileobj: IO[bytes]) -> Workbook:
    """The workbook in ``fileobj``, opened safely: at most ``MAX_UPLOAD`` bytes, its zip
    directory within the upload limits before openpyxl inflates a member (zipfile never
    inflates a member past its declared size, so this bounds the parse), and the XML parsed
    by defusedxml (openpyxl uses it when installed: no entity expansion, no external
    entities). The web door runs the same checks (``permits.uploads.validate_upload``); the
    parse itself runs in the worker (``workflows.workbook_import``)."""
    from permits.filescan.archives import inspect_zip  # workflows does not import permits at load

    not_a_workbook = InvalidWorkbook(
        [WorkbookProblem("", "", _("This is not an Excel workbook (.xlsx)."))]
    )
    content = fileobj.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise InvalidWorkbook([WorkbookProblem("", "", _("The file is larger than 5 MB."))])
    try:
        verdict = inspect_zip(io.BytesIO(content), len(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise not_a_workbook from None
    if verdict.problem:
        raise InvalidWorkbook(
            [
                WorkbookProblem(
                    "",
                    "",
                    _(
                        "The workbook unpacks to far more than a real SOP workbook does, so "
                        "it was not opened. Download the template again and fill that in."
                    ),
                )
            ]
        )
    try:
        if _declares_a_dtd(content):
            raise not_a_workbook
        return load_workbook(io.BytesIO(content), data_only=True, read_only=False)
    except SoftTimeLimitExceeded:
        raise  # the worker's time limit: reported as too slow (``workflows.workbook_import``)
    except Exception:  # noqa: BLE001
        # A hostile or broken file can make the third-party parser raise almost anything
        # (KeyError, TypeError, XML and defusedxml errors, …): each is "not a workbook", a
        # message for the uploader, never a server error.
        raise not_a_workbook from None


def _declares_a_dtd(content: bytes) -> bool:
    """Whether an XML part of the workbook starts with a document type declaration: Office
    never writes one, and it is where entity bombs and external entities live (ECMA-376 Part 2,
    8.1.4 forbids DTDs in package parts). defusedxml would refuse them too; lxml, which
    openpyxl also uses, would only leave them unexpanded."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for entry in archive.infolist():
            if entry.filename.endswith((".xml", ".rels", ".vml")):
                with archive.open(entry) as part:
                    if b"<!DOCTYPE" in part.read(4096).upper():
                        return True
    return False


def read_workbook(fileobj: IO[bytes]) -> tuple[dict, "_Places"]:
    """The ``sop`` object written in a workbook (not yet validated against the format), and
    where its parts are. Raises :class:`InvalidWorkbook` when it cannot be read."""
    r = _Reader()
    wb = _open_workbook(fileobj)
    missing = [name for name in (IDENTITY, PERFORMERS, STEPS) if name not in wb.sheetnames]
    if missing:
        raise InvalidWorkbook(
            [
                WorkbookProblem(
                    name, "", _("The workbook has no sheet named %(name)s.") % {"name": name}
                )
                for name in missing
            ]
        )

    data: dict[str, Any] = {}
    places = _Places({}, [], [])
    ws = wb[IDENTITY]
    approved: dict[str, str] = {}
    for number, values in _rows_identity(ws):
        key, value = r.text_cell(values[0]), values[2] if len(values) > 2 else None
        if key == PURPOSE_KEY:
            purpose = r.text_cell(value)
            if purpose and purpose not in PURPOSE_VALUES:
                message = _("The kind of SOP must be one of %(values)s.")
                r.add(IDENTITY, f"C{number}", message % {"values": ", ".join(PURPOSE_VALUES)})
            places.purpose = (purpose, number)
            continue
        if key not in IDENTITY_KEYS:
            r.add(IDENTITY, f"A{number}", _("Unknown field key %(key)s.") % {"key": key})
            continue
        if key in places.identity:
            r.add(IDENTITY, f"A{number}", _("Field %(key)s is given twice.") % {"key": key})
            continue
        places.identity[key] = number
        text = r.text_cell(value)
        if key.startswith("approved_by."):
            approved[key.split(".", 1)[1]] = text
        elif key in SOP_LIST_KEYS:
            data[key] = _lines(text)
        elif key in SOP_DATE_KEYS:
            data[key] = text or None
        else:
            data[key] = text
    data["approved_by"] = {k: approved.get(k, "") for k in ("position", "name", "nip")}

    performers: list[dict] = []
    ws = wb[PERFORMERS]
    columns = _headers_ok(r, ws, PERFORMERS, PERFORMER_COLUMNS, LEGACY_PERFORMER_COLUMNS)
    if columns:
        for number, values in _rows(ws, len(columns)):
            row = dict(zip(columns, (r.text_cell(v) for v in values), strict=True))
            row["agency"] = row["agency"] or None
            if not row.get("short"):
                row.pop("short", None)  # optional in the format: absent when empty
            performers.append(row)
            places.performers.append(number)
    data["performers"] = performers

    steps: list[dict] = []
    ws = wb[STEPS]
    columns = _headers_ok(r, ws, STEPS, STEP_COLUMNS, LEGACY_STEP_COLUMNS)
    if columns:
        for number, values in _rows(ws, len(columns)):
            cells = dict(zip(columns, values, strict=True))
            steps.append(_step_row(r, number, {"also": None, **cells}))
            places.steps.append(number)
    data["steps"] = steps
    if r.problems:
        raise InvalidWorkbook(r.problems)
    return data, places


def _rows_identity(ws):
    for number, values in enumerate(ws.iter_rows(min_row=2, max_col=3, values_only=True), 2):
        if any(v is not None and str(v).strip() for v in values):
            yield number, values


def _step_row(r: _Reader, number: int, cells: dict) -> dict:
    col = {key: get_column_letter(i) for i, key in enumerate(STEP_COLUMNS, start=1)}
    step: dict[str, Any] = {}
    for key in STEP_COLUMNS:
        value = cells[key]
        if key in INT_COLUMNS:
            step[key] = r.int_cell(value, STEPS, f"{col[key]}{number}")
        elif key in LIST_COLUMNS:
            step[key] = _lines(r.text_cell(value))
        else:
            step[key] = r.text_cell(value)
    if len(step["output"]) == 1:
        step["output"] = step["output"][0]
    value, unit = step.pop("duration_value"), step.pop("duration_unit")
    step["duration"] = {"value": value, "unit": unit} if value is not None or unit else None
    step["action"] = step["action"] or None
    also = step.pop("also")
    if also:  # the format lists every performer of a shared step, the task's first
        step["performer"] = [step["performer"], *also]
    for key in ("next", "on_yes", "on_no"):
        if step[key] is None:
            del step[key]
    return step


PATH = re.compile(r"^sop\.(steps|performers)\[(\d+)\](?:\.([a-z_]+))?(?:\.([a-z_]+))?")


def locate(problem, places: _Places) -> WorkbookProblem:
    """Turn a validation Problem (JSON path, step number) into a sheet/cell location."""
    match = PATH.match(problem.path)
    if match:
        part, index, key, sub = match.group(1), int(match.group(2)), match.group(3), match.group(4)
        if part == "steps" and index < len(places.steps):
            row = places.steps[index]
            column = f"{key}_{sub}" if key == "duration" and sub else key
            if column == "duration":
                column = "duration_value"
            if column in STEP_COLUMNS:
                return WorkbookProblem(
                    STEPS,
                    f"{get_column_letter(STEP_COLUMNS.index(column) + 1)}{row}",
                    problem.message,
                )
            return WorkbookProblem(STEPS, str(row), problem.message)
        if part == "performers" and index < len(places.performers):
            row = places.performers[index]
            if key in PERFORMER_COLUMNS:
                return WorkbookProblem(
                    PERFORMERS,
                    f"{get_column_letter(PERFORMER_COLUMNS.index(key) + 1)}{row}",
                    problem.message,
                )
            return WorkbookProblem(PERFORMERS, str(row), problem.message)
    if problem.path in ("sop.steps",):
        return WorkbookProblem(STEPS, "", problem.message)
    if problem.path in ("sop.performers",):
        return WorkbookProblem(PERFORMERS, "", problem.message)
    key = re.sub(r"\[\d+\]$", "", problem.path.removeprefix("sop."))
    if key in places.identity:
        return WorkbookProblem(IDENTITY, f"C{places.identity[key]}", problem.message)
    return WorkbookProblem(IDENTITY, "", str(problem))


def _technical_agencies(sop: Sop) -> list[str]:
    """The technical agencies of the service of ``sop`` (its main, renewal or amendment SOP)."""
    service, _purpose = service_and_purpose(sop)
    if service is None:
        return []
    return sorted(service.technical_agencies.values_list("code", flat=True))


def sop_from_workbook(fileobj: IO[bytes], sop: Sop) -> dict:
    """The validated ``sop`` object of a workbook; :class:`InvalidWorkbook` lists every problem
    (unreadable file, missing sheet, wrong headers, bad cells, a workbook of another kind of
    SOP than ``sop``, and the format's rules)."""
    data, places = read_workbook(fileobj)
    wrong_kind = []
    given, row = places.purpose
    expected = service_and_purpose(sop)[1]
    if given and given != expected:
        message = _(
            "This workbook is written for the %(given)s SOP of the service, not its %(expected)s "
            "SOP: upload it to that SOP, or correct the kind."
        )
        wrong_kind.append(
            WorkbookProblem(IDENTITY, f"C{row}", message % {"given": given, "expected": expected})
        )
    problems = validate_sop(
        data,
        technical_agencies=_technical_agencies(sop),
        known_agencies=set(Agency.objects.values_list("code", flat=True)),
    )
    if problems or wrong_kind:
        raise InvalidWorkbook(wrong_kind + [locate(p, places) for p in problems])
    return data


def import_workbook(fileobj: IO[bytes], sop: Sop, *, by=None) -> SopVersion:
    """A new draft of ``sop`` from a filled-in workbook; nothing is written when it is refused.
    Raises :class:`workflows.versions.OpenDraftExists` while another version is open."""
    data = sop_from_workbook(fileobj, sop)
    open_version = sop.versions.filter(status__in=OPEN_STATUSES).first()
    if open_version is not None:
        raise OpenDraftExists(open_version)
    return create_version_from_dict(
        sop, data, actor=by, audit_action="workflows.sop_version.uploaded"
    )
