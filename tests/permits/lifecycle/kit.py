"""Shared set-up for the engine and lifecycle tests: the cast of people per role and agency,
two services (the seeded DISHUB-AKDP SOP and a two-agency SOP with payment), and shortcuts to
submit an application and find its open tasks."""

import io
from dataclasses import dataclass

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from agencies.models import Role
from agencies.seed import seed_agencies
from permits import lifecycle
from permits.interchange import import_document
from permits.models import Application, Service
from permits.seed.catalogue import SOPS_DIR, seed_services
from tests.factories import MembershipFactory, UserFactory
from workflows.models import Task


def minimal_pdf() -> bytes:
    """A one-page blank PDF, written by qpdf: passive, and readable by the upload check."""
    out = io.BytesIO()
    with pikepdf.new() as document:
        document.add_blank_page()
        document.save(out)
    return out.getvalue()


PDF = minimal_pdf()
#: What the front office records when it hands an issued document over (the handover step).
HANDOVER = {
    "collected_by": "Ani Pemohon",
    "relation": "self",
    "identity_type": "ktp",
    "identity_number": "7471010101900001",
}


def pdf(name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Cast:
    ani: User  # applicant
    bayu: User  # another applicant
    budi: User  # front office, DPMPTSP
    fajar: User  # back office, DPMPTSP
    citra: User  # technical officer, DISHUB
    cahya: User  # technical officer, DISHUB
    gita: User  # technical officer, DLH
    dewi: User  # head, DPMPTSP
    yusuf: User  # cashier, DPMPTSP
    eko: User  # administrator


def _staff(email: str, name: str, agency: str, role: str) -> User:
    from agencies.models import Agency

    return MembershipFactory(
        user__email=email,
        user__full_name=name,
        agency=Agency.objects.get(code=agency),
        role=role,
    ).user


@pytest.fixture
def cast(db) -> Cast:
    seed_agencies()
    eko = _staff("eko@dpmptsp.go.id", "Eko Administrator", "DPMPTSP", Role.ADMINISTRATOR)
    return Cast(
        ani=UserFactory(email="ani@contoh.id", full_name="Ani Pemohon"),
        bayu=UserFactory(email="bayu@contoh.id", full_name="Bayu Pemohon"),
        budi=_staff("budi@dpmptsp.go.id", "Budi Front Office", "DPMPTSP", Role.FRONT_OFFICE),
        fajar=_staff("fajar@dpmptsp.go.id", "Fajar Back Office", "DPMPTSP", Role.BACK_OFFICE),
        citra=_staff("citra@dishub.go.id", "Citra OPD", "DISHUB", Role.TECHNICAL_OFFICER),
        cahya=_staff("cahya@dishub.go.id", "Cahya OPD", "DISHUB", Role.TECHNICAL_OFFICER),
        gita=_staff("gita@dlh.go.id", "Gita OPD", "DLH", Role.TECHNICAL_OFFICER),
        dewi=_staff("dewi@dpmptsp.go.id", "Dewi Kepala", "DPMPTSP", Role.HEAD),
        yusuf=_staff("yusuf@dpmptsp.go.id", "Yusuf Kasir", "DPMPTSP", Role.CASHIER),
        eko=eko,
    )


@pytest.fixture
def akdp(cast) -> Service:
    """The seeded DISHUB-AKDP service: check, inspection and recommendation by DISHUB, decide,
    issue, handover."""
    seed_services([SOPS_DIR / "DISHUB-AKDP.json"])
    return Service.objects.get(code="DISHUB-AKDP")


def two_agency_document() -> dict:
    performers = [
        {"key": "applicant", "title": "Pemohon", "role": "applicant"},
        {"key": "fo", "title": "Front Office", "role": "front_office", "agency": "DPMPTSP"},
        {"key": "opd", "title": "Tim Teknis", "role": "technical_officer", "agency": "*technical*"},
        {"key": "bo", "title": "Back Office", "role": "back_office", "agency": "DPMPTSP"},
        {"key": "kasir", "title": "Kasir", "role": "cashier", "agency": "DPMPTSP"},
        {"key": "head", "title": "Kepala", "role": "head", "agency": "DPMPTSP"},
    ]

    def step(no, symbol, activity, performer, action=None, **exits):
        s = {"no": no, "symbol": symbol, "activity": activity, "performer": performer}
        if action:
            s["action"] = action
        s.update(exits)
        return s

    steps = [
        step(1, "terminator", "Mengajukan permohonan", "applicant", "submit", next=2),
        step(2, "decision", "Memeriksa kelengkapan", "fo", "check", on_yes=3, on_no=1),
        step(3, "process", "Memberikan rekomendasi teknis", "opd", "recommend", next=4),
        step(4, "decision", "Memutuskan permohonan", "bo", "decide", on_yes=5, on_no=7),
        step(5, "process", "Menerima pembayaran retribusi", "kasir", "pay", next=6),
        step(6, "process", "Menandatangani izin", "head", "issue_permit", next=8),
        step(7, "process", "Menandatangani surat penolakan", "head", "issue_rejection", next=8),
        step(8, "terminator", "Menyerahkan dokumen", "fo", "handover"),
    ]
    return {
        "format": "sop-portal/1",
        "service": {
            "code": "UJI-DUA-OPD",
            "name": "Izin Uji Dua OPD",
            "kind": "permit",
            "sector": "Perhubungan",
            "technical_agencies": ["DISHUB", "DLH"],
            "requirements": [
                {"code": "ktp", "name": "KTP", "mandatory": True, "formats": ["pdf"]},
                {"code": "denah", "name": "Denah lokasi", "mandatory": True, "formats": ["pdf"]},
                {"code": "foto", "name": "Foto lokasi", "mandatory": False, "formats": ["pdf"]},
            ],
            "service_time": {"value": 10, "unit": "days"},
            "fee": {"amount": 150000, "currency": "IDR", "basis": "Perda retribusi"},
        },
        "sop": {"name": "Pelayanan Izin Uji Dua OPD", "performers": performers, "steps": steps},
    }


@pytest.fixture
def two_opd(cast) -> Service:
    """A service whose recommendation goes to DISHUB and DLH in parallel, with a fee."""
    version = import_document(two_agency_document(), publish=True)
    return Service.objects.get(sop=version.sop)


def submitted(service: Service, applicant: User) -> Application:
    application = lifecycle.create_draft(service, applicant)
    for requirement in service.requirements.filter(mandatory=True):
        lifecycle.attach_document(
            application, applicant, requirement.code, pdf(f"{requirement.code}.pdf")
        )
    lifecycle.submit(application, applicant)
    return application


def open_tasks(application: Application, step_no: int | None = None) -> list[Task]:
    tasks = Task.objects.filter(application=application, status=Task.Status.OPEN).select_related(
        "agency", "step"
    )
    if step_no is not None:
        tasks = tasks.filter(step__no=step_no)
    return list(tasks.order_by("agency__code", "id"))


def the_task(application: Application, step_no: int, agency: str | None = None) -> Task:
    tasks = [
        t for t in open_tasks(application, step_no) if agency is None or t.agency.code == agency
    ]
    assert len(tasks) == 1, tasks
    return tasks[0]
