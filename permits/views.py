"""Public pages: the service catalogue and a service's page (standard and published SOP)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from .models import Service, ServiceKind
from .selectors import (
    CatalogueOptions,
    catalogue_options,
    catalogue_services,
    public_service,
)

CATALOGUE_PAGE_SIZE = 20
FILTERS = ("q", "sector", "kind", "agency")


def _catalogue_url(params: dict[str, str], **changes: str) -> str:
    """The shareable address of a catalogue view: only the parameters that are set."""
    merged = {**params, **changes}
    query = urlencode({k: v for k, v in merged.items() if v})
    return reverse("permits:catalogue") + (f"?{query}" if query else "")


def _active_filters(params: dict[str, str], options: CatalogueOptions) -> list[dict[str, str]]:
    """What narrows the list, each with the address that drops just that filter."""
    names = {
        "sector": {s: s for s in options.sectors},
        "kind": dict(ServiceKind.choices),
        "agency": {a.code: a.name for a in options.agencies},
    }
    labels = {
        "q": _("Search"),
        "sector": _("Sector"),
        "kind": _("Kind"),
        "agency": _("Technical agency"),
    }
    return [
        {
            "label": labels[key],
            "value": names[key].get(params[key], params[key]) if key in names else params[key],
            "remove_url": _catalogue_url(params, **{key: "", "page": ""}),
        }
        for key in FILTERS
        if params[key]
    ]


def catalogue(request: HttpRequest) -> HttpResponse:
    params = {key: request.GET.get(key, "").strip() for key in FILTERS}
    page = Paginator(catalogue_services(**params), CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    options = catalogue_options()
    page_url = _catalogue_url(params, page=str(page.number) if page.number > 1 else "")
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "params": params,
        "options": options,
        "active_filters": _active_filters(params, options),
        "clear_url": reverse("permits:catalogue"),
        "page_url": page_url,
    }
    # An htmx request from the filter form or a page link wants only the results fragment;
    # a history restore (or no JS at all) gets the whole page.
    if request.htmx.target == "results" and not request.htmx.history_restore_request:
        response = render(request, "permits/_catalogue_results.html", {**context, "partial": True})
        push_url(response, page_url)
    else:
        response = render(request, "permits/catalogue.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        service = public_service(code)
    except Service.DoesNotExist:
        raise Http404(_("No public service with this code.")) from None
    sop = service.published_sop
    context = {
        "service": service,
        "components": service.standard_components(),
        "sop": sop,
        "upcoming": service.upcoming_sop,
        "steps": list(sop.steps.all()),
        "total_time": sop.total_time_norm(),
        "technical_agencies": list(service.technical_agencies.all()),
    }
    return render(request, "permits/service_detail.html", context)
