"""The public transparency figures per service: the published SOP and the service standard's
time, the last 90 days' median completion time and on-time rate, and the latest satisfaction
index (IKM). Counts only: no applicant, officer or file is ever named."""

from dataclasses import dataclass
from datetime import date, timedelta

from permits.models import Service
from workflows.durations import Duration, TimeUnit

from . import facts, page_cache, stats
from .filters import today

WINDOW_DAYS = 90
#: The IKM shown is the one of the last six months (a semester of survey answers).
IKM_WINDOW_DAYS = 182


@dataclass(frozen=True)
class TransparencyRow:
    code: str
    name: str
    sector: str
    sop_version_id: int | None
    sop_name: str
    sop_number: str
    service_time: Duration | None
    finished: int
    median_days: float | None
    decided: int
    within: int
    on_time_rate: float | None
    ikm: object | None  # feedback's SkmResult, or None

    @property
    def standard_days(self) -> int | None:
        if self.service_time is None:
            return None
        if self.service_time.unit == TimeUnit.DAYS:
            return self.service_time.value
        if self.service_time.unit == TimeUnit.WEEKS:
            return 5 * self.service_time.value
        return None

    @property
    def within_standard(self) -> bool | None:
        if self.median_days is None or self.standard_days is None:
            return None
        return self.median_days <= self.standard_days


def window(now: date | None = None) -> tuple[date, date]:
    end = now or today()
    return end - timedelta(days=WINDOW_DAYS - 1), end


def ikm_by_service(now: date | None = None) -> dict:
    """The feedback app's IKM per service for the last six months ({} if it has none yet)."""
    try:
        from feedback.stats import ikm_by_service as feedback_ikm
    except ImportError:  # the feedback app without its statistics
        return {}
    end = now or today()
    return feedback_ikm(end - timedelta(days=IKM_WINDOW_DAYS - 1), end)


def service_rows(code: str | None = None, now: date | None = None) -> list[TransparencyRow]:
    services = Service.objects.public().with_published_sop().order_by("sector", "name")
    if code is not None:
        services = services.filter(code=code)
    start, end = window(now)
    figures = stats.service_figures(start, end)
    ikm = ikm_by_service(now)
    rows = []
    for service in services:
        version = service.published_sop
        fig = figures.get(service.pk)
        result = ikm.get(service.pk)
        rows.append(
            TransparencyRow(
                code=service.code,
                name=service.name,
                sector=service.sector,
                sop_version_id=version.pk if version else None,
                sop_name=version.name if version else "",
                sop_number=version.number if version else "",
                service_time=service.service_time,
                finished=fig.finished if fig else 0,
                median_days=fig.median_days if fig else None,
                decided=fig.decided if fig else 0,
                within=fig.within if fig else 0,
                on_time_rate=fig.on_time_rate if fig else None,
                ikm=result if result is not None and getattr(result, "respondents", 0) else None,
            )
        )
    return rows


def cache_key(code: str | None = None, now: date | None = None) -> str | None:
    """The shared cache's key for the figures as they are now: the facts' version (bumped at
    the commit of any change of a figure, a service, a published SOP or a survey answer) and
    the day (the 90-day window moves); None where there are no facts (not cached)."""
    if not facts.enabled():
        return None
    day = (now or today()).isoformat()
    return f"monitoring:transparency:{facts.version()}:{day}:{code or ''}"


def cached_rows(code: str | None = None, now: date | None = None) -> list[TransparencyRow]:
    """``service_rows`` through the caches (``page_cache``: this process, then the shared
    cache): the public page reads them once per version, whoever calls it how often."""
    return page_cache.get_or_set(cache_key(code, now), lambda: service_rows(code, now))
