"""Stored files on S3-compatible object storage (AWS S3, MinIO, Ceph RGW…), so that every web
and worker replica sees the same files (Issue 14.5). Chosen in the settings when
``AWS_STORAGE_BUCKET_NAME`` is set; the local file system otherwise.

The private-file rules are those of :mod:`permits.storage`, unchanged:

- Private documents have no URL: :meth:`S3PrivateStorage.url` raises, as the file system one
  does. A download is *streamed through the portal* by ``serve_private_file`` after the view's
  access check, never handed out as a presigned link: a link works for whoever holds it until
  it expires (forwarded mail, browser history, proxy logs, a ``Referer``), cannot be revoked
  when the access is (a withdrawn officer, a suspended permit), and bypasses the portal's
  response headers (``nosniff``, CSP sandbox, ``no-store``) and its audit. Uploads are at most
  ``UPLOAD_MAX_BYTES`` (10 MB), so the cost is a worker busy for the transfer, bounded.
- Objects are written with the ``private`` canned ACL, or none at all (``AWS_DEFAULT_ACL=""``)
  for an AWS bucket whose Object Ownership is "bucket owner enforced", which refuses every ACL
  but ``bucket-owner-full-control`` (AWS S3 User Guide, "Troubleshooting Object Ownership",
  AccessControlListNotSupported); a public ACL is never used whatever the settings say. The
  bucket has no public policy (docker-compose's bucket step sets none).
- The default storage (the logo, rendered decree PDFs) also has no public URL: its ``url()``
  is a presigned one valid ``AWS_QUERYSTRING_EXPIRE`` seconds (300 by default), and the
  portal itself streams rendered PDFs through access-checked views.

Writes are noted (``NotedWrites``) so that an object written by a transaction that rolls back
is deleted (``permits.filekeeping``), as on disk; ``remove_stray_files`` lists the bucket.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from botocore.exceptions import ClientError
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .storage import NotedWrites

#: The canned ACLs that keep an object to the bucket's owner ("" or None: send no ACL).
PRIVATE_ACLS = ("private", "bucket-owner-full-control", "", None)


class _Objects:
    """What the portal needs of an S3 storage besides Django's Storage API: a streamed read
    and a listing with sizes and times (one request per 1,000 objects)."""

    location: str

    def get_default_settings(self) -> dict[str, Any]:
        defaults = super().get_default_settings()  # type: ignore[misc]
        # No setting of the deployment loosens the private-file rules: signed URLs only, no
        # custom (public) domain, never a public ACL, never an overwritten object.
        defaults.update(querystring_auth=True, file_overwrite=False, custom_domain=None)
        if defaults.get("default_acl") not in PRIVATE_ACLS:
            defaults["default_acl"] = "private"
        return defaults

    def key(self, name: str) -> str:
        """The object key of ``name`` (its location prefix included); refuses ``..``."""
        return self._normalize_name(clean_name(name))  # type: ignore[attr-defined]

    def open_stream(self, name: str) -> tuple[IO[bytes], int]:
        """The object's body as a stream, not downloaded first, and its size; a missing object
        is ``FileNotFoundError`` and a name leaving the location ``SuspiciousOperation``."""
        try:
            answer = self.bucket.Object(self.key(name)).get()  # type: ignore[attr-defined]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(name) from None
            raise
        return answer["Body"], int(answer["ContentLength"])

    def walk(self, top: str = "") -> Iterator[tuple[str, int, datetime]]:
        """``(name, size, last modified)`` of every object under ``top`` (a folder name
        relative to the location), names relative to the location."""
        base = self.location.strip("/")
        prefix = "/".join(part for part in (base, top.strip("/")) if part)
        prefix = f"{prefix}/" if prefix else ""
        cut = len(base) + 1 if base else 0
        for summary in self.bucket.objects.filter(Prefix=prefix):  # type: ignore[attr-defined]
            yield summary.key[cut:], summary.size, summary.last_modified

    def describe(self, name: str) -> str:
        """Where an object is, for people: ``s3://bucket/key``."""
        return f"s3://{self.bucket_name}/{self.key(name)}"  # type: ignore[attr-defined]


@deconstructible(path="permits.object_storage.S3MediaStorage")
class S3MediaStorage(NotedWrites, _Objects, S3Storage):
    """The default storage on S3: the logo, rendered PDFs. Names are never overwritten
    (as on disk: a second file of the same name gets a suffix)."""


@deconstructible(path="permits.object_storage.S3PrivateStorage")
class S3PrivateStorage(NotedWrites, _Objects, S3Storage):
    """Applicants' documents, complaint attachments, signed permits on S3: no URL at all."""

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        raise ValueError("Private files have no URL: serve them with storage.serve_private_file.")


def is_object_storage(storage: Any) -> bool:
    """Whether ``storage`` keeps its files in a bucket (the portal's S3 storages)."""
    return isinstance(storage, _Objects)
