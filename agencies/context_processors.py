"""Template context: what the signed-in person may reach, for the navigation."""

from django.utils.functional import SimpleLazyObject

from .access import is_administrator


def staff(request) -> dict:
    # Lazy: pages that never ask (most public ones) cost no query.
    return {"is_portal_administrator": SimpleLazyObject(lambda: is_administrator(request.user))}
