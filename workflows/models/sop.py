"""SOPs, their versions, performers and steps."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Role

from ..durations import Duration, TimeUnit


class SopVersionLocked(ValidationError):
    """A published (or otherwise non-draft) SOP version cannot change: start a new draft."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _("This SOP version is no longer a draft and cannot be changed; start a new draft.")
        )


class PerformerRole(models.TextChoices):
    """Who performs a step: the applicant (*pemohon*), a staff role, or someone else."""

    APPLICANT = "applicant", _("Applicant")
    FRONT_OFFICE = Role.FRONT_OFFICE.value, Role.FRONT_OFFICE.label
    BACK_OFFICE = Role.BACK_OFFICE.value, Role.BACK_OFFICE.label
    TECHNICAL_OFFICER = Role.TECHNICAL_OFFICER.value, Role.TECHNICAL_OFFICER.label
    HEAD = Role.HEAD.value, Role.HEAD.label
    CASHIER = Role.CASHIER.value, Role.CASHIER.label
    OTHER = "other", _("Other")


class Symbol(models.TextChoices):
    """The flowchart symbols a step may carry (Permenpan RB 35/2012); arrows and off-page
    connectors are drawn, not stored."""

    TERMINATOR = "terminator", _("Terminator (start/end)")
    PROCESS = "process", _("Process")
    DECISION = "decision", _("Decision")


class StepAction(models.TextChoices):
    """What a step does in the running portal; the printed SOP ignores it."""

    SUBMIT = "submit", _("Submit the application")
    CHECK = "check", _("Check completeness")
    INSPECT = "inspect", _("Field inspection")
    RECOMMEND = "recommend", _("Technical recommendation")
    DECIDE = "decide", _("Decide")
    PAY = "pay", _("Fee payment")
    ISSUE_PERMIT = "issue_permit", _("Issue the permit")
    ISSUE_REJECTION = "issue_rejection", _("Issue the rejection letter")
    HANDOVER = "handover", _("Hand over the document")


DECISION_ONLY_ACTIONS = frozenset({StepAction.CHECK, StepAction.DECIDE})


class Sop(models.Model):
    """One SOP across its versions; its code is the code of the service it belongs to."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOPs")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def published_version(self) -> "SopVersion | None":
        return self.versions.filter(status=SopVersion.Status.PUBLISHED).first()


class SopVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=SopVersion.Status.PUBLISHED)

    def update(self, **kwargs):
        allowed = {"status", "superseded_at"}
        if set(kwargs) - allowed and self.exclude(status=SopVersion.Status.DRAFT).exists():
            raise SopVersionLocked()
        return super().update(**kwargs)


class SopVersion(models.Model):
    """One version of an SOP: its identity fields (the SOP's first page) and, through its
    performers and steps, its flowchart. Only a draft can change; publishing freezes it, and a
    published version is only ever superseded by the next one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    CONTENT_FIELDS = (
        "number",
        "name",
        "made_on",
        "revised_on",
        "effective_on",
        "approved_by_position",
        "approved_by_name",
        "approved_by_nip",
        "legal_basis",
        "related",
        "warnings",
        "qualifications",
        "equipment",
        "records",
    )

    sop = models.ForeignKey(
        Sop, verbose_name=_("SOP"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    number = models.CharField(_("SOP number"), max_length=100, blank=True)
    name = models.CharField(_("SOP name"), max_length=255)
    made_on = models.DateField(_("date made"), null=True, blank=True)
    revised_on = models.DateField(_("date revised"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    approved_by_position = models.CharField(_("approved by (position)"), max_length=200, blank=True)
    approved_by_name = models.CharField(_("approved by (name)"), max_length=150, blank=True)
    approved_by_nip = models.CharField(_("approved by (NIP)"), max_length=30, blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    related = models.JSONField(_("related SOPs"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    qualifications = models.JSONField(_("performer qualifications"), default=list, blank=True)
    equipment = models.JSONField(_("equipment"), default=list, blank=True)
    records = models.JSONField(_("records and data"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects = SopVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("SOP version")
        verbose_name_plural = _("SOP versions")
        ordering = ["sop__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["sop", "version"], name="unique_sop_version"),
            models.UniqueConstraint(
                fields=["sop"],
                condition=models.Q(status="published"),
                name="one_published_version_per_sop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sop.code} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                SopVersion.objects.filter(pk=self.pk)
                .values("status", "sop_id", "version", *self.CONTENT_FIELDS)
                .first()
            )
            if stored and stored["status"] != self.Status.DRAFT:
                changed = [
                    f
                    for f in ("sop_id", "version", *self.CONTENT_FIELDS)
                    if stored[f] != getattr(self, f)
                ]
                approval = (stored["status"], self.status) == (
                    self.Status.IN_REVIEW,
                    self.Status.PUBLISHED,
                )
                if approval:
                    # Approval: the reviewer gives the version its effective date as it is
                    # published (``workflows.versions.approve_and_publish``).
                    changed = [f for f in changed if f != "effective_on"]
                if changed:
                    raise SopVersionLocked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.is_draft:
            raise SopVersionLocked(_("Only a draft SOP version can be deleted."))
        return super().delete(*args, **kwargs)

    def service_time(self):
        """The office's service time through this SOP (:func:`workflows.durations.service_time`):
        the longest path of office steps, the applicant's own time apart, hours folded into
        working days."""
        from ..durations import TimedStep, service_time

        steps = [
            TimedStep(
                no=s.no,
                exits=tuple(e for e in (s.next_no, s.yes_no, s.no_no) if e is not None),
                duration=s.duration,
                applicant=s.performer.role == PerformerRole.APPLICANT,
            )
            for s in self.steps.select_related("performer")
        ]
        return service_time(steps)

    def total_time_norm(self) -> list[Duration]:
        """The printed "Jumlah waktu": the office's service time, largest unit first
        ("9 working days + 3 hours"); see :meth:`service_time`."""
        return self.service_time().office


class _VersionPartQuerySet(models.QuerySet):
    """Bulk writes on performers and steps refuse to touch a non-draft version."""

    def _touches_locked(self) -> bool:
        return self.exclude(version__status=SopVersion.Status.DRAFT).exists()

    def update(self, **kwargs):
        if self._touches_locked():
            raise SopVersionLocked()
        return super().update(**kwargs)

    def delete(self):
        if self._touches_locked():
            raise SopVersionLocked()
        return super().delete()


class _VersionPart(models.Model):
    """A part of a version's content (a performer or a step): changes only while a draft."""

    objects = _VersionPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def _check_draft(self) -> None:
        status = (
            SopVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        )
        if status is not None and status != SopVersion.Status.DRAFT:
            raise SopVersionLocked()

    def save(self, *args, **kwargs):
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft()
        return super().delete(*args, **kwargs)


class SopPerformer(_VersionPart):
    """A column of the flowchart (*pelaksana*): a role, usually in an agency. ``for_technical``
    stands for the service's technical agencies (``*technical*`` in the interchange format): at
    run time the step becomes one task per technical agency, in parallel."""

    version = models.ForeignKey(
        SopVersion, on_delete=models.CASCADE, related_name="performers", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=150)
    # Printed in the flowchart's header when the title is too long for a narrow column; the
    # page's key spells it out (Permenpan RB 35/2012 leaves the header's wording to the unit).
    short_title = models.CharField(_("short label"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=PerformerRole.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    for_technical = models.BooleanField(_("the service's technical agencies"), default=False)

    class Meta:
        verbose_name = _("SOP performer")
        verbose_name_plural = _("SOP performers")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_performer_key"),
        ]

    def __str__(self) -> str:
        return self.title


class SopStep(_VersionPart):
    """One numbered step of an SOP: an activity written verb first, its performer, its *mutu
    baku* (requirements, time norm, output), notes (*keterangan*) and exits (``next`` for a
    process, ``on_yes``/``on_no`` for a decision), given as step numbers."""

    version = models.ForeignKey(
        SopVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("version")
    )
    no = models.PositiveSmallIntegerField(_("no."))
    symbol = models.CharField(_("symbol"), max_length=20, choices=Symbol.choices)
    activity = models.CharField(_("activity"), max_length=500)
    performer = models.ForeignKey(
        SopPerformer, on_delete=models.PROTECT, related_name="steps", verbose_name=_("performer")
    )
    # Keys of further performers who carry out the step together with ``performer`` (the
    # applicant at the counter with the officer): drawn across their columns; the task goes
    # to ``performer`` (workflows.engine).
    also_performers = models.JSONField(_("also performed by"), default=list, blank=True)
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    duration_value = models.PositiveIntegerField(_("time norm"), null=True, blank=True)
    duration_unit = models.CharField(
        _("time unit"), max_length=10, choices=TimeUnit.choices, blank=True
    )
    output = models.JSONField(_("output"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_no = models.PositiveSmallIntegerField(_("next step"), null=True, blank=True)
    yes_no = models.PositiveSmallIntegerField(_("if yes, step"), null=True, blank=True)
    no_no = models.PositiveSmallIntegerField(_("if no, step"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=StepAction.choices, blank=True)

    class Meta:
        verbose_name = _("SOP step")
        verbose_name_plural = _("SOP steps")
        ordering = ["version", "no"]
        constraints = [
            models.UniqueConstraint(fields=["version", "no"], name="unique_step_no"),
        ]

    def __str__(self) -> str:
        return f"{self.no}. {self.activity}"

    @property
    def duration(self) -> Duration | None:
        if self.duration_value and self.duration_unit:
            return Duration(self.duration_value, self.duration_unit)
        return None
