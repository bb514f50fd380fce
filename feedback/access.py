"""Who may see what of feedback: complaints as staff (the unit all of them, an agency those
assigned to it), survey (SKM) results, paper survey entry. The public reaches a complaint
only by its number and access code through the shared tracking lookup
(:func:`permits.access.track`). ``Complaint.objects.handled_by`` and every page and API view
of this app apply these rules."""

from django.db.models import QuerySet

from agencies.access import active_memberships, active_roles, can_monitor, handles_complaints
from agencies.models import Role

from .models import Complaint


def is_complaint_staff(user) -> bool:
    """The complaints unit, or staff of any agency (who see the complaints assigned to it)."""
    return handles_complaints(user) or bool(active_roles(user))


def complaints_handled_by(user, complaints: QuerySet | None = None) -> QuerySet[Complaint]:
    """The complaints ``user`` may act on as staff (reply, change status): the unit's all, an
    agency's those assigned to it. A complainant is not staff of their own complaint."""
    complaints = Complaint.objects.all() if complaints is None else complaints
    if handles_complaints(user):
        return complaints.all()
    return complaints.filter(assigned_agency__in=active_memberships(user).values("agency_id"))


def may_see_survey_results(user) -> bool:
    """SKM results and reports: those who may monitor."""
    return can_monitor(user)


def may_enter_paper_surveys(user) -> bool:
    """The front office and the complaints unit type in paper forms."""
    return handles_complaints(user) or Role.FRONT_OFFICE in active_roles(user)
