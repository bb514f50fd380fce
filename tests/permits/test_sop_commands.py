"""``import_sop`` and ``export_sop``: exit codes, problems on stderr, JSON on stdout."""

import json
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import translation

from permits.interchange import import_document
from permits.models import Service
from tests.data import VALID_PATH, valid_document
from workflows.models import SopVersion


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def agencies(dpmptsp, dishub):
    return [dpmptsp, dishub]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, doc) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_import_sop_imports_a_file_as_a_draft(agencies):
    out, err = run("import_sop", str(VALID_PATH))
    assert out.strip() == f"{VALID_PATH}: DISHUB-ASK version 1 (draft)"
    assert err == ""
    assert Service.objects.get().sop.versions.get().status == SopVersion.Status.DRAFT


def test_import_sop_publishes_when_asked(agencies):
    run("import_sop", str(VALID_PATH), "--publish")
    out, _ = run("import_sop", str(VALID_PATH), "--publish")
    assert out.strip().endswith("DISHUB-ASK version 2 (published)")
    assert list(SopVersion.objects.order_by("version").values_list("status", flat=True)) == [
        "superseded",
        "published",
    ]


def test_import_sop_refuses_a_bad_file_whole_and_imports_the_good_ones(agencies, tmp_path):
    bad = valid_document()
    bad["service"]["code"] = "DISHUB-BAD"
    bad["sop"]["steps"][2]["next"] = 9
    bad["service"]["kind"] = "izin"
    bad_path = write(tmp_path, "bad.json", bad)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_sop", bad_path, str(VALID_PATH), stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert (
        f'{bad_path}: service.kind: Unknown value "izin"; use one of: permit, non_permit.' in lines
    )
    assert any(line.startswith(f"{bad_path}: sop.steps[2].next (step 3): Step 9") for line in lines)
    assert list(Service.objects.values_list("code", flat=True)) == ["DISHUB-ASK"]
    assert "DISHUB-ASK version 1 (draft)" in out.getvalue()


def test_import_sop_reports_bad_json_and_missing_files(agencies, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "sop-portal/1",', encoding="utf-8")
    missing = tmp_path / "missing.json"
    err = StringIO()
    with pytest.raises(CommandError, match="2 of 2 file"):
        call_command("import_sop", str(broken), str(missing), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"{broken}: Not valid JSON") and "line 1" in lines[0]
    assert lines[1].startswith(f"{missing}: cannot read the file")
    assert not Service.objects.exists()


def test_import_sop_exits_non_zero_from_the_command_line(agencies, tmp_path):
    missing = str(tmp_path / "missing.json")
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_sop", missing]).execute()
    assert exc.value.code != 0


def test_export_sop_writes_the_newest_version_as_json(agencies):
    run("import_sop", str(VALID_PATH), "--publish")
    doc = valid_document()
    doc["sop"]["name"] = "Pelayanan Izin Angkutan Sewa Khusus — revisi"
    import_document(doc)
    out, _ = run("export_sop", "DISHUB-ASK")
    assert json.loads(out)["sop"]["name"] == "Pelayanan Izin Angkutan Sewa Khusus — revisi"
    assert "Khusus — revisi" in out  # ensure_ascii=False: no \u escapes
    assert '\n  "format": "sop-portal/1"' in out  # indented by 2
    out, _ = run("export_sop", "DISHUB-ASK", "--version", "1")
    assert json.loads(out) == valid_document()


def test_export_sop_refuses_an_unknown_service_or_version(agencies):
    run("import_sop", str(VALID_PATH))
    with pytest.raises(CommandError, match="No service with code DISHUB-NOPE"):
        run("export_sop", "DISHUB-NOPE")
    with pytest.raises(CommandError, match="has no SOP version 7"):
        run("export_sop", "DISHUB-ASK", "--version", "7")
