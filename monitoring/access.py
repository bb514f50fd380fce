"""Who may see what of monitoring: the performance figures (dashboards, their CSV/XLSX
exports and API, Tabel 7) and the applications behind a figure (the click-through list).
Figures are aggregates without personal data, for those who may monitor; the list names
files, so it shows only the applications the viewer may open (:mod:`permits.access`), and
links each to the latest task of it the viewer may open (:mod:`workflows.access`)."""

from django.db.models import OuterRef, QuerySet, Subquery

from agencies.access import can_monitor
from permits.access import applications_visible_to
from workflows.access import staff_tasks
from workflows.models import Task


def may_see_figures(user) -> bool:
    """Heads, the complaints and reporting unit and administrators
    (:func:`agencies.access.can_monitor`)."""
    return can_monitor(user)


def listed_applications(user, applications: QuerySet) -> QuerySet:
    """``applications`` (those behind a figure) cut to the ones ``user`` may see: an OPD's head
    their agency's files, office-wide staff every submitted one; each with ``task_id``, the
    latest office task of it that ``user`` may open (None when there is none)."""
    if not may_see_figures(user):
        return applications.none()
    latest_task = Subquery(
        staff_tasks(user, Task.objects.filter(application=OuterRef("pk")))
        .order_by("-opened_at", "-id")
        .values("id")[:1]
    )
    return applications_visible_to(user, applications).annotate(task_id=latest_task)
