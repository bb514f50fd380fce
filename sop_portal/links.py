"""Absolute links: what leaves the portal (an e-mail, a QR code, a PDF) carries the portal's
public address, ``PORTAL_BASE_URL``, never a bare path or the Host header of a request."""

from django.conf import settings


def absolute(path: str) -> str:
    """``path`` (``/permohonan/12/``) under the portal's public address; an absolute URL or an
    empty path is returned as it is."""
    if not path or "://" in path:
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")
