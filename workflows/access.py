"""Who may see what of the workflows app: tasks (seen, seen as staff, acted on) and SOP versions
(draft, in review, published, superseded). ``Task.objects.visible_to`` / ``actionable_by`` and
every door that serves an SOP version — the services API's JSON, the PDF page and the PDF API,
the service page — apply these rules and no other.

The role facts (administrator, office-wide staff, active memberships) come from
:mod:`agencies.access`."""

from django.db.models import Q, QuerySet

from agencies.access import (
    agency_roles,
    is_administrator,
    is_office_head,
    office_wide,
    signed_in,
)
from sop_portal.sql import equals_any

from .models import PerformerRole, SopVersion, Task

# --- SOP versions ----------------------------------------------------------------------------

#: The versions anyone may read, in every rendering (JSON, PDF, service page). A superseded
#: version stays public: an application keeps the SOP version it was submitted under for life,
#: so a citizen holding an older permit must be able to read the procedure their file went
#: through, and a decree that was once published remains a public record. Drafts and versions
#: in review are working papers of the office: administrators only.
PUBLIC_VERSION_STATUSES = (SopVersion.Status.PUBLISHED, SopVersion.Status.SUPERSEDED)


def is_public_version(version: SopVersion) -> bool:
    """Published and superseded versions are public documents."""
    return version.status in PUBLIC_VERSION_STATUSES


def may_review_sops(user) -> bool:
    """Who reviews SOP versions (returns or approves them): the office's head and the
    administrators. Whoever wrote a version still cannot approve it (the four-eyes guard of
    :mod:`workflows.states.sop`)."""
    return is_administrator(user) or is_office_head(user)


def may_see_version(user, version: SopVersion) -> bool:
    """The one answer for every rendering of an SOP version: public ones for anyone, a
    version in review also for its reviewers, the others for administrators. (A door that
    reaches a version through its service also needs the service to be public for that
    user: that is the catalogue's rule.)"""
    if is_public_version(version) or is_administrator(user):
        return True
    return version.status == SopVersion.Status.IN_REVIEW and may_review_sops(user)


def sop_versions_visible_to(user, versions: QuerySet | None = None) -> QuerySet[SopVersion]:
    """:func:`may_see_version` as a queryset."""
    versions = SopVersion.objects.all() if versions is None else versions
    if is_administrator(user):
        return versions
    if may_review_sops(user):
        return versions.filter(status__in=(*PUBLIC_VERSION_STATUSES, SopVersion.Status.IN_REVIEW))
    return versions.filter(status__in=PUBLIC_VERSION_STATUSES)


# --- tasks -----------------------------------------------------------------------------------


def _agency_roles(user) -> list[tuple[int, str]]:
    """(agency id, role) of the memberships that grant something."""
    return agency_roles(user)


def _of_own_applications(user) -> Q:
    """Tasks of the applications ``user`` filed (without joining the application table). The
    application model is reached through the task's foreign key: workflows imports no
    permits module."""
    application = Task._meta.get_field("application").related_model
    return equals_any("application_id", application.objects.filter(applicant=user).values("pk"))


def tasks_visible_to(user, tasks: QuerySet) -> QuerySet[Task]:
    """Office-wide staff (:func:`agencies.access.office_wide`): every task; OPD staff: their
    agencies' tasks; an applicant: the tasks of their own applications (the timeline)."""
    if not signed_in(user):
        return tasks.none()
    if office_wide(user):
        return tasks.all()
    agencies = {agency for agency, _role in _agency_roles(user)}
    return tasks.filter(Q(agency_id__in=agencies) | _of_own_applications(user))


def staff_tasks(user, tasks: QuerySet) -> QuerySet[Task]:
    """The tasks ``user`` may open as staff: every office task for office-wide staff, their
    own agencies' for OPD staff; never the applicant's own steps (an applicant's own file is
    not their inbox), and nothing for someone who is not staff."""
    if not signed_in(user):
        return tasks.none()
    tasks = tasks.exclude(role=PerformerRole.APPLICANT)
    if office_wide(user):
        return tasks
    return tasks.filter(agency_id__in={agency for agency, _role in _agency_roles(user)})


def tasks_actionable_by(user, tasks: QuerySet, *, as_applicant: bool = True) -> QuerySet[Task]:
    """Open tasks ``user`` may act on: the role and agency of one of their active memberships
    (and, unless ``as_applicant`` is false, the applicant's steps of their own applications),
    unclaimed or claimed by them. Each branch is served by an index (the open-task queue index,
    the application index), so the cost follows the inbox's size, not the number of open
    tasks."""
    if not signed_in(user):
        return tasks.none()
    arms = [Q(agency_id=agency, role=role) for agency, role in _agency_roles(user)]
    if as_applicant:
        arms.append(Q(role=PerformerRole.APPLICANT) & _of_own_applications(user))
    if not arms:
        return tasks.none()
    rule = arms[0]
    for arm in arms[1:]:
        rule |= arm
    return tasks.filter(rule, status=Task.Status.OPEN).filter(
        Q(assignee__isnull=True) | Q(assignee=user)
    )
