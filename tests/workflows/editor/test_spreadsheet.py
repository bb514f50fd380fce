"""The XLSX template: version -> workbook -> upload gives the same SOP; bad workbooks are
refused with their sheet, cell and reason, and nothing is written."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from sop_portal.models import AuditEntry
from workflows import editor
from workflows.interchange import sop_to_dict
from workflows.models import SopVersion
from workflows.spreadsheet import InvalidWorkbook, import_workbook, workbook_bytes
from workflows.versions import OpenDraftExists, delete_draft


def _workbook(version=None):
    return load_workbook(io.BytesIO(workbook_bytes(version)))


def _upload(wb, sop, by=None) -> SopVersion:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return import_workbook(out, sop, by=by)


def _problems(wb, sop) -> list[str]:
    before = SopVersion.objects.count(), AuditEntry.objects.count()
    with pytest.raises(InvalidWorkbook) as exc:
        _upload(wb, sop)
    assert (SopVersion.objects.count(), AuditEntry.objects.count()) == before
    return [str(p) for p in exc.value.problems]


def test_the_template_has_the_three_sheets_with_header_rows_and_lists(published):
    wb = _workbook(published)
    assert wb.sheetnames[:3] == ["Identitas", "Pelaksana", "Langkah"]
    steps = wb["Langkah"]
    assert [c.value for c in steps[2]][:4] == ["no", "symbol", "activity", "performer"]
    assert steps["C4"].value == "Memeriksa kelengkapan berkas"
    validated = {str(dv.sqref).split(":")[0] for dv in steps.data_validations.dataValidation}
    assert validated == {"B3", "D3", "G3", "M3"}  # symbol, performer, unit, action
    assert wb["Pelaksana"]["A3"].value == "applicant"


def test_it_round_trips_a_version_through_the_workbook(published, eko):
    expected = sop_to_dict(published)  # every kind of exit: next, on_yes/on_no, none
    version = _upload(_workbook(published), published.sop, by=eko)
    assert (version.version, version.status) == (2, "draft")
    assert sop_to_dict(version) == expected
    assert AuditEntry.objects.get(action="workflows.sop_version.uploaded").actor == eko


def test_it_round_trips_lists_dates_and_several_outputs(draft):
    editor.update_identity(
        draft,
        {"made_on": datetime.date(2026, 1, 12), "legal_basis": "UU 25/2009\nPP 28/2025"},
    )
    editor.update_step(draft.steps.get(no=3), output="Rekomendasi\nBerita acara", notes="Catatan")
    expected = sop_to_dict(draft)
    wb = _workbook(draft)
    delete_draft(draft)
    assert sop_to_dict(_upload(wb, draft.sop)) == expected


def test_an_empty_template_filled_in_makes_a_draft(published):
    wb = _workbook()
    identity = wb["Identitas"]
    identity["C3"] = "Pelayanan Baru"  # row 3 is the name
    wb["Pelaksana"].append(["fo", "Petugas", "front_office", "DPMPTSP"])
    steps = wb["Langkah"]
    steps.append([1, "terminator", "Menerima berkas", "fo", None, 10, "minutes", "Berkas"])
    steps.append([2, "terminator", "Menyerahkan izin", "fo", "Izin", 1, "days"])
    version = _upload(wb, published.sop)
    data = sop_to_dict(version)
    assert data["name"] == "Pelayanan Baru"
    assert [(s["no"], s["activity"], s.get("next")) for s in data["steps"]] == [
        (
            1,
            "Menerima berkas",
            2,
        ),
        (2, "Menyerahkan izin", None),
    ]


def test_it_locates_the_formats_problems_in_the_sheets(published):
    wb = _workbook(published)
    wb["Langkah"]["L4"] = None  # step 2, a decision, loses its "no" exit
    wb["Langkah"]["F5"] = 0  # step 3: time norm 0
    wb["Pelaksana"]["D4"] = "NOPE"
    assert _problems(wb, published.sop) == [
        'Pelaksana!D4: Unknown agency code "NOPE": no such agency in the portal.',
        "Langkah!L4: A decision needs both on_yes and on_no.",
        "Langkah!F5: Must be a positive whole number.",
    ]


def test_it_refuses_bad_cells_and_wrong_headers(published):
    wb = _workbook(published)
    wb["Langkah"]["A4"] = "dua"
    wb["Pelaksana"]["B2"] = "judul"
    problems = _problems(wb, published.sop)
    assert problems[0].startswith("Pelaksana!2: Row 2 must hold the column keys key, title")
    assert problems[1] == "Langkah!A4: Must be a whole number."


def test_it_refuses_a_workbook_without_its_sheets_or_a_file_that_is_not_one(published):
    wb = _workbook(published)
    del wb["Langkah"]
    assert _problems(wb, published.sop) == ["Langkah: The workbook has no sheet named Langkah."]
    with pytest.raises(InvalidWorkbook) as exc:
        import_workbook(io.BytesIO(b"no,csv,here"), published.sop)
    assert exc.value.messages == ["This is not an Excel workbook (.xlsx)."]


def test_it_refuses_an_upload_while_a_draft_is_open(draft):
    with pytest.raises(OpenDraftExists):
        _upload(_workbook(draft), draft.sop)
