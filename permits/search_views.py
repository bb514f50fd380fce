"""The staff's search page (every file they may see, finished ones included) and the staff
page of one application, where a search result and a notice to staff lead. Thin callers of
``permits.search`` and ``permits.access``."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format

from workflows.models import Task

from . import access, search
from . import staff_services as services
from .models import Application, ApplicationDocument
from .staff_views import staff_required

PAGE_SIZE = 25


@staff_required
def search_page(request: HttpRequest) -> HttpResponse:
    """The search form and its results, paged; an empty form lists the newest files. A bad
    date is answered with a 400 and the form, saying what is wrong."""
    error = ""
    try:
        query = search.SearchQuery.from_params(request.GET)
    except search.SearchError as problem:
        error, query = str(problem), search.SearchQuery()
    results = search.search(request.user, query) if not error else Application.objects.none()
    # The page's ids first, then their rows with the joins; counted up to a cap.
    page = services.CappedPaginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "query": query,
        "error": error,
        "page": page,
        "params": params.urlencode(),
        **services.filter_choices(),
        "statuses": services.status_choices(),
        # Whether NIKs show in full is the viewer's (office-wide staff), not each row's: asked
        # once, with no owner's NIK to compare.
        "nik_in_full": access.may_see_personal_data(request.user, ""),
        "cap": number_format(services.CappedPaginator.cap, force_grouping=True),
        "raw": {key: request.GET.get(key, "") for key in ("from", "to")},
    }
    return render(request, "permits/staff/search.html", context, status=400 if error else 200)


@staff_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One application as staff see it: where it stands, every task with its due date and
    clock (a link to the ones the reader may open), its documents, recommendations,
    decisions, issued documents and timeline. 404 for a file the reader may not see."""
    application = get_object_or_404(
        access.applications_visible_to(request.user)
        .exclude(status=Application.Status.DRAFT)
        .select_related("service", "applicant", "sop_version"),
        pk=pk,
    )
    tasks = list(
        Task.objects.filter(application=application)
        .select_related("step", "agency", "assignee")
        .prefetch_related("events")
        .order_by("opened_at", "id")
    )
    openable = set(
        services.staff_tasks(request.user)
        .filter(application=application)
        .values_list("pk", flat=True)
    )
    context = {
        "tasks": tasks,
        "openable": openable,
        "documents": ApplicationDocument.objects.filter(application=application).order_by(
            "requirement_code", "-version"
        ),
        "events": application.step_events.select_related(
            "task__step", "task__agency", "by"
        ).order_by("at", "id"),
        **services.application_summary(application),
    }
    return render(request, "permits/staff/application.html", context)
