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


# --- pre-aggregated facts (issue 14): written by PostgreSQL triggers (monitoring/facts_sql.py) in
# the transaction that changes a task, an application or a service clock; read by
# monitoring/facts.py. Plain ids, no foreign keys: a fact outlives nothing and blocks no delete.
# ``agency_id`` 0 stands for "no agency" (a unique key cannot hold NULLs as equal before PG 15).


class _Fact(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return " · ".join(str(getattr(self, f.attname)) for f in self._meta.concrete_fields)


class StepFact(_Fact):
    """Office steps that ended (done) per WITA day × service × SOP version × agency × step."""

    day = models.DateField()
    service_id = models.BigIntegerField()
    version_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()
    step_id = models.BigIntegerField()
    ended = models.IntegerField(default=0)
    measured = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    timed = models.IntegerField(default=0)

    class Meta(_Fact.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service_id", "version_id", "agency_id", "step_id"],
                name="stepfact_key",
            )
        ]


class DurationFact(_Fact):
    """How many office steps took each office time, rounded to the second (the histogram the
    median and P90 are read from: at most 0.5 s from the raw percentile, printed in 0.01 h)."""

    day = models.DateField()
    service_id = models.BigIntegerField()
    version_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()
    step_id = models.BigIntegerField()
    seconds = models.BigIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service_id", "version_id", "agency_id", "step_id", "seconds"],
                name="durationfact_key",
            )
        ]


class PauseFact(_Fact):
    """Paused office steps that ended, by the reason of their first pause."""

    day = models.DateField()
    service_id = models.BigIntegerField()
    version_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()
    reason = models.CharField(max_length=30)
    steps = models.IntegerField(default=0)
    paused = models.DurationField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service_id", "version_id", "agency_id", "reason"],
                name="pausefact_key",
            )
        ]


class TaskPause(_Fact):
    """What one paused step contributes to ``PauseFact`` now (its first pause's reason can be
    written after the step ended), so a change replaces exactly that contribution."""

    task_id = models.BigIntegerField(primary_key=True)
    day = models.DateField()
    service_id = models.BigIntegerField()
    version_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()
    reason = models.CharField(max_length=30)
    paused = models.DurationField()


class AppFact(_Fact):
    """Application figures per kind × WITA day (× a second day) × service × version, once for all
    agencies (``agency_id`` 0) and once per agency the application has a task at (the
    dashboard's agency filter). Kinds: ``received`` (day submitted), ``completed``, ``open``
    (now; day submitted, ``day2`` declared complete), ``finished`` (day completed, ``day2``
    declared complete), ``decided`` / ``within`` (service clock), ``applicant_pause`` (the
    applicant's paused steps: ``n`` steps, ``total`` time)."""

    kind = models.CharField(max_length=16)
    day = models.DateField()
    day2 = models.DateField(null=True)
    service_id = models.BigIntegerField()
    version_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()
    n = models.IntegerField(default=0)
    total = models.DurationField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "day", "day2", "service_id", "version_id", "agency_id"],
                name="appfact_key",
                nulls_distinct=False,
            )
        ]


class AppLedger(_Fact):
    """What one application contributes to ``AppFact`` now (see ``AppFact``)."""

    application_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=16)
    day = models.DateField()
    day2 = models.DateField(null=True)
    service_id = models.BigIntegerField()
    version_id = models.BigIntegerField()
    n = models.IntegerField(default=0)
    total = models.DurationField()


class AppAgency(_Fact):
    """The agencies an application has (had) a task at: its ``AppFact`` rows per agency."""

    application_id = models.BigIntegerField()
    agency_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application_id", "agency_id"], name="appagency_key")
        ]
