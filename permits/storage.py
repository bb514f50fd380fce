"""Private storage of uploaded documents: no public URL, unguessable names, and the one way to
send a stored file to a browser once a view has checked that the user may see it.

The files live under ``PRIVATE_MEDIA_ROOT`` (default ``MEDIA_ROOT / "private"``); nothing in the
portal serves that folder, and a web server in front must not either. With object storage
configured (``AWS_STORAGE_BUCKET_NAME``) they are objects under ``private/`` of the bucket
instead (``permits.object_storage``), with the same rules; ``STORAGES["private"]`` says which.
"""

import re
import unicodedata
import uuid
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property, empty

from . import filekeeping
from .filetypes import FORMATS, extension_of
from .uploads import display_name

FALLBACK_CONTENT_TYPE = "application/octet-stream"


class NotedWrites:
    """A storage mixin: every file written is noted with its transaction, so that it is
    removed if the transaction rolls back (``permits.filekeeping``)."""

    def _save(self, name: str, content: Any) -> str:
        name = super()._save(name, content)  # type: ignore[misc]
        filekeeping.note_written(self, name)  # type: ignore[arg-type]
        return name


@deconstructible(path="permits.storage.MediaStorage")
class MediaStorage(NotedWrites, FileSystemStorage):
    """The default storage (``MEDIA_ROOT``: the logo, rendered PDFs) with noted writes."""


@deconstructible(path="permits.storage.PrivateStorage")
class PrivateStorage(NotedWrites, FileSystemStorage):
    """A file system storage that has no URL: ``url()`` raises, so no template or serializer
    can hand out a link that skips the access check.

    It takes no arguments, so a migration records ``permits.storage.PrivateStorage()`` and never
    the path of the machine that made it; the location is read from the settings when used.
    """

    def __init__(self) -> None:
        super().__init__()

    @cached_property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def base_url(self) -> None:
        return None

    @cached_property
    def file_permissions_mode(self) -> int:
        return settings.PRIVATE_FILE_PERMISSIONS

    @cached_property
    def directory_permissions_mode(self) -> int:
        return settings.PRIVATE_DIRECTORY_PERMISSIONS

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: serve them with serve_private_file().")

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        elif setting in ("PRIVATE_FILE_PERMISSIONS", "FILE_UPLOAD_PERMISSIONS"):
            self.__dict__.pop("file_permissions_mode", None)
        elif setting in ("PRIVATE_DIRECTORY_PERMISSIONS", "FILE_UPLOAD_DIRECTORY_PERMISSIONS"):
            self.__dict__.pop("directory_permissions_mode", None)


class _PrivateStorageHandle(LazyObject):
    """The private storage of the deployment, ``STORAGES["private"]`` (the file system one
    when that alias is not declared), looked up when first used so that the file fields that
    name it follow the settings, in tests too."""

    def _setup(self) -> None:
        try:
            self._wrapped = storages["private"]
        except Exception:  # InvalidStorageError: no "private" alias (an older STORAGES)
            self._wrapped = PrivateStorage()


private_storage: Storage = _PrivateStorageHandle()  # type: ignore[assignment]


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty  # type: ignore[attr-defined]


setting_changed.connect(_storages_changed, dispatch_uid="permits.storage.private")


def private_upload_to(instance: Any, filename: str) -> str:
    """``documents/<yyyy>/<mm>/<uuid4>.<ext>``: the client's name is never part of the path.

    Only the extension of ``filename`` is kept, normalised; save with
    ``CheckedUpload.storage_name`` so that it is the one read from the content.
    """
    now = timezone.now()
    ext = extension_of(filename) or "bin"
    return f"documents/{now:%Y}/{now:%m}/{uuid.uuid4()}.{ext}"


def open_stored(file_field: FieldFile) -> tuple[Any, int | None]:
    """A stored file opened for a response, and its size when the storage says it without a
    read: on disk the file itself; in a bucket the object's body, streamed as it arrives
    rather than downloaded first (``permits.object_storage``). No file, a missing one or a
    name leaving the storage is a 404."""
    if not file_field or not file_field.name:
        raise Http404("No file")
    try:
        open_stream = getattr(file_field.storage, "open_stream", None)
        if open_stream is not None:
            return open_stream(file_field.name)
        return file_field.storage.open(file_field.name, "rb"), None
    except (FileNotFoundError, SuspiciousOperation):  # SuspiciousFileOperation included
        raise Http404("No file") from None


def serve_private_file(
    file_field: FieldFile,
    *,
    download_name: str,
    as_attachment: bool = True,
    content_type: str | None = None,
) -> FileResponse:
    """Stream a stored file to a user a view has already allowed to see it.

    The content type is the one recorded at upload (``content_type``) or the one of the stored
    extension, which the upload check read from the content; never a guess from the client's
    name. The browser is told not to sniff, not to run anything in it, and not to cache it.
    A missing file is a 404.
    """
    handle, size = open_stored(file_field)
    if content_type is None:
        ext = extension_of(file_field.name)
        content_type = FORMATS[ext].content_type if ext in FORMATS else FALLBACK_CONTENT_TYPE
    response = FileResponse(handle, content_type=content_type)
    if size is not None:  # a stream does not tell FileResponse its length
        response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition(download_name, as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    # Inline previews may be framed by the portal's own pages; attachments by nobody.
    ancestors = "'none'" if as_attachment else "'self'"
    response["Content-Security-Policy"] = f"default-src 'none'; frame-ancestors {ancestors}"
    response["X-Frame-Options"] = "DENY" if as_attachment else "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def content_disposition(name: str, as_attachment: bool = True) -> str:
    """An RFC 6266 ``Content-Disposition`` value: a plain ASCII ``filename`` for old clients and
    ``filename*`` in UTF-8 when the name has other characters. No quote, backslash or line break
    of the name reaches the header."""
    name = display_name(name)
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = " ".join(re.sub(r"[^A-Za-z0-9 ._()+,-]", "_", fallback).split()) or "document"
    value = f'{"attachment" if as_attachment else "inline"}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
