"""The whole ``sop-portal/1`` document: service rules, import (all or nothing), export and the
round trip."""

import json

import pytest
from django.utils import translation

from permits.interchange import (
    FORMAT,
    InvalidDocument,
    export_document,
    export_service,
    import_document,
    load_document,
    validate_document,
)
from permits.models import Requirement, Service
from sop_portal.models import AuditEntry
from tests.data import valid_document
from tests.factories import AgencyFactory
from workflows.models import Sop, SopStep, SopVersion


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def agencies(dpmptsp, dishub):
    return [dpmptsp, dishub]


def counts() -> dict[str, int]:
    return {
        "services": Service.objects.count(),
        "requirements": Requirement.objects.count(),
        "sops": Sop.objects.count(),
        "versions": SopVersion.objects.count(),
        "steps": SopStep.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def refused(doc) -> list:
    with pytest.raises(InvalidDocument) as exc:
        import_document(doc)
    return exc.value.problems


def _service(**changes):
    def change(doc):
        for key, value in changes.items():
            if value is _DELETE:
                doc["service"].pop(key)
            else:
                doc["service"][key] = value

    return change


def _requirement(i, **changes):
    def change(doc):
        doc["service"]["requirements"][i].update(changes)

    return change


_DELETE = object()

# (id, change, expected path, expected step, words of the message)
CASES = [
    ("format-missing", lambda d: d.pop("format"), "format", None, "required"),
    ("format-unknown", lambda d: d.update(format="sop-portal/2"), "format", None, "Unknown format"),
    ("unknown-top-key", lambda d: d.update(comment="hi"), "comment", None, "Unknown key"),
    ("service-missing", lambda d: d.pop("service"), "service", None, "required"),
    ("sop-missing", lambda d: d.pop("sop"), "sop", None, "required"),
    ("service-not-object", lambda d: d.update(service=["DISHUB-ASK"]), "service", None, "object"),
    ("service-unknown-key", _service(colour="red"), "service.colour", None, "Unknown key"),
    ("code-missing", _service(code=_DELETE), "service.code", None, "required"),
    ("code-lowercase", _service(code="dishub-ask"), "service.code", None, "capital letters"),
    ("code-number", _service(code=12), "service.code", None, "capital letters"),
    ("name-null", _service(name=None), "service.name", None, "null"),
    ("kind-missing", _service(kind=_DELETE), "service.kind", None, "required"),
    ("kind-unknown", _service(kind="licence"), "service.kind", None, "Unknown value"),
    ("sector-list", _service(sector=["Perhubungan"]), "service.sector", None, "text"),
    (
        "technical-agencies-string",
        _service(technical_agencies="DISHUB"),
        "service.technical_agencies",
        None,
        "list",
    ),
    (
        "technical-agency-unknown",
        _service(technical_agencies=["DISHUBX"]),
        "service.technical_agencies[0]",
        None,
        "Unknown agency",
    ),
    (
        "technical-agency-twice",
        _service(technical_agencies=["DISHUB", "DISHUB"]),
        "service.technical_agencies[1]",
        None,
        "more than once",
    ),
    (
        "technical-without-agencies",
        _service(technical_agencies=[]),
        "sop.performers[2].agency",
        None,
        "*technical*",
    ),
    (
        "requirements-object",
        _service(requirements={"ktp": "KTP"}),
        "service.requirements",
        None,
        "list",
    ),
    (
        "requirement-code-twice",
        _requirement(1, code="ktp"),
        "service.requirements[1].code",
        None,
        "more than once",
    ),
    (
        "requirement-code-invalid",
        _requirement(0, code="k t p"),
        "service.requirements[0].code",
        None,
        "letters",
    ),
    (
        "requirement-name-missing",
        lambda d: d["service"]["requirements"][0].pop("name"),
        "service.requirements[0].name",
        None,
        "required",
    ),
    (
        "requirement-unknown-key",
        _requirement(0, size=5),
        "service.requirements[0].size",
        None,
        "Unknown key",
    ),
    (
        "requirement-mandatory-text",
        _requirement(0, mandatory="yes"),
        "service.requirements[0].mandatory",
        None,
        "true or false",
    ),
    (
        "formats-string",
        _requirement(0, formats="pdf"),
        "service.requirements[0].formats",
        None,
        "list of file extensions",
    ),
    (
        "format-uppercase",
        _requirement(0, formats=["PDF"]),
        "service.requirements[0].formats[0]",
        None,
        "lower case",
    ),
    (
        "format-with-dot",
        _requirement(0, formats=[".pdf"]),
        "service.requirements[0].formats[0]",
        None,
        "lower case",
    ),
    (
        "format-twice",
        _requirement(0, formats=["pdf", "pdf"]),
        "service.requirements[0].formats[1]",
        None,
        "more than once",
    ),
    (
        "service-time-unit",
        _service(service_time={"value": 10, "unit": "months"}),
        "service.service_time.unit",
        None,
        "Unknown value",
    ),
    (
        "service-time-zero",
        _service(service_time={"value": 0, "unit": "days"}),
        "service.service_time.value",
        None,
        "positive",
    ),
    (
        "service-time-string",
        _service(service_time={"value": "10", "unit": "days"}),
        "service.service_time.value",
        None,
        "whole number",
    ),
    (
        "fee-negative",
        _service(fee={"amount": -1, "currency": "IDR"}),
        "service.fee.amount",
        None,
        "negative",
    ),
    (
        "fee-string",
        _service(fee={"amount": "50000", "currency": "IDR"}),
        "service.fee.amount",
        None,
        "whole number",
    ),
    (
        "fee-fraction",
        _service(fee={"amount": 1000.5, "currency": "IDR"}),
        "service.fee.amount",
        None,
        "whole number",
    ),
    (
        "fee-without-amount",
        _service(fee={"currency": "IDR"}),
        "service.fee.amount",
        None,
        "required",
    ),
    (
        "fee-currency",
        _service(fee={"amount": 0, "currency": "rupiah"}),
        "service.fee.currency",
        None,
        "three capital letters",
    ),
    ("legal-basis-string", _service(legal_basis="UU 22/2009"), "service.legal_basis", None, "list"),
    (
        "standard-unknown-key",
        lambda d: d["service"]["standard"].update(requirements="KTP"),
        "service.standard.requirements",
        None,
        "Unknown key",
    ),
    (
        "standard-not-text",
        lambda d: d["service"]["standard"].update(complaints=["a"]),
        "service.standard.complaints",
        None,
        "text",
    ),
    (
        "step-rule-through-document",
        lambda d: d["sop"]["steps"][3].update(on_no=5),
        "sop.steps[3].on_no",
        4,
        "different",
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "step", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_it_refuses_each_broken_document_rule_and_writes_nothing(
    agencies, change, path, step, words
):
    doc = valid_document()
    change(doc)
    before = counts()
    problems = refused(doc)
    matching = [p for p in problems if p.path == path and p.step == step]
    assert matching, f"no problem at {path} (step {step}) in {[str(p) for p in problems]}"
    assert any(words in p.message for p in matching), [p.message for p in matching]
    assert counts() == before


@pytest.mark.parametrize("value", [[], [1, 2], "sop", 3, None, True])
def test_it_refuses_a_document_that_is_not_an_object(agencies, value):
    problems = refused(value)
    assert [p.path for p in problems] == [""]
    assert "JSON object" in problems[0].message


def test_it_accepts_the_valid_example(agencies):
    assert validate_document(valid_document()) == []


def test_it_lists_every_problem_of_a_refused_document(agencies):
    doc = valid_document()
    doc["format"] = "sop/1"
    doc["service"]["kind"] = "izin"
    doc["service"]["fee"]["amount"] = -5
    doc["sop"]["steps"][0]["duration"]["unit"] = "jam"
    doc["sop"]["steps"][2]["next"] = 40
    problems = refused(doc)
    assert {(p.path, p.step) for p in problems} >= {
        ("format", None),
        ("service.kind", None),
        ("service.fee.amount", None),
        ("sop.steps[0].duration.unit", 1),
        ("sop.steps[2].next", 3),
    }
    assert "sop.steps[2].next (step 3): Step 40 does not exist" in str(InvalidDocument(problems))


def test_it_refuses_an_unknown_agency_code_even_if_it_looks_right(dpmptsp):
    problems = refused(valid_document())  # DISHUB is not in this portal
    assert ("service.technical_agencies[0]", None) in {(p.path, p.step) for p in problems}


# --- parsing ----------------------------------------------------------------------------------


def test_it_reports_bad_json_with_line_and_column():
    with pytest.raises(InvalidDocument) as exc:
        load_document('{\n  "format": "sop-portal/1",\n  "service": {,}\n}')
    (problem,) = exc.value.problems
    assert "line 3, column 15" in problem.message


def test_it_reads_utf8_bytes_with_a_byte_order_mark():
    raw = "\ufeff" + json.dumps({"format": FORMAT, "name": "Pelayanan ü"}, ensure_ascii=False)
    assert load_document(raw.encode("utf-8"))["name"] == "Pelayanan ü"


def test_it_refuses_bytes_that_are_not_utf8():
    with pytest.raises(InvalidDocument) as exc:
        load_document(b'{"name": "\xff"}')
    assert "UTF-8" in exc.value.problems[0].message


# --- import -----------------------------------------------------------------------------------


def test_it_creates_the_service_its_sop_and_a_draft_version(agencies, eko):
    version = import_document(valid_document(), actor=eko)
    service = Service.objects.get(code="DISHUB-ASK")
    assert service.sop == version.sop
    assert (version.version, version.status) == (1, SopVersion.Status.DRAFT)
    assert version.created_by == eko
    assert list(service.technical_agencies.values_list("code", flat=True)) == ["DISHUB"]
    assert list(service.requirements.values_list("code", flat=True)) == [
        "ktp",
        "nib",
        "daftar-kendaraan",
        "pool",
    ]
    assert service.service_time.as_dict() == {"value": 9, "unit": "days"}
    assert service.standard_complaints.startswith("Pengaduan melalui loket")
    opd = version.performers.get(key="opd")
    assert opd.for_technical and opd.agency is None
    assert version.steps.get(no=2).no_no == 1  # the loop back to the applicant
    actions = set(AuditEntry.objects.values_list("action", "actor__email"))
    assert ("permits.service.created", "eko@dpmptsp.go.id") in actions
    assert ("workflows.sop_version.imported", "eko@dpmptsp.go.id") in actions


def test_it_adds_version_n_plus_1_and_updates_the_service_when_it_exists(agencies):
    first = import_document(valid_document())
    doc = valid_document()
    doc["service"]["name"] = "Izin Angkutan Sewa Khusus (baru)"
    doc["service"]["requirements"] = [
        {"code": "nib", "name": "NIB", "mandatory": True, "formats": ["pdf"]},
        {"code": "npwp", "name": "NPWP", "mandatory": False, "formats": ["pdf"]},
    ]
    kept = Requirement.objects.get(code="nib").pk
    second = import_document(doc)
    service = Service.objects.get(code="DISHUB-ASK")
    assert (second.sop_id, second.version) == (first.sop_id, 2)
    assert service.name == "Izin Angkutan Sewa Khusus (baru)"
    assert list(service.requirements.values_list("code", "position")) == [
        ("nib", 1),
        ("npwp", 2),
    ]
    assert Requirement.objects.get(code="nib").pk == kept
    update = AuditEntry.objects.get(action="permits.service.updated")
    assert update.before["name"] == "Izin Penyelenggaraan Angkutan Sewa Khusus"
    assert update.after["name"] == "Izin Angkutan Sewa Khusus (baru)"


def test_publishing_on_import_supersedes_the_published_version(agencies):
    first = import_document(valid_document(), publish=True)
    second = import_document(valid_document(), publish=True)
    first.refresh_from_db()
    assert first.status == SopVersion.Status.SUPERSEDED
    assert first.superseded_at is not None
    assert second.status == SopVersion.Status.PUBLISHED
    assert second.sop.published_version == second
    assert AuditEntry.objects.filter(action="workflows.sop_version.published").count() == 2
    assert AuditEntry.objects.filter(action="workflows.sop_version.superseded").count() == 1


def test_a_refused_document_leaves_an_existing_service_untouched(agencies):
    import_document(valid_document(), publish=True)
    before = counts()
    doc = valid_document()
    doc["service"]["name"] = "Nama lain"
    doc["sop"]["steps"][6]["next"] = 1
    refused(doc)
    assert counts() == before
    assert Service.objects.get().name == "Izin Penyelenggaraan Angkutan Sewa Khusus"


def test_a_failure_late_in_the_import_writes_nothing(agencies, monkeypatch):
    def broken_publish(version, *, by=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr("workflows.versions.publish", broken_publish)
    before = counts()
    with pytest.raises(RuntimeError):
        import_document(valid_document(), publish=True)
    assert counts() == before


# --- export and round trip --------------------------------------------------------------------


def test_it_exports_what_it_imported_unchanged(agencies):
    version = import_document(valid_document())
    assert export_document(version) == valid_document()


def test_export_import_export_gives_an_equal_document(agencies):
    first = export_document(import_document(valid_document(), publish=True))
    again = export_document(import_document(json.loads(json.dumps(first))))
    assert again == first


def test_it_exports_a_minimal_document_in_normal_form(agencies):
    doc = {
        "format": FORMAT,
        "service": {"code": "DISHUB-MIN", "name": "Layanan singkat", "kind": "non_permit"},
        "sop": {
            "name": "Pelayanan singkat",
            "performers": [
                {"key": "applicant", "title": "Pemohon", "role": "applicant"},
                {"key": "fo", "title": "Petugas", "role": "front_office", "agency": "DPMPTSP"},
            ],
            "steps": [
                {
                    "no": 1,
                    "symbol": "terminator",
                    "activity": "Mengajukan",
                    "performer": "applicant",
                },
                {
                    "no": 2,
                    "symbol": "process",
                    "activity": "Memproses",
                    "performer": "fo",
                    "output": ["Tanda terima"],
                },
                {
                    "no": 3,
                    "symbol": "terminator",
                    "activity": "Menyerahkan",
                    "performer": "fo",
                    "output": ["Surat", "Salinan"],
                },
            ],
        },
    }
    exported = export_document(import_document(doc))
    assert exported["service"]["technical_agencies"] == []
    assert exported["service"]["requirements"] == []
    assert exported["service"]["fee"] == {"amount": 0, "currency": "IDR", "basis": ""}
    assert exported["service"]["service_time"] is None
    assert set(exported["service"]["standard"]) == {
        "procedure", "complaints", "facilities", "competence", "supervision",
        "staffing", "guarantee", "security", "evaluation",
    }  # fmt: skip
    assert exported["sop"]["made_on"] is None
    assert exported["sop"]["legal_basis"] == []
    steps = exported["sop"]["steps"]
    assert [s.get("next") for s in steps] == [2, 3, None]  # default next made explicit
    assert [s["output"] for s in steps] == [[], "Tanda terima", ["Surat", "Salinan"]]
    assert steps[0]["action"] is None and steps[0]["duration"] is None
    assert export_document(import_document(exported)) == exported


def test_it_exports_technical_agencies_sorted(agencies):
    AgencyFactory(code="DINKES")
    doc = valid_document()
    doc["service"]["technical_agencies"] = ["DISHUB", "DINKES"]
    assert export_document(import_document(doc))["service"]["technical_agencies"] == [
        "DINKES",
        "DISHUB",
    ]


def test_export_service_gives_the_newest_version_unless_told(agencies):
    import_document(valid_document(), publish=True)
    doc = valid_document()
    doc["sop"]["number"] = "SOP/DPMPTSP/PB/12/2026"
    import_document(doc)
    assert export_service("DISHUB-ASK")["sop"]["number"] == "SOP/DPMPTSP/PB/12/2026"
    assert export_service("DISHUB-ASK", 1)["sop"]["number"] == "SOP/DPMPTSP/PB/11/2026"
    with pytest.raises(SopVersion.DoesNotExist):
        export_service("DISHUB-ASK", 3)
    with pytest.raises(Service.DoesNotExist):
        export_service("DISHUB-NOPE")
