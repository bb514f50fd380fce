"""Tasks and their events: the steps of one application in the hands of their performers, and
the time each step started, paused, resumed and ended."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sop import PerformerRole, SopStep


class TaskQuerySet(models.QuerySet):
    """Tasks; who may see and act on them is :mod:`workflows.access` (these methods are its
    queryset face)."""

    def open(self):
        return self.filter(status=Task.Status.OPEN)

    def visible_to(self, user):
        """See :func:`workflows.access.tasks_visible_to`."""
        from ..access import tasks_visible_to

        return tasks_visible_to(user, self)

    def actionable_by(self, user, *, as_applicant: bool = True):
        """See :func:`workflows.access.tasks_actionable_by`."""
        from ..access import tasks_actionable_by

        return tasks_actionable_by(user, self, as_applicant=as_applicant)


class PauseReason(models.TextChoices):
    """Why a clock stopped (time the office does not answer for)."""

    APPLICANT_CORRECTION = "applicant_correction", _("Waiting for the applicant's correction")
    EXTERNAL_WAIT = "external_wait", _("Waiting for an external event")
    #: The bill is open and the applicant has not paid yet: their time, not the office's.
    APPLICANT_PAYMENT = "applicant_payment", _("Waiting for the applicant's payment")


class Task(models.Model):
    """One step of one application in the hands of its performer (one per technical agency for
    a ``*technical*`` step). Created and moved only by the engine's transition functions."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(
        "permits.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    step = models.ForeignKey(
        SopStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="tasks"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    role = models.CharField(_("role"), max_length=30, choices=PerformerRole.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(
        _("cycle"), default=1, help_text=_("How many times the application reached this step.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    opened_at = models.DateTimeField(_("opened"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    pause_reason = models.CharField(
        _("pause reason"), max_length=30, choices=PauseReason.choices, blank=True
    )
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Measured once when the step ends (``clocks.measure``), so reports add up stored figures
    # instead of replaying the calendar over every task.
    office_time = models.DurationField(
        _("office time taken"),
        null=True,
        blank=True,
        help_text=_("Office time from start to end, pauses left out."),
    )
    paused_time = models.DurationField(
        _("office time paused"),
        null=True,
        blank=True,
        help_text=_("Office time the step spent paused (waiting on the applicant or outside)."),
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["application", "step", "cycle"]),
            # The inboxes: one agency's open tasks of one role, in due-date order.
            models.Index(
                fields=["agency", "role", "due_at"],
                condition=Q(status="open"),
                name="task_open_queue",
            ),
            # The OPD's rule on files (``permits.access``: a task of one of its agencies),
            # read as one set of application ids from this index alone.
            models.Index(fields=["agency", "application"], name="task_agency_application"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.step}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class StepEvent(models.Model):
    """A moment in the life of a step: it started, paused (with the reason), resumed or ended.
    Deadlines and reports are computed from these; written only by the engine."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Started")
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        ENDED = "ended", _("Ended")

    application = models.ForeignKey(
        "permits.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="step_events",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=PauseReason.choices, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("step event")
        verbose_name_plural = _("step events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"
