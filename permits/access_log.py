"""Who saw what: the one door through which an application's files reach a person, and the
log of every opening by someone other than the applicant (UU 27/2022 tentang Pelindungan Data
Pribadi, Pasal 5, 7 and 31; see :class:`permits.models.DocumentAccess`).

Views check access with their rule (:func:`permits.access.files_visible_to`,
``ApplicationDocument.objects.visible_to``) and then call :func:`serve_application_file`,
which streams the file (``permits.storage.serve_private_file``) and writes the log entry; no
view serves an application's file any other way. :func:`accesses_for` is what the applicant
reads."""

from django.db.models import Model, Q, QuerySet
from django.http import FileResponse

from agencies.access import active_memberships
from workflows.models import Task

from .models import (
    Application,
    ApplicationDocument,
    Attachment,
    DocumentAccess,
    Inspection,
    Payment,
)
from .storage import serve_private_file

#: Which file of which row: (kind, the file field, the field with its original name).
FILES: dict[type[Model], tuple[str, str, str | None]] = {
    ApplicationDocument: (DocumentAccess.Kind.DOCUMENT, "file", "original_name"),
    Attachment: (DocumentAccess.Kind.ATTACHMENT, "file", "original_name"),
    Inspection: (DocumentAccess.Kind.INSPECTION, "report", None),
    Payment: (DocumentAccess.Kind.PAYMENT, "proof", None),
}


def file_name(row: Model) -> str:
    """The name the file is offered under: the applicant's own name for it, else the stored
    name's last part."""
    _kind, field, name_field = FILES[type(row)]
    if name_field and getattr(row, name_field):
        return getattr(row, name_field)
    return getattr(row, field).name.rsplit("/", 1)[-1]


def _reason(user, application: Application) -> tuple[Task | None, str, str]:
    """Why ``user`` may open the application's files: their task on it (their own, else one of
    their agency in their role; an open one first, else the latest), with its role and agency;
    without one, their first active membership (an office-wide officer, an administrator)."""
    memberships = list(active_memberships(user).select_related("agency"))
    tasks = Task.objects.filter(application=application).select_related("agency", "step")
    own = tasks.filter(Q(assignee=user) | Q(completed_by=user))
    # A task of their agency in a role they hold (an administrator of the office is not
    # there for the front office's task).
    seats = Q(pk__in=[])
    for membership in memberships:
        seats |= Q(agency_id=membership.agency_id, role=membership.role)
    agency_tasks = tasks.filter(seats)
    found = (
        own.filter(status=Task.Status.OPEN).first()
        or agency_tasks.filter(status=Task.Status.OPEN).first()
        or own.order_by("-opened_at").first()
        or agency_tasks.order_by("-opened_at").first()
    )
    if found is not None:
        agency = found.agency.name if found.agency else ""
        return found, found.role, agency
    if memberships:
        return None, memberships[0].role, memberships[0].agency.name
    return None, "", ""


def record_access(user, row: Model, *, door: str, downloaded: bool) -> DocumentAccess | None:
    """Log that ``user`` opened ``row``'s file, unless they are the application's applicant
    (the owner opening their own file is not a disclosure). Returns the entry, or None."""
    application = row.application
    if user.pk == application.applicant_id:
        return None
    kind, _field, _name = FILES[type(row)]
    task, role, agency = _reason(user, application)
    purpose = f"{task.step.no}. {task.step.activity}" if task is not None else ""
    return DocumentAccess.objects.create(
        application=application,
        viewer=user,
        viewer_name=(user.get_full_name() or user.get_username())[:255],
        viewer_role=role,
        viewer_agency=agency[:255],
        task=task,
        purpose=purpose[:600],
        file_kind=kind,
        file_id=row.pk,
        file_name=file_name(row)[:255],
        door=door,
        downloaded=downloaded,
    )


def serve_application_file(
    request,
    row: Model,
    *,
    door: str = DocumentAccess.Door.PAGE,
    as_attachment: bool = True,
    content_type: str | None = None,
) -> FileResponse:
    """Stream ``row``'s file (a document, attachment, inspection report or payment proof the
    caller has already allowed ``request.user`` to see) and log the opening. A missing file is
    a 404 and logs nothing: nothing was disclosed."""
    _kind, field, _name = FILES[type(row)]
    response = serve_private_file(
        getattr(row, field),
        download_name=file_name(row),
        as_attachment=as_attachment,
        content_type=content_type,
    )
    record_access(request.user, row, door=door, downloaded=as_attachment)
    return response


def accesses_for(application: Application) -> QuerySet[DocumentAccess]:
    """Every opening of the application's files by someone else, newest first."""
    return DocumentAccess.objects.filter(application=application).select_related("task__step")
