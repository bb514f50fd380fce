"""Template helpers of the applicant's pages: the NIK mask and status badges."""

from django import template

register = template.Library()


def _office_staff(user) -> bool:
    from agencies.access import is_administrator
    from agencies.models import Agency, Membership

    return (
        is_administrator(user)
        or Membership.objects.filter(
            user=user, is_active=True, agency__kind=Agency.Kind.ONE_STOP_OFFICE
        ).exists()
    )


@register.filter
def mask_nik(nik: str, viewer=None) -> str:
    """``nik`` with all but its last four digits hidden; in full only for its owner and the
    one-stop office's staff (``{{ person.nik|mask_nik:request.user }}`` when ``person`` is a
    user; with no viewer it is always masked)."""
    if not nik:
        return "—"
    signed_in = viewer is not None and getattr(viewer, "is_authenticated", False)
    if signed_in and (getattr(viewer, "nik", None) == nik or _office_staff(viewer)):
        return nik
    return "•" * (len(nik) - 4) + nik[-4:]


STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "in_progress": "text-bg-primary",
    "returned": "text-bg-warning",
    "approved": "text-bg-success",
    "deemed_approved": "text-bg-success",
    "issued": "text-bg-success",
    "completed": "text-bg-success",
    "rejected": "text-bg-danger",
    "withdrawn": "text-bg-dark",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")
