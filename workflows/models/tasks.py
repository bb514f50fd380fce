"""Tasks: the steps of one application in the hands of their performers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sop import PerformerRole, SopStep


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
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.step}"
