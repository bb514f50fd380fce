"""The password backend: Django's ``ModelBackend``, with the signed-in user read together with
their agency memberships (one query per request instead of two: ``agencies.access``)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError


class PortalModelBackend(ModelBackend):
    """Authenticates exactly as ``ModelBackend``; only the per-request user read differs."""

    def get_user(self, user_id):
        from agencies.access import user_with_memberships

        try:
            user = user_with_memberships(get_user_model(), user_id)
        except (TypeError, ValueError, ValidationError):  # a malformed id in a session: nobody
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
