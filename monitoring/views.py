"""Pages of the monitoring app: the performance dashboard with its exports and click-through
list (heads, the complaints and reporting unit, administrators; a 404 for everyone else), and
the public transparency pages. Thin callers of ``stats``, ``tables`` and ``assessment``."""

from datetime import date
from functools import cache, wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format

from agencies.models import Agency
from permits.models import Service
from workflows.models import SopVersion

from . import access, charts, exports, facts, stats, tables
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
    # The figures are one cached fragment of the page (per facts version, day, language and
    # filters; every monitor sees the same figures): the tables and charts are computed only
    # when the template needs them. Callables, not lazy objects: anything that inspects the
    # context (base.html's error summary does ``isinstance`` on every value) would force a
    # lazy object and compute the figures on every request, cached or not.
    all_tables = cache(lambda: tables.dashboard(f))
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "f": f,
            "tables": all_tables,
            "charts": cache(lambda: _charts(all_tables())),
            "figures_key": facts.cache_key("dashboard", f),
            "cache_seconds": _cache_seconds(),
            "query": f.querystring(),
            "threshold": f"{threshold():g}",
            **_choices(f),
        },
    )


@monitor_required
def export(request: HttpRequest) -> HttpResponse:
    """One table as CSV or XLSX (``?tabel=steps&format=xlsx`` plus the dashboard's filters)."""
    table, fmt = request.GET.get("tabel", ""), request.GET.get("format", "")
    if table not in tables.BUILDERS or fmt not in ("csv", "xlsx"):
        raise Http404
    f = Filters.from_params(request.GET)
    built = tables.build(table, f)
    return (exports.csv_response if fmt == "csv" else exports.xlsx_response)(built, f)


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

    # The table is a cached fragment (per facts version and language); the rows are read only
    # when it is not in the cache (the template calls ``rows``).
    return render(
        request,
        "monitoring/transparency.html",
        {"rows": cached_rows, "table_key": cache_key(), "cache_seconds": _cache_seconds()},
    )


def _cache_seconds() -> int:
    from django.conf import settings

    return settings.MONITORING_CACHE_SECONDS


def transparency_service(request: HttpRequest, code: str) -> HttpResponse:
    from .transparency import cached_rows

    rows = cached_rows(code=code)
    if not rows:
        raise Http404
    return render(request, "monitoring/transparency_service.html", {"row": rows[0]})
