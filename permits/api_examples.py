"""Examples shown in the API documentation (OpenAPI) of the SOP documents endpoints."""

DOCUMENT_EXAMPLE = {
    "format": "sop-portal/1",
    "service": {
        "code": "DISHUB-AKDP",
        "name": "Izin Penyelenggaraan Angkutan Antar Kota Dalam Provinsi (AKDP)",
        "kind": "permit",
        "sector": "Perhubungan",
        "technical_agencies": ["DISHUB"],
        "requirements": [
            {"code": "ktp", "name": "KTP penanggung jawab", "mandatory": True, "formats": ["pdf"]}
        ],
        "service_time": {"value": 10, "unit": "days"},
        "fee": {"amount": 0, "currency": "IDR", "basis": "Tidak dipungut biaya"},
        "product": "Keputusan Izin Penyelenggaraan Angkutan AKDP",
        "legal_basis": ["UU 22/2009 tentang Lalu Lintas dan Angkutan Jalan"],
        "standard": {"complaints": "Loket pengaduan DPMPTSP; SP4N-LAPOR!"},
    },
    "sop": {
        "number": "SOP/DPMPTSP/PB/07/2026",
        "name": "Pelayanan Izin Penyelenggaraan Angkutan AKDP",
        "effective_on": "2026-02-02",
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
                "activity": "Mengajukan permohonan beserta persyaratan",
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
                "action": "issue_permit",
            },
        ],
    },
}

INVALID_EXAMPLE = {
    "detail": "The document was refused: 2 problems. Nothing was imported.",
    "problems": [
        {
            "path": "service.kind",
            "step": None,
            "message": 'Unknown value "licence"; use one of: permit, non_permit.',
        },
        {
            "path": "sop.steps[1].on_no",
            "step": 2,
            "message": "Step 9 does not exist (the SOP has 4 steps).",
        },
    ],
}
