"""Template helpers of the applicant's pages: the NIK mask and status badges."""

from django import template

register = template.Library()


@register.filter
def mask_nik(nik: str, viewer=None) -> str:
    """``nik`` with all but its last four digits hidden; in full only for those
    :func:`permits.access.may_see_personal_data` names (``{{ person.nik|mask_nik:request.user
    }}`` when ``person`` is a user; with no viewer it is always masked)."""
    from permits.access import may_see_personal_data

    if not nik:
        return "—"
    if viewer is not None and may_see_personal_data(viewer, nik):
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


@register.simple_tag
def application_data_rows(application, viewer=None) -> list:
    """(group, [(label, value)]) of the application's declared fields, the NIK masked as
    :func:`mask_nik` does (``{% application_data_rows application request.user as rows %}``)."""
    from permits import application_data

    answers = dict(application.data or {})
    if answers.get("nik"):
        answers["nik"] = mask_nik(answers["nik"], viewer)
    return application_data.rows(application.service.application_fields, answers)
