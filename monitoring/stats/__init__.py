"""Every performance figure of the SOP monitoring, defined once: the dashboard, its exports, the
API, the Tabel 7 pre-fill and the transparency page all call these functions.

Rules the figures follow (stated on the dashboard too):

* An application is *received* when submitted in the period, *completed* when it finished its
  SOP in the period (withdrawn files are not completions), *in progress* when it is still open
  now (submitted before the period ended).
* A step counts for on-time rates when it ended (``done``) in the period, has a time norm
  (``due_at``) and is an office step: the applicant's own steps (role ``applicant``) are their
  time, not the office's, and are left out (their waiting time shows under pauses).
  On time means ``completed_at <= due_at``; ``due_at`` already moved by every pause
  (``workflows.clocks.resumed``).
* Durations are the office time a step took with pauses left out (``Task.office_time``, measured
  by ``workflows.clocks.measure``), in office hours; a norm in working days is compared as that
  many working days of the calendar's Monday office hours.

All aggregation happens in SQL with a fixed number of queries whatever the data size;
percentiles use PostgreSQL's ``percentile_cont`` with a Python fallback elsewhere (SQLite in
development).

The package is split by sub-domain: ``base`` (the rows counted, rules, rates, percentiles),
``steps`` (summary and on-time figures), ``backlog``, ``pauses``, ``trend``, ``drilldown``
(the applications behind a figure) and ``service_level`` (transparency and Tabel 7); every
name stays importable from ``monitoring.stats``."""

# Names the single module before this package also offered (kept for its callers).
from datetime import date, datetime, timedelta  # noqa: F401

from workflows.durations import Duration, TimeUnit  # noqa: F401

from .. import facts  # noqa: F401
from ..filters import Filters, start_of, today  # noqa: F401
from .backlog import (  # noqa: F401
    BACKLOG_BUCKETS,
    BacklogRow,
    backlog,
    bucket_days,
)
from .base import (  # noqa: F401
    CLOCK_START,
    FINISHED_EXCLUDED,
    HOUR,
    LATE,
    MEASURED,
    ON_TIME,
    Percentile,
    _completed,
    _day_range,
    _in_progress,
    _received,
    _sql_percentiles,
    _step_counts,
    applications,
    ended_tasks,
    hours,
    norm_office_time,
    open_applications,
    percentile,
    rate,
    working_day_length,
)
from .drilldown import (  # noqa: F401
    FIGURES,
    _month,
    _month_filters,
    _pk,
    applications_behind,
)
from .pauses import (  # noqa: F401
    APPLICANT_TIME,
    PauseRow,
    pauses,
)
from .service_level import (  # noqa: F401
    ServiceFigures,
    service_figures,
    weighted_median,
    working_days_after,
)
from .steps import (  # noqa: F401
    STEP_FIELDS,
    OnTimeRow,
    StepRow,
    Summary,
    bottlenecks,
    by_agency,
    by_service,
    by_step,
    service_rows,
    summary,
)
from .trend import (  # noqa: F401
    MonthRow,
    months,
    trend,
)
