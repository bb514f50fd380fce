"""Flowcharts to measure without a database: every demo SOP (read from the seed files) and
generated stress SOPs (many performers with long titles, 46 steps, a 300-character activity,
a decision looping back 10 steps, steps of two performers)."""

from __future__ import annotations

import json

from permits.seed.catalogue import seed_files
from workflows.durations import Duration
from workflows.flowchart import FlowPerformer, FlowStep
from workflows.validation import resolved_next


def _as_tuple(value) -> tuple[str, ...]:
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def from_document(sop: dict) -> tuple[list[FlowPerformer], list[FlowStep]]:
    """Performers and steps of an ``sop`` object of the interchange format."""
    performers = [
        FlowPerformer(p["key"], p["title"], p.get("short") or "") for p in sop["performers"]
    ]
    steps = []
    for s in sop["steps"]:
        keys = s["performer"] if isinstance(s["performer"], list) else [s["performer"]]
        d = s.get("duration")
        steps.append(
            FlowStep(
                no=s["no"],
                symbol=s["symbol"],
                performer=keys[0],
                also=tuple(keys[1:]),
                activity=s["activity"],
                next_no=resolved_next(s),
                yes_no=s.get("on_yes"),
                no_no=s.get("on_no"),
                requirements=_as_tuple(s.get("requirements")),
                time=str(Duration(d["value"], d["unit"])) if d else "",
                output=_as_tuple(s.get("output")),
                notes=s.get("notes") or "",
            )
        )
    return performers, steps


def demo() -> dict[str, tuple[list[FlowPerformer], list[FlowStep]]]:
    """Every demo SOP by its service code."""
    out = {}
    for path in seed_files():
        doc = json.loads(path.read_text())
        out[doc["service"]["code"]] = from_document(doc["sop"])
    return out


LONG_TITLES = [
    ("Pemohon", ""),
    ("Petugas Front Office Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "FO"),
    ("Petugas Back Office Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "BO"),
    ("Tim Teknis Dinas Lingkungan Hidup dan Kehutanan Provinsi Sulawesi Tenggara", "Tim Teknis"),
    ("Kepala Seksi Pelayanan Perizinan Berusaha Sektor Ekonomi", "Kasi"),
    ("Kepala Bidang Pelayanan Perizinan dan Nonperizinan", "Kabid"),
    ("Sekretaris Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Sekdis"),
    ("Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Kadis"),
    ("Bendahara Penerimaan Pembantu", "Bendahara"),
    ("Petugas Pengaduan dan Pelaporan", "Pengaduan"),
]


def stress(performers: int = 10, steps: int = 46) -> tuple[list[FlowPerformer], list[FlowStep]]:
    """Many performers with long titles (short labels given), ``steps`` steps with a completeness
    check looping back, a decision looping back 10 steps, a 300-character activity, two-performer
    steps and a decision whose two branches end in a hand-over."""
    people = [
        FlowPerformer(f"p{i}", t, short) for i, (t, short) in enumerate(LONG_TITLES[:performers])
    ]
    out = [FlowStep(1, "terminator", "p0", "Mengajukan permohonan", next_no=2, time="15 menit")]
    out.append(FlowStep(2, "decision", "p1", "Memeriksa kelengkapan berkas", yes_no=3, no_no=1))
    for no in range(3, steps - 2):
        performer = f"p{1 + no % (performers - 1)}"
        activity = f"Langkah {no}: memproses berkas"
        if no == 5:
            activity = ("Memeriksa " + "dokumen persyaratan teknis dan administrasi " * 8)[:300]
        if no % 7 == 0:
            out.append(
                FlowStep(
                    no,
                    "process",
                    "p0",
                    activity,
                    next_no=no + 1,
                    also=(performer,),
                    time="1 jam",
                    notes="Pemohon hadir bersama petugas",
                )
            )
        elif no == 20:
            out.append(FlowStep(no, "decision", performer, "Memeriksa hasil", yes_no=21, no_no=10))
        elif no == 30:
            out.append(
                FlowStep(no, "decision", performer, "Memutuskan", yes_no=31, no_no=steps - 2)
            )
        elif no == steps - 3:
            out.append(
                FlowStep(no, "process", performer, activity, next_no=steps - 1, time="1 hari kerja")
            )
        else:
            out.append(
                FlowStep(no, "process", performer, activity, next_no=no + 1, time="1 hari kerja")
            )
    out.append(
        FlowStep(
            steps - 2,
            "process",
            f"p{performers - 1}",
            "Menandatangani penolakan",
            next_no=steps - 1,
        )
    )
    out.append(
        FlowStep(steps - 1, "process", "p1", "Menyerahkan dokumen", next_no=steps, also=("p0",))
    )
    out.append(FlowStep(steps, "terminator", "p0", "Menerima dokumen"))
    return people, out


def stress_cases() -> dict[str, tuple[list[FlowPerformer], list[FlowStep]]]:
    return {
        "10-performers-46-steps": stress(10, 46),
        "8-performers-20-steps": stress(8, 20 + 12),
        "9-performers-short": stress(9, 34),
    }
