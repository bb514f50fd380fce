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
