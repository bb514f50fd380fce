"""The one exception every file check raises (re-exported by ``permits.uploads``)."""

from django.core.exceptions import ValidationError


class UploadRejected(ValidationError):
    """An upload refused, with a message for the person who uploaded it."""
