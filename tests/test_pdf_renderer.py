"""The one PDF renderer reads static and public media files from disk, never private ones."""

from sop_portal.pdf import _local_path


def test_it_reads_public_media_but_never_an_applicants_private_document(settings):
    public = settings.MEDIA_ROOT / "logos" / "logo.png"
    private = settings.PRIVATE_MEDIA_ROOT / "documents" / "ktp.pdf"
    for path in (public, private):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")

    assert _local_path("/media/logos/logo.png") == public.resolve()
    assert _local_path("/media/private/documents/ktp.pdf") is None
    assert _local_path("/media/../../etc/passwd") is None


def test_it_finds_vendored_static_files():
    assert _local_path("/static/img/mark.svg").name == "mark.svg"


def _tagged(pdf_bytes: bytes) -> tuple[str, str]:
    """(language, title) of a PDF, after asserting it carries a structure tree."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root, "no structure tree: a screen reader gets no headings"
        assert root.MarkInfo.Marked
        assert root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as meta:
            assert "pdfuaid:part" in str(meta) or meta.get("pdfuaid:part") == "1"
            title = meta.get("dc:title") or str(pdf.docinfo.get("/Title", ""))
        return str(root.Lang), str(title)


def test_every_pdf_is_tagged_with_its_language_and_title():
    from sop_portal.pdf import html_to_pdf

    html = (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        "<title>Tanda Terima Pendaftaran</title></head>"
        "<body><h1>Tanda Terima</h1><p>Nomor SOP-2026-000001</p></body></html>"
    )
    assert _tagged(html_to_pdf(html)) == ("id", "Tanda Terima Pendaftaran")


def test_the_sop_document_is_tagged(db):
    from tests.factories import ServiceFactory, build_sop_version
    from workflows.documents import sop_pdf

    version = build_sop_version(ServiceFactory(code="UJI-PDF", name="Izin Uji"))
    language, title = _tagged(sop_pdf(version))
    assert language == "id" and version.name in title
