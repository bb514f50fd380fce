"""Who holds which staff role: the one place that says who counts as an administrator."""

from .models import Membership, Role


def active_roles(user) -> set[str]:
    """The roles ``user`` holds through active memberships (empty for anonymous or inactive
    users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return set(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))


def is_administrator(user) -> bool:
    """A superuser, or a user with an active ``administrator`` membership."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.ADMINISTRATOR in active_roles(user)


#: Roles that watch SOP performance (dashboards, SKM results, the six-monthly monitoring).
MONITORING_ROLES = frozenset({Role.HEAD, Role.COMPLAINTS_OFFICER, Role.ADMINISTRATOR})


def can_monitor(user) -> bool:
    """Heads, the complaints and reporting unit, and administrators see performance figures."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(MONITORING_ROLES & active_roles(user))


def handles_complaints(user) -> bool:
    """The complaints and reporting unit, heads and administrators answer complaints."""
    return can_monitor(user)
