"""The service catalogue and applications."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from workflows.durations import Duration, TimeUnit
from workflows.models import SopVersion, Task

from .standard import COMPONENTS
from .storage import private_storage

service_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,59}$",
    _("Use capital letters, digits and hyphens, starting with a letter (e.g. DISHUB-AKDP)."),
)


class ServiceKind(models.TextChoices):
    PERMIT = "permit", _("Permit")
    NON_PERMIT = "non_permit", _("Non-permit")


class ServiceQuerySet(models.QuerySet):
    def public(self):
        """Services shown in the public catalogue: active and with a published SOP."""
        return self.filter(
            is_active=True, sop__versions__status=SopVersion.Status.PUBLISHED
        ).distinct()

    def with_published_sop(self):
        """Prefetch the published SOP version (as ``published_sops``) and its steps."""
        return self.select_related("sop").prefetch_related(
            Prefetch(
                "sop__versions",
                queryset=SopVersion.objects.published(),
                to_attr="published_sops",
            )
        )


class Service(models.Model):
    """A service the office delivers, with its service standard. Its SOP lives in
    ``workflows`` and is linked through ``sop``."""

    code = models.CharField(
        _("code"), max_length=60, unique=True, validators=[service_code_validator]
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    sector = models.CharField(_("sector"), max_length=100, db_index=True)
    description = models.TextField(_("description"), blank=True)
    technical_agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("technical agencies"),
        blank=True,
        related_name="services",
    )
    service_time_value = models.PositiveIntegerField(_("service time"), null=True, blank=True)
    service_time_unit = models.CharField(
        _("service time unit"), max_length=10, choices=TimeUnit.choices, blank=True
    )
    fee_amount = models.DecimalField(_("fee"), max_digits=14, decimal_places=0, default=0)
    fee_currency = models.CharField(_("currency"), max_length=3, default="IDR")
    fee_basis = models.TextField(_("fee basis"), blank=True)
    product = models.CharField(_("product"), max_length=255, blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    standard_procedure = models.TextField(_("system, mechanism and procedure"), blank=True)
    standard_complaints = models.TextField(_("complaints handling"), blank=True)
    standard_facilities = models.TextField(_("facilities and infrastructure"), blank=True)
    standard_competence = models.TextField(_("competence of the staff"), blank=True)
    standard_supervision = models.TextField(_("internal supervision"), blank=True)
    standard_staffing = models.TextField(_("number of staff"), blank=True)
    standard_guarantee = models.TextField(_("service guarantee"), blank=True)
    standard_security = models.TextField(_("security and safety guarantee"), blank=True)
    standard_evaluation = models.TextField(_("evaluation of staff performance"), blank=True)
    sop = models.OneToOneField(
        "workflows.Sop",
        verbose_name=_("SOP"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service",
    )
    deemed_approval = models.BooleanField(
        _("deemed approval"),
        default=False,
        help_text=_(
            "When the service time passes without a decision, the application is deemed "
            "approved (fiktif positif, UU 30/2014 art. 53 as amended by UU 6/2023)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["sector", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def service_time(self) -> Duration | None:
        if self.service_time_value and self.service_time_unit:
            return Duration(self.service_time_value, self.service_time_unit)
        return None

    @property
    def is_free(self) -> bool:
        return not self.fee_amount

    @property
    def published_sop(self) -> SopVersion | None:
        """The published SOP version; uses the prefetch of ``with_published_sop`` if present."""
        if self.sop is None:
            return None
        if hasattr(self.sop, "published_sops"):
            return self.sop.published_sops[0] if self.sop.published_sops else None
        return self.sop.published_version

    def standard_text(self, key: str) -> str:
        return getattr(self, f"standard_{key}")

    def standard_components(self, public_only: bool = False) -> list[tuple]:
        """(component, value) pairs, in the regulation's order."""
        return [
            (c, self.standard_text(c.key) if c.free_text else None)
            for c in COMPONENTS
            if c.public or not public_only
        ]


class Requirement(models.Model):
    """A document the applicant provides (*persyaratan*), with the file formats accepted."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("service")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    formats = models.JSONField(_("accepted formats"), default=list, blank=True)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["service", "position"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="unique_requirement_code")
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationQuerySet(models.QuerySet):
    """The one access rule for applications."""

    def visible_to(self, user):
        """Administrators and one-stop-office staff: every submitted application; OPD staff:
        the applications with a task of their agency; anyone: their own applications."""
        from agencies.access import is_administrator
        from agencies.models import Agency, Membership, Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        own = models.Q(applicant=user)
        if is_administrator(user):
            return self.filter(own | ~models.Q(status=Application.Status.DRAFT))
        memberships = Membership.objects.filter(
            user=user, is_active=True, agency__is_active=True
        ).exclude(role=Role.ADMINISTRATOR)
        if memberships.filter(agency__kind=Agency.Kind.ONE_STOP_OFFICE).exists():
            return self.filter(own | ~models.Q(status=Application.Status.DRAFT))
        agencies = memberships.values("agency_id")
        with_task = models.Exists(
            Task.objects.filter(application=models.OuterRef("pk"), agency_id__in=agencies)
        )
        return self.filter(own | with_task)


class Application(models.Model):
    """A request (*permohonan*) for a service by an applicant (*pemohon*). It is pinned for life
    to the SOP version it was submitted under; only the engine's transition functions move it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_PROGRESS = "in_progress", _("In progress")
        RETURNED = "returned", _("Returned to the applicant")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ISSUED = "issued", _("Issued")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: States in which the application is with the office or the applicant, not closed.
    ACTIVE_STATES = (Status.SUBMITTED, Status.IN_PROGRESS, Status.RETURNED, Status.APPROVED)

    tracking_number = models.CharField(
        _("tracking number"), max_length=30, unique=True, null=True, blank=True
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="applications"
    )
    sop_version = models.ForeignKey(
        "workflows.SopVersion",
        verbose_name=_("SOP version"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    access_code_hash = models.CharField(_("access code (hashed)"), max_length=64, blank=True)
    return_reason = models.TextField(_("reason for the return"), blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["applicant", "-created_at"])]

    def __str__(self) -> str:
        return self.tracking_number or f"#{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                Application.objects.filter(pk=self.pk)
                .values_list("sop_version_id", flat=True)
                .first()
            )
            if stored is not None and stored != self.sop_version_id:
                raise ValidationError(_("An application never changes its SOP version."))
        super().save(*args, **kwargs)


# --- the life of an application: documents, checks, recommendations, payment, decision --------


def _private_storage():
    """Uploaded documents live in the private storage: no public URL, served only through
    access-checked views (``permits.storage.serve_private_file``). A callable, so the migration
    records no machine path."""
    return private_storage


def _upload_to(instance, filename: str) -> str:
    # A random name: the original name is kept in a field, never trusted as a path.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Counter(models.Model):
    """A named sequence (tracking numbers, permit numbers per year…), advanced under a row lock
    so that concurrent transactions never draw the same number."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    value = models.PositiveBigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The documents of the applications ``user`` may see (the one access rule for
        documents, used by every download and preview)."""
        return self.filter(application__in=Application.objects.visible_to(user).values("pk"))

    def current(self):
        return self.filter(is_current=True)


class ApplicationDocument(models.Model):
    """A file the applicant provided for one requirement. A correction adds a new version; the
    older one stays, no longer current."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        ACCEPTED = "accepted", _("Accepted")
        NEEDS_CORRECTION = "needs_correction", _("Needs correction")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    requirement = models.ForeignKey(
        Requirement,
        verbose_name=_("requirement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requirement_code = models.CharField(_("requirement code"), max_length=40)
    requirement_name = models.CharField(_("requirement"), max_length=255)
    file = models.FileField(_("file"), storage=_private_storage, upload_to=_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "requirement_code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement_code"],
                condition=models.Q(is_current=True),
                name="one_current_document_per_requirement",
            ),
            models.UniqueConstraint(
                fields=["application", "requirement_code", "version"],
                name="unique_document_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement_name} v{self.version}"


class CompletenessCheck(models.Model):
    """The front office's verdict on one document at one completeness check."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="completeness_checks"
    )
    document = models.ForeignKey(
        ApplicationDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    accepted = models.BooleanField(_("accepted"))
    reason = models.TextField(_("reason"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)

    class Meta:
        verbose_name = _("completeness check")
        verbose_name_plural = _("completeness checks")
        ordering = ["task", "document__requirement_code"]

    def __str__(self) -> str:
        return f"{self.document} {'✓' if self.accepted else '✗'}"


class Recommendation(models.Model):
    """A technical agency's recommendation (*rekomendasi teknis*) on an application."""

    class Verdict(models.TextChoices):
        RECOMMEND = "recommend", _("Recommend")
        RECOMMEND_WITH_CONDITIONS = "recommend_with_conditions", _("Recommend with conditions")
        NOT_RECOMMEND = "not_recommend", _("Do not recommend")

    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="recommendation"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verdict = models.CharField(_("verdict"), max_length=30, choices=Verdict.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    given_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["given_at"]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_verdict_display()}"


class Attachment(models.Model):
    """A file staff attach to a task (a recommendation's annex, a *BAP*…)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="attachments"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), storage=_private_storage, upload_to=_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Inspection(models.Model):
    """A field inspection: the visit date (the file waits until then) and the report (*BAP*)."""

    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="inspection"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    visit_on = models.DateField(_("visit date"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scheduled_at = models.DateTimeField(_("scheduled"), auto_now_add=True)
    report = models.FileField(
        _("inspection report"), storage=_private_storage, upload_to=_upload_to, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.application} · {self.visit_on}"


class Payment(models.Model):
    """The fee of an application: billing number and amount, the applicant's proof, the
    cashier's confirmation."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="payments",
    )
    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="payment"
    )
    billing_number = models.CharField(_("billing number"), max_length=40, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=0)
    currency = models.CharField(_("currency"), max_length=3, default="IDR")
    proof = models.FileField(
        _("proof of payment"), storage=_private_storage, upload_to=_upload_to, blank=True
    )
    proof_uploaded_at = models.DateTimeField(_("proof uploaded"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return self.billing_number


class Decision(models.Model):
    """The office's decision on an application: approve or reject, with reasons."""

    class Verdict(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="decision"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at"]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_verdict_display()}"


class IssuedDocument(models.Model):
    """A numbered document the office issued: the permit, or the rejection letter. Its token
    opens the public verification page the QR code points to."""

    class Kind(models.TextChoices):
        PERMIT = "permit", _("Permit")
        REJECTION = "rejection", _("Rejection letter")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    holder_name = models.CharField(_("holder"), max_length=255)
    service_name = models.CharField(_("service"), max_length=255)
    reasons = models.TextField(_("reasons"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_token = models.CharField(_("verification token"), max_length=64, unique=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="unique_issued_sequence"
            )
        ]

    def __str__(self) -> str:
        return self.number


class Notification(models.Model):
    """A message in the portal (and by email) to one person."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text[:60]
