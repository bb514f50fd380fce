"""The six-monthly monitoring of SOP implementation (Permenpan RB 35/2012, Tabel 7): a round per
semester, one entry per SOP with the assessment pre-filled from the measured figures, the
assessor's notes, the actions to take and the assessor's initials (*paraf*)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringRound(models.Model):
    """One semester's monitoring (*monitoring pelaksanaan SOP*), at least every six months."""

    class Semester(models.IntegerChoices):
        FIRST = 1, _("January–June")
        SECOND = 2, _("July–December")

    year = models.PositiveSmallIntegerField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=Semester.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SOP monitoring round")
        verbose_name_plural = _("SOP monitoring rounds")
        ordering = ["-year", "-semester"]
        constraints = [
            models.UniqueConstraint(fields=["year", "semester"], name="one_round_per_semester")
        ]

    def __str__(self) -> str:
        return f"{self.year} S{self.semester}"

    @property
    def period_start(self) -> date:
        return date(self.year, 1 if self.semester == 1 else 7, 1)

    @property
    def period_end(self) -> date:
        return date(self.year, 6, 30) if self.semester == 1 else date(self.year, 12, 31)


class Assessment(models.TextChoices):
    RUNS_WELL = "runs_well", _("Runs well")
    NOT_WELL = "not_well", _("Does not run well")


class MonitoringEntry(models.Model):
    """One row of Tabel 7: a procedure (SOP), the assessment (*penilaian*), the notes of the
    assessment (*catatan hasil penilaian*), the action to take (*tindakan yang harus diambil*)
    and the assessor's initials (*paraf penilai*: who confirmed the row, and when)."""

    round = models.ForeignKey(
        MonitoringRound,
        verbose_name=_("monitoring round"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    position = models.PositiveSmallIntegerField(_("no."))
    service = models.ForeignKey(
        "permits.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    sop_version = models.ForeignKey(
        "workflows.SopVersion",
        verbose_name=_("SOP version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    procedure = models.CharField(_("procedure"), max_length=255)
    measured = models.JSONField(
        _("measured figures"),
        default=dict,
        blank=True,
        help_text=_("The figures the pre-filled assessment was computed from."),
    )
    suggested = models.CharField(
        _("suggested assessment"), max_length=20, choices=Assessment.choices, blank=True
    )
    assessment = models.CharField(
        _("assessment"), max_length=20, choices=Assessment.choices, blank=True
    )
    notes = models.TextField(_("notes of the assessment"), blank=True)
    actions = models.TextField(_("actions to take"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)

    class Meta:
        verbose_name = _("SOP monitoring entry")
        verbose_name_plural = _("SOP monitoring entries")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "service"], name="one_entry_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.procedure}"
