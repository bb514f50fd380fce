"""The working calendar's settings (office hours, per-year switches, dated exceptions) and the
clock marks of running steps (when each warning falls due, and whether it went out)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .tasks import Task


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OfficeHours(models.Model):
    """The office's hours on one weekday, with an optional midday break. A weekday without a
    row uses the built-in default (Mon–Thu 07:30–16:00, Fri 07:30–16:30, weekend closed)."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, unique=True)
    is_open = models.BooleanField(_("open"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    break_starts = models.TimeField(_("break starts"), null=True, blank=True)
    break_ends = models.TimeField(_("break ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["weekday"]

    def __str__(self) -> str:
        return str(Weekday(self.weekday).label)

    def clean(self) -> None:
        if not self.is_open:
            return
        if not (self.opens and self.closes and self.opens < self.closes):
            raise ValidationError(_("An open day needs an opening time before its closing time."))
        if bool(self.break_starts) != bool(self.break_ends):
            raise ValidationError(_("Give both ends of the break, or neither."))
        if self.break_starts and not (
            self.opens < self.break_starts < self.break_ends < self.closes
        ):
            raise ValidationError(_("The break must lie within the office hours."))


class CalendarYear(models.Model):
    """Per-year settings: whether *cuti bersama* (collective leave) closes the office. A year
    without a row: it does."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    cuti_bersama_closes = models.BooleanField(
        _("cuti bersama closes the office"),
        default=True,
        help_text=_("Public services may stay open on collective leave days."),
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarException(models.Model):
    """A date that overrides the holiday library: an extra closure, or an extra working day
    (e.g. when the government moves a holiday)."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Office closed")
        OPEN = "open", _("Office open")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ClockWarning(models.Model):
    """A warning of one task's clock (one per task and kind; a task is one step in one cycle):
    the instant it falls due and, once the sweep sent it, when. Unsent marks move with the
    deadline when the clock pauses or the calendar changes."""

    class Kind(models.TextChoices):
        DUE_SOON_1 = "soon_1", _("Due soon (first warning)")
        DUE_SOON_2 = "soon_2", _("Due soon (second warning)")
        OVERDUE = "overdue", _("Overdue")

    # No index of its own: the unique (task, kind) constraint below serves lookups by task.
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="clock_warnings",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("falls due"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock warning")
        verbose_name_plural = _("clock warnings")
        constraints = [
            models.UniqueConstraint(fields=["task", "kind"], name="clock_warning_once_per_task")
        ]
        indexes = [
            models.Index(fields=["at"], condition=Q(sent_at__isnull=True), name="clock_unsent_at")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class ServiceClock(models.Model):
    """The whole application's service time (the service standard), counted from the moment
    the file was declared complete; applicant time pushes it. Flagged ``late`` once by the
    sweep when it passes without a decision; ``deemed_approved_at`` where the service's policy
    grants the application then (*fiktif positif*)."""

    application = models.OneToOneField(
        "permits.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="service_clock",
    )
    started_at = models.DateTimeField(_("declared complete"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    late_at = models.DateTimeField(_("flagged late"), null=True, blank=True)
    deemed_approved_at = models.DateTimeField(_("deemed approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("service clock")
        verbose_name_plural = _("service clocks")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(decided_at__isnull=True, late_at__isnull=True),
                name="service_clock_running_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.due_at}"
