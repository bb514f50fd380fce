"""Playwright journeys run in Debian's Chromium (no `playwright install`) against Django's live
server, with a small catalogue of services as the public would see it."""

import os

import pytest

from permits.models import ServiceKind

from ..factories import AgencyFactory, RequirementFactory, ServiceFactory, build_sop_version

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (fixtures) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A visitor in Kendari: the browser asks for Indonesian, as most of the portal's public does.
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Makassar"}


SERVICES = [
    # code, name, kind, sector, agency codes, fee
    (
        "DISHUB-AKDP",
        "Izin Penyelenggaraan Angkutan Antar Kota Dalam Provinsi (AKDP)",
        ServiceKind.PERMIT,
        "Perhubungan",
        ["DISHUB"],
        0,
    ),
    (
        "DISHUB-REK-TRAYEK",
        "Rekomendasi Penetapan Trayek Angkutan Pedesaan",
        ServiceKind.NON_PERMIT,
        "Perhubungan",
        ["DISHUB"],
        0,
    ),
    (
        "DINKES-RS-B",
        "Izin Operasional Rumah Sakit Kelas B",
        ServiceKind.PERMIT,
        "Kesehatan",
        ["DINKES"],
        0,
    ),
    (
        "DINKES-REK-RS",
        "Rekomendasi Izin Mendirikan Rumah Sakit",
        ServiceKind.NON_PERMIT,
        "Kesehatan",
        ["DINKES"],
        0,
    ),
    (
        "ESDM-SIPA",
        "Surat Izin Pengusahaan Air Tanah (SIPA)",
        ServiceKind.PERMIT,
        "Energi dan Sumber Daya Mineral",
        ["ESDM"],
        2500000,
    ),
    (
        "DISHUT-PBPHH",
        "Perizinan Berusaha Pengolahan Hasil Hutan (kapasitas s.d. 6.000 m3/tahun)",
        ServiceKind.PERMIT,
        "Kehutanan",
        ["DISHUT", "DLH"],
        0,
    ),
    (
        "DLH-PERTEK",
        "Persetujuan Teknis Pembuangan Air Limbah",
        ServiceKind.NON_PERMIT,
        "Lingkungan Hidup",
        ["DLH"],
        0,
    ),
    (
        "KESBANGPOL-PENELITIAN",
        "Surat Izin Penelitian",
        ServiceKind.NON_PERMIT,
        "Umum",
        ["KESBANGPOL"],
        0,
    ),
]

AGENCIES = {
    "DISHUB": "Dinas Perhubungan",
    "DINKES": "Dinas Kesehatan",
    "ESDM": "Dinas Energi dan Sumber Daya Mineral",
    "DISHUT": "Dinas Kehutanan",
    "DLH": "Dinas Lingkungan Hidup",
    "KESBANGPOL": "Badan Kesatuan Bangsa dan Politik",
}


@pytest.fixture
def public_catalogue(transactional_db):
    """Eight public services in six sectors, each with requirements and a published SOP."""
    agencies = {code: AgencyFactory(code=code, name=name) for code, name in AGENCIES.items()}
    services = {}
    for code, name, kind, sector, agency_codes, fee in SERVICES:
        service = ServiceFactory(
            code=code,
            name=name,
            kind=kind,
            sector=sector,
            fee_amount=fee,
            fee_basis="" if fee else "Tidak dipungut biaya",
            product=f"Keputusan {name}",
            legal_basis=[
                "UU 25/2009 tentang Pelayanan Publik",
                "PP 28/2025 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko",
            ],
        )
        service.technical_agencies.set([agencies[c] for c in agency_codes])
        RequirementFactory(service=service, name="KTP penanggung jawab", formats=["pdf", "jpg"])
        RequirementFactory(service=service, name="NIB (Nomor Induk Berusaha)", formats=["pdf"])
        RequirementFactory(
            service=service, name="Surat kuasa (jika dikuasakan)", formats=["pdf"], mandatory=False
        )
        build_sop_version(service)
        services[code] = service
    return services
