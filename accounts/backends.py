"""The password backend: Django's ``ModelBackend``, with the signed-in user read together with
their agency memberships (one query per request instead of two: ``agencies.access``)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    """Authenticates exactly as ``ModelBackend``; only the per-request user read differs."""

    def get_user(self, user_id):
        from agencies.access import with_membership_facts

        users = with_membership_facts(get_user_model()._default_manager.all())
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
