"""Fixtures of the document tests: SOP versions built from the models, and PDF text."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import ServiceFactory, build_sop_version, office
from workflows.models import PerformerRole, SopPerformer, SopStep, SopVersion, StepAction, Symbol


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, hyphenated words joined again."""
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    return [re.sub("\u2010\\s*", "", page) for page in pages]


@pytest.fixture
def akdp(dishub):
    service = ServiceFactory(code="DISHUB-AKDP", name="Izin Angkutan AKDP")
    service.technical_agencies.add(dishub)
    return service


@pytest.fixture
def small_sop(akdp):
    version = build_sop_version(akdp, publish=False)
    version.approved_by_position = "Kepala Dinas Penanaman Modal"
    version.approved_by_name = "Ir. Contoh Pejabat"
    version.approved_by_nip = "197001011990031001"
    version.made_on = timezone.datetime(2026, 1, 12).date()
    version.effective_on = timezone.datetime(2026, 2, 2).date()
    version.legal_basis = ["UU 25/2009 tentang Pelayanan Publik"]
    version.save()
    _publish(version)
    return version


def _publish(version: SopVersion) -> None:
    version.status = SopVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save()


def build_long_sop(service, steps: int = 14) -> SopVersion:
    """A published SOP of ``steps`` steps across three performers, with a completeness check at
    step 2 that loops back to step 1 and a decision near the end that jumps over a step."""
    from workflows.models import Sop

    sop = Sop.objects.create(code=service.code)
    service.sop = sop
    service.save(update_fields=["sop"])
    version = SopVersion.objects.create(sop=sop, version=1, name="Pelayanan Panjang", number="P/1")
    dpmptsp = office()
    performers = [
        SopPerformer.objects.create(
            version=version, position=1, key="app", title="Pemohon", role=PerformerRole.APPLICANT
        ),
        SopPerformer.objects.create(
            version=version,
            position=2,
            key="fo",
            title="Front Office",
            role=PerformerRole.FRONT_OFFICE,
            agency=dpmptsp,
        ),
        SopPerformer.objects.create(
            version=version,
            position=3,
            key="bo",
            title="Back Office",
            role=PerformerRole.BACK_OFFICE,
            agency=dpmptsp,
        ),
    ]
    for no in range(1, steps + 1):
        exits = {"next_no": no + 1}
        symbol = Symbol.PROCESS
        action = ""
        if no == 1:
            symbol = Symbol.TERMINATOR
        if no == 2:
            symbol, exits, action = Symbol.DECISION, {"yes_no": 3, "no_no": 1}, StepAction.CHECK
        if no == steps - 3:
            symbol, exits, action = (
                Symbol.DECISION,
                {"yes_no": no + 1, "no_no": no + 2},
                StepAction.DECIDE,
            )
        if no == steps - 2:
            exits = {"next_no": steps}
        if no == steps:
            symbol, exits = Symbol.TERMINATOR, {}
        SopStep.objects.create(
            version=version,
            no=no,
            symbol=symbol,
            activity=f"Kegiatan nomor {no} dilaksanakan",
            performer=performers[no % 3],
            duration_value=no,
            duration_unit="hours",
            output=[f"Keluaran {no}"],
            action=action,
            **exits,
        )
    _publish(version)
    return version
