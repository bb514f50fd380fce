"""The monitoring figures read from the pre-aggregated facts (``monitoring.models``, kept by the
triggers of ``monitoring.facts_sql``): the same results as the raw queries of ``monitoring.stats``
(tests/monitoring/test_facts.py compares both), in a time that depends on the number of days,
services, agencies and steps in the period, not on the number of tasks or applications.

``stats`` calls these when ``enabled()``; the raw queries stay the definition of every figure."""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from .filters import Filters
from .models import AppFact, DurationFact, PauseFact, StepFact

ZERO = timedelta(0)


def enabled() -> bool:
    """Facts exist on PostgreSQL (the triggers); ``MONITORING_FACTS`` turns them off."""
    return settings.MONITORING_FACTS and connection.vendor == "postgresql"


#: The name of the version read along with a request's user (``MonitoringConfig.ready``).
VERSION_ALONG = "facts_version"
VERSION_SQL = "SELECT last_value FROM monitoring_facts_version"


def version() -> int:
    """Bumped at the commit of every change of a fact: the cache key of the figures. On a
    signed-in GET it came with the user's row (``agencies.access.read_along``)."""
    from agencies.access import value_read_along

    along = value_read_along(VERSION_ALONG)
    if along is not None:
        return along
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        return cursor.fetchone()[0]


def cache_key(name: str, f: Filters) -> str | None:
    """The shared cache's key of figures ``name`` under ``f`` as they are now (facts version,
    today's date for the backlog's ages, the language of the labels); None without facts."""
    if not enabled():
        return None
    from django.utils.translation import get_language

    from .filters import today

    return f"monitoring:{name}:{version()}:{today()}:{get_language()}:{f.querystring()}"


def cached(name: str, f: Filters, compute):
    """``compute()`` through the caches (``page_cache``: this process, then the shared cache)
    under ``cache_key(name, f)``."""
    from . import page_cache

    return page_cache.get_or_set(cache_key(name, f), compute)


# --- the fact rows a filter covers --------------------------------------------------------------


def _scoped(qs: QuerySet, f: Filters) -> QuerySet:
    if f.service_id:
        qs = qs.filter(service_id=f.service_id)
    if f.sop_version_id:
        qs = qs.filter(version_id=f.sop_version_id)
    return qs


def _steps(model, f: Filters) -> QuerySet:
    qs = _scoped(model.objects.filter(day__gte=f.start, day__lte=f.end), f)
    return qs.filter(agency_id=f.agency_id) if f.agency_id else qs


def _apps(kind: str, f: Filters, *, period: bool = True) -> QuerySet:
    qs = _scoped(AppFact.objects.filter(kind=kind, agency_id=f.agency_id or 0), f)
    return qs.filter(day__gte=f.start, day__lte=f.end) if period else qs


def _sum(qs: QuerySet, field: str = "n") -> int:
    return qs.aggregate(v=Sum(field))["v"] or 0


STEP_COUNTS = ("ended", "measured", "on_time", "late", "timed")


def _step_counts(qs: QuerySet, *group: str) -> list[dict]:
    """Step counts summed per ``group`` (rows with no ended step left out, as the raw GROUP BY
    has no such group)."""
    rows = qs.values(*group).annotate(**{f"s_{k}": Sum(k) for k in STEP_COUNTS}).order_by()
    out = []
    for r in rows:
        if r["s_ended"]:
            out.append({**{g: r[g] for g in group}, **{k: r[f"s_{k}"] for k in STEP_COUNTS}})
    return out


# --- the figures --------------------------------------------------------------------------------


def summary(f: Filters):
    from .stats import Summary

    steps = _steps(StepFact, f).aggregate(**{k: Sum(k) for k in ("measured", "on_time", "late")})
    return Summary(
        received=_sum(_apps("received", f)),
        completed=_sum(_apps("completed", f)),
        in_progress=_sum(_apps("open", f, period=False).filter(day__lte=f.end)),
        steps_measured=steps["measured"] or 0,
        steps_on_time=steps["on_time"] or 0,
        steps_late=steps["late"] or 0,
    )


def _decided(f: Filters) -> dict[int, dict]:
    decided = defaultdict(lambda: {"decided": 0, "within": 0})
    for kind in ("decided", "within"):
        for r in _apps(kind, f).values("service_id").annotate(v=Sum("n")).order_by():
            decided[r["service_id"]][kind] = r["v"]
    return {k: v for k, v in decided.items() if v["decided"] or v["within"]}


def by_service(f: Filters):
    from permits.models import Service

    from .stats import service_rows

    counts = {r["service_id"]: r for r in _step_counts(_steps(StepFact, f), "service_id")}
    decided = _decided(f)
    names = dict(
        Service.objects.filter(pk__in=set(counts) | set(decided)).values_list("pk", "name")
    )
    return service_rows(names, counts, decided)


def by_agency(f: Filters):
    from agencies.models import Agency

    from .stats import OnTimeRow

    rows = _step_counts(_steps(StepFact, f), "agency_id")
    names = dict(
        Agency.objects.filter(pk__in=[r["agency_id"] for r in rows]).values_list("pk", "name")
    )
    out = [
        OnTimeRow(
            r["agency_id"] or None,
            names.get(r["agency_id"]) or "—",
            r["measured"],
            r["on_time"],
            r["late"],
        )
        for r in rows
    ]
    # As the raw query: by agency name, steps without an agency last.
    out.sort(key=lambda r: (r.key is None, names.get(r.key or 0, "")))
    return out


def weighted_percentile(pairs: list[tuple[int, int]], fraction: float) -> timedelta | None:
    """``percentile_cont`` over values given as sorted (seconds, count) pairs: the same linear
    interpolation between the two values around ``fraction × (n − 1)``."""
    total = sum(n for _v, n in pairs)
    if not total:
        return None
    position = fraction * (total - 1)
    low = int(position)
    high = min(low + 1, total - 1)
    values, seen = {}, 0
    for value, n in pairs:
        for rank in (low, high):
            if rank not in values and seen <= rank < seen + n:
                values[rank] = value
        seen += n
        if high in values:
            break
    return timedelta(seconds=values[low] + (values[high] - values[low]) * (position - low))


def step_rows(f: Filters) -> list[dict]:
    """Per step id: the counts of ``stats.by_step`` with the median and P90 office time."""
    rows = _step_counts(_steps(StepFact, f), "step_id")
    histogram = defaultdict(list)
    for step_id, seconds, n in (
        _steps(DurationFact, f)
        .values("step_id", "seconds")
        .annotate(n=Sum("n"))
        .filter(n__gt=0)
        .order_by("step_id", "seconds")
        .values_list("step_id", "seconds", "n")
    ):
        histogram[step_id].append((seconds, n))
    for r in rows:
        pairs = histogram.get(r["step_id"], [])
        r["median"] = weighted_percentile(pairs, 0.5)
        r["p90"] = weighted_percentile(pairs, 0.9)
    return rows


def backlog_counts(f: Filters, buckets) -> dict[str, int]:
    """``s<i>``/``c<i>``: open applications per bucket by the day submitted / declared complete."""
    qs = _apps("open", f, period=False)
    by_submitted = dict(qs.values("day").annotate(v=Sum("n")).order_by().values_list("day", "v"))
    by_complete = dict(
        qs.filter(day2__isnull=False)
        .values("day2")
        .annotate(v=Sum("n"))
        .order_by()
        .values_list("day2", "v")
    )

    def within(counts: dict[date, int], first, last) -> int:
        return sum(n for d, n in counts.items() if (first is None or d >= first) and d <= last)

    out = {}
    for i, (_low, _high, first, last) in enumerate(buckets):
        out[f"s{i}"] = within(by_submitted, first, last)
        out[f"c{i}"] = within(by_complete, first, last)
    return out


def pauses(f: Filters):
    from .stats import APPLICANT_TIME, PauseRow

    rows = [
        PauseRow(r["reason"], r["s"], r["p"])
        for r in _steps(PauseFact, f)
        .values("reason")
        .annotate(s=Sum("steps"), p=Sum("paused"))
        .order_by("reason")
        if r["s"]
    ]
    # As the raw query: by reason, the steps with no pause event (no reason) last.
    rows.sort(key=lambda r: (r.reason == "", r.reason))
    applicant = _apps("applicant_pause", f).aggregate(s=Sum("n"), p=Sum("total"))
    if applicant["s"]:
        rows.append(PauseRow(APPLICANT_TIME, applicant["s"], applicant["p"]))
    return rows


def trend(f: Filters):
    from .stats import MonthRow, months

    def per_month(qs: QuerySet, **sums) -> dict:
        return {
            r["m"]: r
            for r in qs.annotate(m=TruncMonth("day")).values("m").annotate(**sums).order_by()
        }

    received = per_month(_apps("received", f), v=Sum("n"))
    completed = per_month(_apps("completed", f), v=Sum("n"))
    steps = per_month(_steps(StepFact, f), s_measured=Sum("measured"), s_on_time=Sum("on_time"))
    empty = {"v": 0, "s_measured": 0, "s_on_time": 0}
    return [
        MonthRow(
            m,
            received.get(m, empty)["v"],
            completed.get(m, empty)["v"],
            steps.get(m, empty)["s_measured"],
            steps.get(m, empty)["s_on_time"],
        )
        for m in months(f)
    ]


def service_figures(start: date, end: date):
    """``stats.service_figures`` from the facts (all agencies)."""
    from workflows import calendar

    from .stats import ServiceFigures, weighted_median, working_days_after

    f = Filters(start=start, end=end)
    cal = calendar.current()
    pairs: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for service_id, d1, d0, n in (
        _apps("finished", f)
        .values("service_id", "day", "day2")
        .annotate(v=Sum("n"))
        .filter(v__gt=0)
        .order_by()
        .values_list("service_id", "day", "day2", "v")
    ):
        pairs[service_id].append((working_days_after(d0, d1, cal), n))
    decided = _decided(f)
    return {
        service_id: ServiceFigures(
            service_id,
            sum(n for _v, n in pairs.get(service_id, [])),
            weighted_median(pairs.get(service_id, [])),
            decided.get(service_id, {}).get("decided", 0),
            decided.get(service_id, {}).get("within", 0),
        )
        for service_id in set(pairs) | set(decided)
    }


def finished_by_service(start: date, end: date, service_ids=None) -> dict[int, int]:
    """Files finished (completed, rejected or issued) between ``start`` and ``end`` (WITA
    days) per service: the population of the satisfaction survey (``feedback.stats``)."""
    qs = AppFact.objects.filter(kind="skm_finished", agency_id=0, day__gte=start, day__lte=end)
    if service_ids is not None:
        qs = qs.filter(service_id__in=list(service_ids))
    rows = qs.values("service_id").annotate(v=Sum("n")).order_by()
    return {r["service_id"]: r["v"] for r in rows if r["v"]}
