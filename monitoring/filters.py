"""The filter every monitoring figure is computed over: a period of whole days in WITA, and
optionally one service, one agency and one SOP version."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.utils import timezone

from workflows.calendar import ZONE

#: The default period: this month and the five before it (one semester of monitoring).
DEFAULT_MONTHS = 6


def start_of(day: date) -> datetime:
    """Midnight WITA opening ``day``, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=ZONE)


def today() -> date:
    return timezone.now().astimezone(ZONE).date()


def _month_back(day: date, months: int) -> date:
    year, month = day.year, day.month - months
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    """Period ``start``..``end`` (both days included, WITA) and optional service, agency and SOP
    version ids."""

    start: date
    end: date
    service_id: int | None = None
    agency_id: int | None = None
    sop_version_id: int | None = None

    @property
    def start_at(self) -> datetime:
        return start_of(self.start)

    @property
    def end_at(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return start_of(self.end + timedelta(days=1))

    @classmethod
    def from_params(cls, params, now: date | None = None) -> "Filters":
        """From a query string (``from``, ``to``, ``service``, ``agency``, ``version``); bad or
        missing values fall back to the default period and no restriction."""
        now = now or today()
        end = _date(params.get("to")) or now
        start = _date(params.get("from")) or _month_back(end, DEFAULT_MONTHS - 1)
        if start > end:
            start, end = end, start
        return cls(
            start=start,
            end=end,
            service_id=_int(params.get("service")),
            agency_id=_int(params.get("agency")),
            sop_version_id=_int(params.get("version")),
        )

    def params(self) -> dict[str, str]:
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for key, value in (
            ("service", self.service_id),
            ("agency", self.agency_id),
            ("version", self.sop_version_id),
        ):
            if value:
                out[key] = str(value)
        return out

    def querystring(self, **extra) -> str:
        return urlencode({**self.params(), **{k: v for k, v in extra.items() if v is not None}})

    def narrowed(self, **changes) -> "Filters":
        return replace(self, **changes)
