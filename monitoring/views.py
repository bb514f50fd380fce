"""Pages of the monitoring app: the performance dashboard with its exports and click-through
list (heads, the complaints and reporting unit, administrators; a 404 for everyone else), and
the public transparency pages. Thin callers of ``stats``, ``tables`` and ``assessment``."""

from datetime import date
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from agencies.models import Agency
from permits.models import Service
from workflows.models import SopVersion

from . import access, charts, exports, facts, page_cache, stats, tables
from .assessment import threshold
from .filters import Filters

PAGE_SIZE = 50


def monitor_required(view):
    """Signed in and allowed to watch performance (``access.may_see_figures``), else a 404."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not access.may_see_figures(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _choices(f: Filters) -> dict:
    return {
        "services": Service.objects.filter(sop__isnull=False).order_by("name"),
        "agencies": Agency.objects.active().order_by("kind", "name"),
        "versions": SopVersion.objects.filter(
            status__in=[SopVersion.Status.PUBLISHED, SopVersion.Status.SUPERSEDED]
        )
        .select_related("sop")
        .order_by("sop__code", "version"),
    }


def _charts(all_tables: dict[str, tables.Table]) -> dict[str, str]:
    trend = all_tables["trend"].rows
    return {
        "trend": charts.columns(
            str(all_tables["trend"].title),
            [_short_month(r) for r in trend],
            [
                ("is-received", str(all_tables["trend"].columns[1].label), _col(trend, "received")),
                (
                    "is-completed",
                    str(all_tables["trend"].columns[2].label),
                    _col(trend, "completed"),
                ),
            ],
        ),
        "services": charts.bars(
            str(all_tables["services"].title),
            [(r.values["service"], r.values["rate"]) for r in all_tables["services"].rows],
            top=100,
            low=threshold(),
        ),
        "agencies": charts.bars(
            str(all_tables["agencies"].title),
            [(r.values["agency"], r.values["rate"]) for r in all_tables["agencies"].rows],
            top=100,
            low=threshold(),
        ),
        "bottlenecks": charts.bars(
            str(all_tables["bottlenecks"].title),
            [
                (f"{r.values['no']}. {r.values['step']}", r.values["late"])
                for r in all_tables["bottlenecks"].rows
            ],
            unit="",
        ),
    }


def _short_month(row) -> str:
    """ "Sep 2026" for the chart's axis (the table says the month in full)."""
    month = date.fromisoformat(row.links["received"]["month"] + "-01")
    return date_format(month, "M Y")


def _col(rows, key: str) -> list[int]:
    return [r.values[key] or 0 for r in rows]


@monitor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    f = Filters.from_params(request.GET)
    # The filter form, the period and the figures are one fragment, rendered once per facts
    # version, day, language and filters (``page_cache``): every monitor sees the same
    # figures, so the viewer is not part of the key. Only the page around it is rendered on
    # each request.
    key = facts.cache_key("dashboard-page", f)
    body = page_cache.get_or_set(key, lambda: _dashboard_body(request, f))
    return render(request, "monitoring/dashboard.html", {"f": f, "body": mark_safe(body)})  # noqa: S308


def _dashboard_body(request: HttpRequest, f: Filters) -> str:
    all_tables = tables.dashboard(f)
    return render_to_string(
        "monitoring/_dashboard_body.html",
        {
            "f": f,
            "tables": all_tables,
            "charts": _charts(all_tables),
            "query": f.querystring(),
            "threshold": f"{threshold():g}",
            **_choices(f),
        },
        request,
    )


@monitor_required
def export(request: HttpRequest) -> HttpResponse:
    """One table as CSV or XLSX (``?tabel=steps&format=xlsx`` plus the dashboard's filters)."""
    table, fmt = request.GET.get("tabel", ""), request.GET.get("format", "")
    if table not in tables.BUILDERS or fmt not in ("csv", "xlsx"):
        raise Http404
    f = Filters.from_params(request.GET)
    built = tables.build(table, f)
    if fmt == "csv":
        return exports.csv_response(built, f)
    # The workbook's bytes are kept like the figures (building one costs ~100 ms).
    key = facts.cache_key(f"xlsx:{table}", f)
    content = page_cache.get_or_set(key, lambda: exports.xlsx_bytes(built, f))
    return exports.xlsx_response(built, f, content)


@monitor_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications behind one figure of the dashboard (same filters), those the viewer
    may open only (``monitoring.access.listed_applications``)."""
    f = Filters.from_params(request.GET)
    figure = request.GET.get("figure", "")
    if figure not in stats.FIGURES:
        raise Http404
    qs = (
        access.listed_applications(request.user, stats.applications_behind(f, figure, request.GET))
        .select_related("service", "sop_version")
        .order_by("-submitted_at", "-id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "monitoring/applications.html",
        {"f": f, "figure": figure, "page": page, "params": params.urlencode()},
    )


def transparency(request: HttpRequest) -> HttpResponse:
    from .transparency import cache_key, cached_rows

    # The table is a fragment rendered once per facts version, day and language
    # (``page_cache``); the rows are read only to render it.
    key = cache_key()
    table = page_cache.get_or_set(
        key and f"{key}:page:{get_language()}",
        lambda: render_to_string(
            "monitoring/_transparency_table.html", {"rows": cached_rows()}, request
        ),
    )
    return render(request, "monitoring/transparency.html", {"table": mark_safe(table)})  # noqa: S308


def transparency_service(request: HttpRequest, code: str) -> HttpResponse:
    from .transparency import cached_rows

    rows = cached_rows(code=code)
    if not rows:
        raise Http404
    return render(request, "monitoring/transparency_service.html", {"row": rows[0]})
