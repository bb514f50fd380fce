"""Template context: what the signed-in person may reach, for the navigation."""

from django.utils.functional import SimpleLazyObject

from .access import active_roles, can_monitor, is_administrator, serves_at_counter


def staff(request) -> dict:
    # Lazy: pages that never ask (most public ones) cost no query.
    return {
        "is_portal_administrator": SimpleLazyObject(lambda: is_administrator(request.user)),
        "has_staff_role": SimpleLazyObject(lambda: bool(active_roles(request.user))),
        "can_monitor": SimpleLazyObject(lambda: can_monitor(request.user)),
        "serves_at_counter": SimpleLazyObject(lambda: serves_at_counter(request.user)),
    }
