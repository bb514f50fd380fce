"""The signing benchmark: per document, the time to render a permit (WeasyPrint, the one
renderer) next to the time to sign it (PAdES with pyHanko: the local PKCS#12 backend, and the
remote backend against the local double of the signing service), in one process, no database.
Goal: signing adds under 20% to rendering.

Run: ``.venv/bin/python bench/signing.py [--documents N]`` (see README.md).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup(keystore: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ESIGN_KEYSTORE_DIR = keystore
    settings.ESIGN_TRUST_ROOTS = [str(keystore / "ca.pem")]
    settings.ESIGN_TSA_URL = ""


def permit_context(n: int) -> dict:
    """The permit's template context, as ``permits.issued_documents`` builds it, for an unsaved
    permit (the bench needs no database)."""
    from django.conf import settings

    from permits.issued_documents import WITA
    from sop_portal.qr import qr_svg

    now = datetime.now(UTC)
    url = f"https://sop-portal.invalid/verifikasi/bench-token-{n:04d}/"
    issued = SimpleNamespace(
        number=f"503/{n:04d}/DPMPTSP/XII/2026",
        holder_name="Ani Pemohon",
        service_name="Izin Penyelenggaraan Angkutan Antar Kota Dalam Provinsi (AKDP)",
        issued_by=SimpleNamespace(full_name="Dewi Kepala", nip="197001011990032001"),
        valid_until=now.date().replace(year=now.year + 5),
        data={},
        get_kind_display=lambda: "Izin",
    )
    application = SimpleNamespace(tracking_number=f"REG-2026-{n:06d}", change_note="")
    return {
        "issued": issued,
        "application": application,
        "issued_on": now.astimezone(WITA),
        "conditions": [],
        "verification_url": url,
        "qr": qr_svg(url),
        "PORTAL": settings.PORTAL,
    }


def timed(call, cpu: list) -> tuple[float, object]:
    """Wall seconds of ``call`` (its result too); its CPU seconds (this process, every thread:
    the remote double's too) go to ``cpu``, a figure other work on the machine barely moves."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = call()
    cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()
    keystore = Path(tempfile.mkdtemp(prefix="bench-signing-"))
    setup(keystore)

    from permits.issued_documents import TEMPLATES
    from permits.models import IssuedDocument
    from signing import demo, validation
    from signing.base import SignRequest
    from signing.double import DoubleSigningService
    from signing.local import LocalBackend
    from signing.remote import RemoteBackend
    from sop_portal.pdf import render_pdf

    official = SimpleNamespace(email="kepala@demo.invalid", full_name="Dewi Kepala", nip="")
    demo.create_signer_file(keystore, demo.load_or_create_authority(keystore), official)
    template = TEMPLATES[IssuedDocument.Kind.PERMIT]

    def request(pdf: bytes) -> SignRequest:
        return SignRequest(pdf=pdf, signer=official, passphrase=demo.DEMO_PASSPHRASE)

    # Warm-up: fonts, templates, pyHanko's imports.
    warm = render_pdf(template, permit_context(0))
    LocalBackend().sign(request(warm))

    from django.conf import settings

    rendering, local, remote = [], [], []
    cpu = {"render": [], "local": [], "remote": []}
    with DoubleSigningService() as double:
        double.enrol(official.email, official.full_name, demo.DEMO_PASSPHRASE)
        settings.ESIGN_REMOTE_URL = double.url
        RemoteBackend().sign(request(warm))
        for n in range(1, args.documents + 1):
            render = lambda n=n: render_pdf(template, permit_context(n))  # noqa: E731
            seconds, pdf = timed(render, cpu["render"])
            rendering.append(seconds)
            seconds, signed = timed(lambda pdf=pdf: LocalBackend().sign(request(pdf)), cpu["local"])
            local.append(seconds)
            seconds, _remote = timed(
                lambda pdf=pdf: RemoteBackend().sign(request(pdf)), cpu["remote"]
            )
            remote.append(seconds)
    assert validation.validate(signed).valid, "the bench's last signature does not validate"

    def ms(values) -> str:
        return (
            f"median {statistics.median(values) * 1000:7.1f} ms   max {max(values) * 1000:7.1f} ms"
        )

    def cpu_ms(key) -> str:
        return f"cpu {statistics.median(cpu[key]) * 1000:6.1f} ms"

    base, base_cpu = statistics.median(rendering), statistics.median(cpu["render"])
    print(
        f"Signing a permit, {args.documents} documents, one process "
        f"(Python {sys.version.split()[0]})"
    )
    print(f"  render (WeasyPrint)            {ms(rendering)}{'':38}{cpu_ms('render')}")
    for name, key, values in (
        ("sign, local PKCS#12", "local", local),
        ("sign, remote (local double)", "remote", remote),
    ):
        share = statistics.median(values) / base * 100
        cpu_share = statistics.median(cpu[key]) / base_cpu * 100
        print(
            f"  {name:<30} {ms(values)}   = {share:5.1f}% of rendering (goal < 20%)   "
            f"{cpu_ms(key)} = {cpu_share:4.1f}%"
        )


if __name__ == "__main__":
    main()
