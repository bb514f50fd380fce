"""The dashboard's tables, built from ``monitoring.stats``: one definition per table (columns,
rows, and the click-through of each figure) shared by the page, the CSV/XLSX exports and the
API, so the three always show the same numbers."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from workflows.models import PauseReason

from . import stats
from .filters import Filters

TEXT, INT, NUMBER, PERCENT, HOURS = "text", "int", "number", "percent", "hours"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = INT


@dataclass
class Row:
    values: dict
    #: column key -> click-through parameters (``figure`` plus the row's key)
    links: dict = field(default_factory=dict)

    def cells(self, columns) -> list[tuple[Column, object, dict | None]]:
        return [(c, self.values.get(c.key), self.links.get(c.key)) for c in columns]


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[Row]
    note: str = ""

    @property
    def body(self) -> list[list[tuple[Column, object, dict | None]]]:
        """Rows of (column, value, click-through) for the page."""
        return [r.cells(self.columns) for r in self.rows]

    def matrix(self) -> list[list]:
        """Header and rows as plain values (for CSV and XLSX)."""
        return [[str(c.label) for c in self.columns]] + [
            [r.values.get(c.key) for c in self.columns] for r in self.rows
        ]


SUMMARY_COLUMNS = [Column("figure", _("Figure"), TEXT), Column("value", _("Value"), NUMBER)]
ON_TIME_COLUMNS = [
    Column("measured", _("Steps with a norm")),
    Column("on_time", _("On time")),
    Column("late", _("Late")),
    Column("rate", _("On-time rate (%)"), PERCENT),
]
SERVICE_COLUMNS = [
    Column("service", _("Service"), TEXT),
    *ON_TIME_COLUMNS,
    Column("decided", _("Applications decided")),
    Column("within", _("Within the service time")),
    Column("within_rate", _("Within the service time (%)"), PERCENT),
]
AGENCY_COLUMNS = [Column("agency", _("Agency"), TEXT), *ON_TIME_COLUMNS]
STEP_COLUMNS = [
    Column("service", _("Service"), TEXT),
    Column("version", _("SOP version")),
    Column("no", _("No.")),
    Column("step", _("Step"), TEXT),
    Column("norm", _("Time norm"), TEXT),
    Column("norm_hours", _("Norm (office hours)"), HOURS),
    *ON_TIME_COLUMNS,
    Column("median", _("Median (office hours)"), HOURS),
    Column("p90", _("P90 (office hours)"), HOURS),
    Column("over_norm", _("P90 above the norm"), TEXT),
]
BOTTLENECK_COLUMNS = [
    Column("service", _("Service"), TEXT),
    Column("no", _("No.")),
    Column("step", _("Step"), TEXT),
    Column("late", _("Late")),
    Column("measured", _("Steps with a norm")),
    Column("late_share", _("Late (%)"), PERCENT),
]
BACKLOG_COLUMNS = [
    Column("age", _("Age in working days"), TEXT),
    Column("since_submitted", _("Open, counted from submission")),
    Column("since_complete", _("Open, counted from the file declared complete")),
]
PAUSE_COLUMNS = [
    Column("reason", _("Reason"), TEXT),
    Column("steps", _("Steps paused")),
    Column("paused", _("Office hours paused"), HOURS),
    Column("mean", _("Mean per step (office hours)"), HOURS),
]
TREND_COLUMNS = [
    Column("month", _("Month"), TEXT),
    Column("received", _("Received")),
    Column("completed", _("Completed")),
    Column("measured", _("Office steps with a norm")),
    Column("rate", _("On-time rate (%)"), PERCENT),
]


def _link(figure: str, **params) -> dict:
    return {"figure": figure, **{k: v for k, v in params.items() if v is not None}}


def summary_table(f: Filters, s: stats.Summary | None = None) -> Table:
    s = s or stats.summary(f)
    rows = [
        Row(
            {"figure": _("Applications received"), "value": s.received},
            {"value": _link("received")},
        ),
        Row(
            {"figure": _("Applications completed"), "value": s.completed},
            {"value": _link("completed")},
        ),
        Row(
            {"figure": _("Applications in progress (now)"), "value": s.in_progress},
            {"value": _link("in_progress")},
        ),
        Row(
            {"figure": _("Office steps ended with a time norm"), "value": s.steps_measured},
            {"value": _link("steps")},
        ),
        Row(
            {"figure": _("Office steps on time"), "value": s.steps_on_time},
            {"value": _link("on_time_steps")},
        ),
        Row(
            {"figure": _("Office steps late"), "value": s.steps_late},
            {"value": _link("late_steps")},
        ),
        Row({"figure": _("On-time rate of office steps (%)"), "value": s.on_time_rate}),
    ]
    return Table(
        "summary",
        _("Summary"),
        SUMMARY_COLUMNS,
        rows,
    )


def _on_time_values(row: stats.OnTimeRow) -> dict:
    return {
        "measured": row.measured,
        "on_time": row.on_time,
        "late": row.late,
        "rate": row.on_time_rate,
    }


def services_table(f: Filters) -> Table:
    rows = []
    for r in stats.by_service(f):
        narrowed = {"service": r.key}
        rows.append(
            Row(
                {
                    "service": r.label,
                    **_on_time_values(r),
                    "decided": r.extra["decided"],
                    "within": r.extra["within"],
                    "within_rate": r.extra["within_rate"],
                },
                {
                    "measured": _link("steps", **narrowed),
                    "on_time": _link("on_time_steps", **narrowed),
                    "late": _link("late_steps", **narrowed),
                    "decided": _link("decided", **narrowed),
                },
            )
        )
    return Table(
        "services",
        _("On time per service"),
        SERVICE_COLUMNS,
        rows,
        _(
            "Steps: office steps that ended in the period. Decided: applications whose service "
            "clock (from the file declared complete) stopped at the decision in the period."
        ),
    )


def agencies_table(f: Filters) -> Table:
    rows = [
        Row(
            {"agency": r.label, **_on_time_values(r)},
            {
                "measured": _link("steps", agency=r.key),
                "on_time": _link("on_time_steps", agency=r.key),
                "late": _link("late_steps", agency=r.key),
            },
        )
        for r in stats.by_agency(f)
    ]
    return Table(
        "agencies",
        _("On time per agency"),
        AGENCY_COLUMNS,
        rows,
    )


def _step_values(r: stats.StepRow) -> dict:
    return {
        "service": r.service,
        "version": r.version,
        "no": r.no,
        "step": r.label,
        "norm": str(r.norm) if r.norm else "",
        "norm_hours": stats.hours(r.norm_time),
        **_on_time_values(r),
        "median": stats.hours(r.median),
        "p90": stats.hours(r.p90),
        "over_norm": _("yes") if r.over_norm else "",
    }


def steps_table(f: Filters, steps: list[stats.StepRow] | None = None) -> Table:
    steps = stats.by_step(f) if steps is None else steps
    rows = [
        Row(
            _step_values(r),
            {
                "measured": _link("steps", step=r.key),
                "on_time": _link("on_time_steps", step=r.key),
                "late": _link("late_steps", step=r.key),
            },
        )
        for r in steps
    ]
    return Table(
        "steps",
        _("Steps: on time and duration against the norm"),
        STEP_COLUMNS,
        rows,
        _(
            "Durations are office time with pauses left out, in office hours; a norm in working "
            "days counts one working day as %(hours)s office hours."
        )
        % {"hours": stats.hours(stats.working_day_length())},
    )


def bottlenecks_table(f: Filters, steps: list[stats.StepRow] | None = None) -> Table:
    rows = [
        Row(
            {
                "service": r.service,
                "no": r.no,
                "step": r.label,
                "late": r.late,
                "measured": r.measured,
                "late_share": stats.rate(r.late, r.measured),
            },
            {"late": _link("late_steps", step=r.key), "measured": _link("steps", step=r.key)},
        )
        for r in stats.bottlenecks(f, steps=steps)
    ]
    return Table(
        "bottlenecks",
        _("Bottlenecks: the steps most often late"),
        BOTTLENECK_COLUMNS,
        rows,
    )


def backlog_table(f: Filters, now: date | None = None) -> Table:
    rows = [
        Row(
            {
                "age": r.label,
                "since_submitted": r.since_submitted,
                "since_complete": r.since_complete,
            },
            {
                "since_submitted": _link("backlog_submitted", bucket=i),
                "since_complete": _link("backlog_complete", bucket=i),
            },
        )
        for i, r in enumerate(stats.backlog(f, now))
    ]
    return Table(
        "backlog",
        _("Backlog by age (working days)"),
        BACKLOG_COLUMNS,
        rows,
        _("Applications open now; the period filter does not apply."),
    )


def _reason_label(reason: str) -> str:
    if reason == stats.APPLICANT_TIME:
        return str(_("Applicant's own steps (correcting the file)"))
    if reason in PauseReason.values:
        return str(PauseReason(reason).label)
    return str(_("Other"))


def pauses_table(f: Filters) -> Table:
    rows = [
        Row(
            {
                "reason": _reason_label(r.reason),
                "steps": r.steps,
                "paused": stats.hours(r.paused),
                "mean": stats.hours(r.mean),
            },
            {"steps": _link("paused", reason=r.reason)},
        )
        for r in stats.pauses(f)
    ]
    return Table(
        "pauses",
        _("Time paused and why"),
        PAUSE_COLUMNS,
        rows,
        _(
            "Steps that ended in the period, by the reason of their first pause. Paused time does "
            "not count against the office; applicant steps are shown apart."
        ),
    )


def trend_table(f: Filters) -> Table:
    rows = []
    for r in stats.trend(f):
        month = r.month.strftime("%Y-%m")
        rows.append(
            Row(
                {
                    "month": date_format(r.month, "F Y"),
                    "received": r.received,
                    "completed": r.completed,
                    "measured": r.measured,
                    "rate": r.on_time_rate,
                },
                {
                    "received": _link("received", month=month),
                    "completed": _link("completed", month=month),
                    "measured": _link("steps", month=month),
                },
            )
        )
    return Table(
        "trend",
        _("Monthly trend"),
        TREND_COLUMNS,
        rows,
    )


FEEDBACK_COLUMNS = [Column("figure", _("Figure"), TEXT), Column("value", _("Value"), TEXT)]


def complaints_table(f: Filters) -> Table:
    """Complaints (*pengaduan*) received in the period, from ``feedback.stats``."""
    from feedback.models import Complaint
    from feedback.stats import complaint_figures

    c = complaint_figures(f.start, f.end, service_id=f.service_id, agency_id=f.agency_id)
    rows = [
        (_("Complaints received"), c.received),
        (_("Resolved (answered or closed)"), c.resolved),
        (_("Open"), c.open),
        (_("Open past the response time"), c.overdue),
        (_("Answered within the response time"), c.resolved_on_time),
        (_("Answered within the response time (%)"), stats.rate(c.resolved_on_time, c.resolved)),
        *(
            (_("Status: %(status)s") % {"status": Complaint.Status(key).label}, n)
            for key, n in c.by_status.items()
        ),
    ]
    return Table(
        "complaints",
        _("Complaints"),
        FEEDBACK_COLUMNS,
        [Row({"figure": label, "value": value}) for label, value in rows],
        _("Complaints received in the period and what became of them (as of now)."),
    )


def _four_places(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def skm_table(f: Filters) -> Table:
    """The satisfaction survey (*Survei Kepuasan Masyarakat*, SKM) of the period."""
    from feedback.stats import ikm

    r = ikm(f.start, f.end, service_id=f.service_id, agency_id=f.agency_id)
    grade = f"{r.grade} ({r.grade_label})" if r.grade else None
    rows = [
        (_("Respondents"), r.respondents),
        (_("Required sample"), r.required_sample),
        (_("Satisfaction index (IKM, 1–4)"), _four_places(r.ikm)),
        (_("Converted score (×25)"), str(r.converted) if r.converted is not None else None),
        (_("Grade"), grade),
    ]
    return Table(
        "skm",
        _("Community satisfaction survey (SKM)"),
        FEEDBACK_COLUMNS,
        [Row({"figure": label, "value": value}) for label, value in rows],
        _("Responses given in the period (Permenpan RB 14/2017); the SKM pages show the details."),
    )


COLUMNS = {
    "summary": SUMMARY_COLUMNS,
    "services": SERVICE_COLUMNS,
    "agencies": AGENCY_COLUMNS,
    "steps": STEP_COLUMNS,
    "bottlenecks": BOTTLENECK_COLUMNS,
    "backlog": BACKLOG_COLUMNS,
    "pauses": PAUSE_COLUMNS,
    "trend": TREND_COLUMNS,
    "complaints": FEEDBACK_COLUMNS,
    "skm": FEEDBACK_COLUMNS,
}

BUILDERS = {
    "summary": summary_table,
    "services": services_table,
    "agencies": agencies_table,
    "steps": steps_table,
    "bottlenecks": bottlenecks_table,
    "backlog": backlog_table,
    "pauses": pauses_table,
    "trend": trend_table,
    "complaints": complaints_table,
    "skm": skm_table,
}


def build(name: str, f: Filters) -> Table:
    """One table, through the shared cache while its figures do not change (``facts.cached``)."""
    from . import facts

    return facts.cached(f"table:{name}", f, lambda: BUILDERS[name](f))


def dashboard(f: Filters) -> dict[str, Table]:
    """Every table of the dashboard (the steps are computed once for two tables)."""
    steps = stats.by_step(f)
    return {
        "summary": summary_table(f),
        "trend": trend_table(f),
        "services": services_table(f),
        "agencies": agencies_table(f),
        "steps": steps_table(f, steps),
        "bottlenecks": bottlenecks_table(f, steps),
        "backlog": backlog_table(f),
        "pauses": pauses_table(f),
        "complaints": complaints_table(f),
        "skm": skm_table(f),
    }
