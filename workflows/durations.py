"""Time norms with an explicit unit. ``days`` are working days and ``weeks`` five working days;
``minutes`` and ``hours`` are office time. A day is never 24 hours: deadline arithmetic belongs
to the working calendar, not here."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class TimeUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("working days")
    WEEKS = "weeks", _("weeks")


@dataclass(frozen=True)
class Duration:
    value: int
    unit: str

    def __str__(self) -> str:
        n = self.value
        if self.unit == TimeUnit.MINUTES:
            return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
        if self.unit == TimeUnit.HOURS:
            return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
        if self.unit == TimeUnit.DAYS:
            return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
        return ngettext("%(n)d week", "%(n)d weeks", n) % {"n": n}

    def as_dict(self) -> dict:
        return {"value": self.value, "unit": str(self.unit)}


# --- the service time of an SOP ------------------------------------------------------------

# Permenpan RB 35/2012 (Lampiran, Bab III, kolom "Mutu Baku – Waktu"): the time norm of each
# activity; the SOP's total is the time the *office* needs to deliver the service, which the
# service standard (Permenpan RB 15/2014, komponen "jangka waktu penyelesaian") promises.
# The applicant's own time (filling in, correcting, coming to collect) is not the office's and
# is shown apart; of two alternative branches only one is walked, so the longer counts; a loop
# back (a file returned for completion) counts once.


def office_day_minutes() -> int:
    """Office minutes of the shortest working day of the office's week (7½ hours by default):
    hours fold into working days by this, so a folded total never promises more than a day
    holds."""
    from .calendar import DEFAULT_HOURS

    def minutes(intervals) -> int:
        return sum((e.hour * 60 + e.minute) - (s.hour * 60 + s.minute) for s, e in intervals)

    days = [minutes(v) for v in DEFAULT_HOURS.values() if v]
    return min(days) if days else 8 * 60


def office_minutes_of(duration: Duration | None, day: int) -> int:
    if duration is None or not duration.value:
        return 0
    per = {TimeUnit.MINUTES: 1, TimeUnit.HOURS: 60, TimeUnit.DAYS: day, TimeUnit.WEEKS: 5 * day}
    return duration.value * per.get(duration.unit, 0)


def fold(minutes: int, day: int | None = None) -> list[Duration]:
    """Office minutes as working days + hours + minutes, largest first, zeros left out."""
    day = day or office_day_minutes()
    days, rest = divmod(minutes, day)
    hours, rest = divmod(rest, 60)
    parts = [(days, TimeUnit.DAYS), (hours, TimeUnit.HOURS), (rest, TimeUnit.MINUTES)]
    return [Duration(v, u) for v, u in parts if v]


@dataclass(frozen=True)
class TimedStep:
    """What the service time needs of a step."""

    no: int
    exits: tuple[int, ...]
    duration: Duration | None
    applicant: bool  # the applicant's own step: not office time


@dataclass(frozen=True)
class ServiceTime:
    office: list[Duration]  # the longest path of office steps, folded
    applicant: list[Duration]  # the applicant's steps on that path
    office_minutes: int
    path: tuple[int, ...]

    def exceeds(self, standard: Duration | None, day: int | None = None) -> bool:
        """Whether the office time is longer than the service standard promises."""
        if standard is None:
            return False
        return self.office_minutes > office_minutes_of(standard, day or office_day_minutes())


def service_time(steps: list[TimedStep], day: int | None = None) -> ServiceTime:
    """The longest path of office time from the first step to an end, over the steps' exits
    going forward (a jump back is a loop: its steps are already on the path once)."""
    day = day or office_day_minutes()
    by_no = {s.no: s for s in steps}
    ordered = sorted(by_no)
    best: dict[int, tuple[int, tuple[int, ...]]] = {}
    for no in reversed(ordered):  # exits go forward, so later steps are done first
        step = by_no[no]
        own = 0 if step.applicant else office_minutes_of(step.duration, day)
        tails = [best[e] for e in step.exits if e in best and e > no]
        tail = max(tails, default=(0, ()), key=lambda t: (t[0], len(t[1])))
        best[no] = (own + tail[0], (no, *tail[1]))
    if not ordered:
        return ServiceTime([], [], 0, ())
    total, path = best[ordered[0]]
    applicant = sum(office_minutes_of(by_no[n].duration, day) for n in path if by_no[n].applicant)
    return ServiceTime(fold(total, day), fold(applicant, day), total, path)
