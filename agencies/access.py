"""Role facts: which memberships count, who holds which staff role, who is an administrator,
who works office-wide, who may monitor. Every app's access module (``permits.access``,
``workflows.access``, ``feedback.access``, ``monitoring.access``) asks these questions here and
nowhere else."""

from django.db.models import Q, QuerySet

from .models import Agency, Membership, Role


def signed_in(user) -> bool:
    """An authenticated, active account (anonymous visitors and closed accounts hold nothing)."""
    return user is not None and user.is_authenticated and user.is_active


def active_memberships(user) -> QuerySet[Membership]:
    """The memberships that grant something: the membership is active and so is its agency (a
    closed agency's staff keep their rows for the record, but no rights). Empty for anonymous
    or inactive users."""
    if not signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True, agency__is_active=True)


def active_roles(user) -> set[str]:
    """The roles ``user`` holds through active memberships (empty for anonymous or inactive
    users)."""
    return set(active_memberships(user).values_list("role", flat=True))


def is_administrator(user) -> bool:
    """A superuser, or a user with an active ``administrator`` membership."""
    if not signed_in(user):
        return False
    return user.is_superuser or Role.ADMINISTRATOR in active_roles(user)


# --- the one-stop office (DPMPTSP) -----------------------------------------------------------


def _office(prefix: str = "") -> Q:
    return Q(**{f"{prefix}kind": Agency.Kind.ONE_STOP_OFFICE, f"{prefix}is_active": True})


def office_agencies() -> QuerySet[Agency]:
    """The active one-stop office(s): the agency that delivers every service."""
    return Agency.objects.filter(_office())


def is_office(agency_id: int | None) -> bool:
    """Whether ``agency_id`` is an active one-stop office."""
    return agency_id is not None and office_agencies().filter(pk=agency_id).exists()


def office_memberships() -> QuerySet[Membership]:
    """Active memberships of active people in an active one-stop office (filter by ``role``
    for, e.g., the office's heads)."""
    return Membership.objects.filter(_office("agency__"), is_active=True, user__is_active=True)


def office_wide(user) -> bool:
    """The one "office-wide staff" rule: administrators (any administrator membership, or a
    superuser) and everyone with an active membership, in any role, of an active one-stop
    office. They see every submitted application, every task and applicants' personal data; an
    OPD's staff see only what reaches their agency. A membership of a closed agency counts for
    nothing (see :func:`active_memberships`)."""
    if not signed_in(user):
        return False
    return is_administrator(user) or active_memberships(user).filter(_office("agency__")).exists()


def is_office_head(user) -> bool:
    """An active ``head`` membership of an active one-stop office (the *Kepala Dinas*)."""
    return active_memberships(user).filter(_office("agency__"), role=Role.HEAD).exists()


# --- monitoring and complaints --------------------------------------------------------------

#: Roles that watch SOP performance (dashboards, SKM results, the six-monthly monitoring).
MONITORING_ROLES = frozenset({Role.HEAD, Role.COMPLAINTS_OFFICER, Role.ADMINISTRATOR})


def can_monitor(user) -> bool:
    """Heads, the complaints and reporting unit, and administrators see performance figures."""
    if not signed_in(user):
        return False
    return user.is_superuser or bool(MONITORING_ROLES & active_roles(user))


def handles_complaints(user) -> bool:
    """The complaints and reporting unit, heads and administrators answer complaints."""
    return can_monitor(user)


def serves_at_counter(user) -> bool:
    """The counter (*loket*) of the one-stop office: its front-office members, and
    administrators (who stand in for them)."""
    if not signed_in(user):
        return False
    if is_administrator(user):
        return True
    return office_memberships().filter(user=user, role=Role.FRONT_OFFICE).exists()
