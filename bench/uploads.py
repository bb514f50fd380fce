"""Benchmark of the upload check (``permits.uploads.validate_upload``, parsing every file) on
large but real files and on the attack files, next to a reference in the same process: hashing
the same bytes (what any upload costs anyway). No database is needed.

    .venv/bin/python bench/uploads.py [--runs 5]
"""

import argparse
import hashlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def samples() -> dict[str, tuple[str, bytes, list[str]]]:
    import pikepdf
    from openpyxl import Workbook
    from PIL import Image

    from tests.permits.files import hostile

    def pdf(pages: int, stream_mb: int = 0) -> bytes:
        out = io.BytesIO()
        with pikepdf.new() as document:
            for _ in range(pages):
                document.add_blank_page()
            if stream_mb:
                image = document.make_stream(os.urandom(stream_mb * 1024 * 1024))
                document.pages[0].Resources = pikepdf.Dictionary(
                    XObject=pikepdf.Dictionary(Im0=image)
                )
            document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()

    photo = Image.effect_noise((4000, 3000), 40).convert("RGB")
    jpeg, png = io.BytesIO(), io.BytesIO()
    photo.save(jpeg, "JPEG", quality=85)
    photo.resize((1600, 1200)).save(png, "PNG")
    workbook = Workbook()
    for row in range(5000):
        workbook.active.append([row, f"Kendaraan {row}", "DT 1234 AB", 2024, "Kendari"])
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    return {
        "PDF, 9 MB image stream": ("scan.pdf", pdf(1, 9), ["pdf"]),
        "PDF, 2,000 pages": ("buku.pdf", pdf(2000), ["pdf"]),
        "JPEG, 12 MP photo": ("foto.jpg", jpeg.getvalue(), ["jpg"]),
        "PNG, 1600x1200": ("foto.png", png.getvalue(), ["png"]),
        "XLSX, 5,000 rows": ("armada.xlsx", xlsx.getvalue(), ["xlsx"]),
        "attack: JS in Hex+Flate object stream": (
            "x.pdf",
            hostile.js_in_object_stream(["ASCIIHexDecode", "FlateDecode"]),
            ["pdf"],
        ),
        "attack: XLSX holding a 400 MB sheet": ("x.xlsx", hostile.xlsx_bomb(), ["xlsx"]),
        "attack: PNG with HTML in a text chunk": ("x.png", hostile.png_with_html_text(), ["png"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from permits.uploads import UploadRejected, validate_upload

    print(f"{'file':40} {'size':>10} {'check ms':>9} {'hash ms':>8}  outcome")
    for label, (name, content, formats) in samples().items():
        checks, hashes, outcome = [], [], "accepted"
        for _ in range(runs):
            start = time.perf_counter()
            hashlib.sha256(content).hexdigest()
            hashes.append(time.perf_counter() - start)
            start = time.perf_counter()
            try:
                validate_upload(SimpleUploadedFile(name, content), formats=formats)
            except UploadRejected as refused:
                outcome = f"refused ({refused.code})"
            checks.append(time.perf_counter() - start)
        print(
            f"{label:40} {len(content):>10,} {statistics.median(checks) * 1000:>9.1f} "
            f"{statistics.median(hashes) * 1000:>8.1f}  {outcome}"
        )


if __name__ == "__main__":
    main()
