"""Uploaded documents are kept where no URL reaches them, under names nobody can guess, and sent
only through the serve helper with headers that stop the browser from running them."""

import re
import stat
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import Http404
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.test import RequestFactory

from permits.storage import (
    PrivateStorage,
    content_disposition,
    private_storage,
    private_upload_to,
    serve_private_file,
)

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
STORED_NAME = re.compile(
    r"^documents/\d{4}/\d{2}/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"\.[a-z0-9]+$"
)


class Stored:
    """What a model's FileField holds: a name in a storage."""

    def __init__(self, name: str, storage=private_storage) -> None:
        self.name = name
        self.storage = storage

    def __bool__(self) -> bool:
        return bool(self.name)


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return Path(settings.PRIVATE_MEDIA_ROOT)


def store(content: bytes = PDF, client_name: str = "KTP Ani.pdf") -> Stored:
    return Stored(private_storage.save(private_upload_to(None, client_name), ContentFile(content)))


def body(response) -> bytes:
    """The streamed bytes; then the response is closed, as the server does (without the
    database clean-up that closing fires, as Django's test client does)."""
    try:
        return b"".join(response.streaming_content)
    finally:
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)


def test_it_names_stored_files_by_date_and_random_uuid_only():
    names = {private_upload_to(None, "../../etc/KTP Ani.pdf") for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert STORED_NAME.match(name), name
        assert "KTP" not in name and ".." not in name


def test_it_keeps_only_a_normalised_extension_of_the_client_name():
    assert private_upload_to(None, "FOTO.JPEG").endswith(".jpg")
    assert private_upload_to(None, "denah.pdf").endswith(".pdf")
    assert private_upload_to(None, "tanpa-ekstensi").endswith(".bin")
    assert private_upload_to(None, "x.p df").endswith(".bin")


def test_it_has_no_url_for_a_stored_file(private_root):
    stored = store()
    with pytest.raises(ValueError, match="Private files have no URL"):
        private_storage.url(stored.name)


def test_it_stores_under_the_private_root_readable_by_the_portal_only(private_root):
    stored = store()
    path = private_root / stored.name
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) & stat.S_IRWXO == 0
    assert stat.S_IMODE(path.parent.stat().st_mode) & stat.S_IRWXO == 0


def test_it_defaults_to_a_private_folder_inside_media_root(settings, tmp_path):
    # The default is declared once, in settings.py (PRIVATE_MEDIA_ROOT unset in the
    # environment); the storage reads the setting.
    import sop_portal.settings as declared

    assert Path(declared.MEDIA_ROOT) / "private" == declared.PRIVATE_MEDIA_ROOT
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere" / "private"
    assert Path(private_storage.location) == tmp_path / "elsewhere" / "private"


def test_it_is_recorded_in_migrations_without_a_machine_path(private_root):
    assert PrivateStorage().deconstruct() == ("permits.storage.PrivateStorage", (), {})


def test_it_refuses_a_stored_name_that_leaves_the_private_root(private_root):
    with pytest.raises(Http404):
        serve_private_file(Stored("../../etc/passwd"), download_name="passwd")


def test_it_serves_a_file_as_an_attachment_with_protective_headers(private_root):
    stored = store()
    response = serve_private_file(stored, download_name="KTP Ani.pdf")
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"] == 'attachment; filename="KTP Ani.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["Cache-Control"] == "private, no-store"


def test_it_never_takes_the_content_type_from_the_download_name(private_root):
    stored = store()
    response = serve_private_file(stored, download_name="halaman.html")
    assert response["Content-Type"] == "application/pdf"
    body(response)


def test_it_serves_an_unknown_stored_type_as_plain_bytes(private_root):
    stored = store(b"data", client_name="lampiran.dat")
    response = serve_private_file(stored, download_name="lampiran.dat")
    assert response["Content-Type"] == "application/octet-stream"
    body(response)


def test_it_uses_the_content_type_recorded_at_upload(private_root):
    stored = store(b"data", client_name="lampiran.bin")
    response = serve_private_file(stored, download_name="foto.png", content_type="image/png")
    assert response["Content-Type"] == "image/png"
    body(response)


def test_it_keeps_its_restrictive_policy_through_the_portal_middleware(private_root):
    stored = store()
    request = RequestFactory().get("/dokumen/1/")

    def view(request):
        return serve_private_file(stored, download_name="KTP Ani.pdf")

    response = XFrameOptionsMiddleware(CSPMiddleware(view))(request)
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    body(response)


def test_it_lets_the_portal_frame_an_inline_preview(private_root):
    response = serve_private_file(store(), download_name="KTP Ani.pdf", as_attachment=False)
    assert response["Content-Disposition"] == 'inline; filename="KTP Ani.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    body(response)


def test_it_is_a_404_when_there_is_no_file(private_root):
    with pytest.raises(Http404):
        serve_private_file(Stored(""), download_name="x.pdf")
    with pytest.raises(Http404):
        serve_private_file(Stored("documents/2025/01/missing.pdf"), download_name="x.pdf")


def test_it_writes_a_safe_content_disposition_for_any_name():
    assert content_disposition("Surat Izin Trayek.pdf") == (
        'attachment; filename="Surat Izin Trayek.pdf"'
    )
    assert content_disposition("Izin «Dishub» Sultra – 2025.pdf") == (
        'attachment; filename="Izin Dishub Sultra 2025.pdf"; '
        "filename*=UTF-8''Izin%20%C2%ABDishub%C2%BB%20Sultra%20%E2%80%93%202025.pdf"
    )
    forged = content_disposition('a"b\\c\r\nSet-Cookie: x=1;.pdf')
    assert "\r" not in forged and "\n" not in forged
    assert forged.startswith('attachment; filename="c Set-Cookie_ x_1_.pdf"')
    assert content_disposition("../../etc/passwd", as_attachment=False) == (
        'inline; filename="passwd"'
    )
