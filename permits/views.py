"""Public pages: the service catalogue and a service's page (standard and published SOP)."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_htmx.http import push_url

from . import public_cache
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


def _catalogue_content(
    request: HttpRequest, params: dict[str, str], page_number: str | None, partial: bool
) -> dict:
    """The catalogue's content for these filters and page: its HTML and its address. It does
    not depend on who asks (no form token, no user): cached per data version."""
    page = Paginator(catalogue_services(**params), CATALOGUE_PAGE_SIZE).get_page(page_number)
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
        "partial": partial,
    }
    template = "permits/_catalogue_results.html" if partial else "permits/_catalogue_page.html"
    # With the request for {% querystring %}: only its known parameters (the key's), see below.
    return {"html": render_to_string(template, context, request), "page_url": page_url}


def catalogue(request: HttpRequest) -> HttpResponse:
    params = {key: request.GET.get(key, "").strip() for key in FILTERS}
    page_number = request.GET.get("page")
    # An htmx request from the filter form or a page link wants only the results fragment;
    # a history restore (or no JS at all) gets the whole page.
    partial = request.htmx.target == "results" and not request.htmx.history_restore_request
    # The page links ({% querystring %}) carry the known parameters only, so that an address
    # with made-up ones shares the cached page (and cannot fill the cache with variants).
    known = QueryDict(mutable=True)
    for key in (*FILTERS, "page"):
        if key in request.GET:
            known.setlist(key, request.GET.getlist(key)[:1])
    request.GET = known
    content = public_cache.cached(
        ("catalogue", known.urlencode(), partial),
        lambda: _catalogue_content(request, params, page_number, partial),
    )
    if partial:
        response = HttpResponse(content["html"])
        push_url(response, content["page_url"])
    else:
        response = render(
            request,
            "permits/catalogue.html",
            {"content": mark_safe(content["html"]), "page_url": content["page_url"]},  # noqa: S308 (our own rendering)
        )
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _service_content(code: str) -> dict:
    """A public service's page apart from its apply button: the facts its header shows and the
    HTML of the rest; ``{"missing": True}`` for no public service (cached as well)."""
    try:
        service = public_service(code)
    except Service.DoesNotExist:
        return {"missing": True}
    sop = service.published_sop
    technical_agencies = list(service.technical_agencies.all())
    context = {
        "service": service,
        "components": service.standard_components(),
        "sop": sop,
        "upcoming": service.upcoming_sop,
        "steps": list(sop.steps.all()),
        "total_time": sop.total_time_norm(),
        "technical_agencies": technical_agencies,
        # Rendered without a request (nothing of the visitor's may enter it): the one context
        # processor it needs, by hand.
        "PORTAL": settings.PORTAL,
    }
    return {
        "missing": False,
        "service": {
            "code": service.code,
            "name": service.name,
            "kind": service.kind,
            "get_kind_display": str(service.get_kind_display()),
            "sector": service.sector,
            "description": service.description,
        },
        "technical_agencies": [{"name": agency.name} for agency in technical_agencies],
        "body": render_to_string("permits/_service_body.html", context),
    }


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    content = public_cache.cached(("service", code), lambda: _service_content(code))
    if content["missing"]:
        raise Http404(_("No public service with this code."))
    context = {
        "service": content["service"],
        "technical_agencies": content["technical_agencies"],
        "body": mark_safe(content["body"]),  # noqa: S308 (our own rendering)
    }
    return render(request, "permits/service_detail.html", context)
