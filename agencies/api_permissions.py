"""DRF permission classes built on the staff roles of :mod:`agencies.access`."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .access import is_administrator


class IsAdministrator(BasePermission):
    """Only administrators (see :func:`agencies.access.is_administrator`), for every method."""

    message = _("Only administrators may do this.")

    def has_permission(self, request, view) -> bool:
        return is_administrator(request.user)


class IsSopReviewer(BasePermission):
    """The office's head and administrators (:func:`workflows.access.may_review_sops`)."""

    message = _("Only the head of the office or an administrator reviews SOP versions.")

    def has_permission(self, request, view) -> bool:
        from workflows.access import may_review_sops

        return may_review_sops(request.user)
