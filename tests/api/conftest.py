"""Fixtures of the API tests: a client, a public service with its SOP, and a valid
``sop-portal/1`` document."""

import copy

import pytest
from django.db import connection
from rest_framework.test import APIClient

from agencies.models import Role
from tests.factories import MembershipFactory, RequirementFactory, ServiceFactory, build_sop_version
from tests.queries import AppQueries


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def admin_api(eko):
    client = APIClient()
    client.force_authenticate(eko)
    return client


@pytest.fixture
def fajar(dpmptsp):
    """An administrator through his membership only: neither staff nor superuser."""
    return MembershipFactory(
        user__email="fajar@dpmptsp.go.id",
        user__full_name="Fajar Admin",
        agency=dpmptsp,
        role=Role.ADMINISTRATOR,
    ).user


@pytest.fixture
def akdp(dishub, dpmptsp):
    """DISHUB-AKDP: public, two requirements, a published SOP (version 1)."""
    service = ServiceFactory(
        code="DISHUB-AKDP",
        name="Izin Penyelenggaraan Angkutan AKDP",
        sector="Perhubungan",
        fee_basis="Tidak dipungut biaya",
        standard_complaints="Loket pengaduan DPMPTSP",
    )
    service.technical_agencies.add(dishub)
    RequirementFactory(service=service, position=1, code="ktp", name="KTP penanggung jawab")
    RequirementFactory(
        service=service, position=2, code="stnk", name="STNK kendaraan", formats=["pdf", "jpg"]
    )
    build_sop_version(service)
    return service


def count_queries(client, url: str) -> int:
    with AppQueries(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


DOCUMENT = {
    "format": "sop-portal/1",
    "service": {
        "code": "DISHUB-TRAYEK",
        "name": "Izin Trayek Angkutan",
        "kind": "permit",
        "sector": "Perhubungan",
        "technical_agencies": ["DISHUB"],
        "requirements": [
            {"code": "ktp", "name": "KTP", "mandatory": True, "formats": ["pdf"]},
        ],
        "service_time": {"value": 10, "unit": "days"},
        "fee": {"amount": 0, "currency": "IDR", "basis": "Tidak dipungut biaya"},
        "product": "Keputusan Izin Trayek",
        "legal_basis": ["UU 22/2009 tentang Lalu Lintas dan Angkutan Jalan"],
        "standard": {"complaints": "Loket pengaduan"},
    },
    "sop": {
        "number": "SOP/DPMPTSP/PB/08/2026",
        "name": "Pelayanan Izin Trayek",
        "made_on": "2026-01-12",
        "revised_on": None,
        "effective_on": "2026-02-02",
        "approved_by": {"position": "Kepala DPMPTSP", "name": "Contoh Pejabat", "nip": "1970"},
        "legal_basis": ["UU 25/2009"],
        "related": [],
        "warnings": ["Pelayanan tidak dapat dipertanggungjawabkan"],
        "qualifications": [],
        "equipment": ["Komputer"],
        "records": ["Register permohonan"],
        "performers": [
            {"key": "applicant", "title": "Pemohon", "role": "applicant"},
            {
                "key": "fo",
                "title": "Petugas Front Office",
                "role": "front_office",
                "agency": "DPMPTSP",
            },
            {
                "key": "opd",
                "title": "Tim Teknis OPD",
                "role": "technical_officer",
                "agency": "*technical*",
            },
            {"key": "head", "title": "Kepala DPMPTSP", "role": "head", "agency": "DPMPTSP"},
        ],
        "steps": [
            {
                "no": 1,
                "symbol": "terminator",
                "activity": "Mengajukan permohonan",
                "performer": "applicant",
                "duration": {"value": 15, "unit": "minutes"},
                "output": "Berkas permohonan",
                "next": 2,
                "action": "submit",
            },
            {
                "no": 2,
                "symbol": "decision",
                "activity": "Memeriksa kelengkapan berkas",
                "performer": "fo",
                "requirements": ["Berkas permohonan"],
                "duration": {"value": 30, "unit": "minutes"},
                "output": "Berkas lengkap / tidak lengkap",
                "on_yes": 3,
                "on_no": 1,
                "action": "check",
            },
            {
                "no": 3,
                "symbol": "process",
                "activity": "Memberikan rekomendasi teknis",
                "performer": "opd",
                "duration": {"value": 5, "unit": "days"},
                "output": "Rekomendasi teknis",
                "next": 4,
                "action": "recommend",
            },
            {
                "no": 4,
                "symbol": "terminator",
                "activity": "Menandatangani keputusan izin",
                "performer": "head",
                "duration": {"value": 1, "unit": "days"},
                "output": "Keputusan izin",
                "notes": "Tanda tangan elektronik",
                "action": "issue_permit",
            },
        ],
    },
}


@pytest.fixture
def document(dishub, dpmptsp) -> dict:
    """A valid document for a new service, DISHUB-TRAYEK (its agencies exist)."""
    return copy.deepcopy(DOCUMENT)
