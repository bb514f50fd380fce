"""Applications (*permohonan*), their uploaded documents, and the counters behind their
numbers."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage
from .catalogue import Requirement, Service


class ApplicationQuerySet(models.QuerySet):
    """Applications; who may see them is :mod:`permits.access` (this is its queryset face)."""

    def visible_to(self, user):
        """See :func:`permits.access.applications_visible_to`."""
        from ..access import applications_visible_to

        return applications_visible_to(user, self)


class Purpose(models.TextChoices):
    NEW = "new", _("New permit")
    RENEWAL = "renewal", _("Renewal")
    AMENDMENT = "amendment", _("Amendment")


class Application(models.Model):
    """A request (*permohonan*) for a service by an applicant (*pemohon*). It is pinned for life
        to the SOP version it was submitted under; only its state machine (``permits.states``) moves
    it."""

    Purpose = Purpose

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_PROGRESS = "in_progress", _("In progress")
        RETURNED = "returned", _("Returned to the applicant")
        APPROVED = "approved", _("Approved")
        #: The service time passed without a decision and the service grants deemed approval
        #: (*fiktif positif*): approved by law; the office still issues the permit.
        DEEMED_APPROVED = "deemed_approved", _("Deemed approved")
        REJECTED = "rejected", _("Rejected")
        ISSUED = "issued", _("Issued")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: States in which the application is with the office or the applicant, not closed.
    ACTIVE_STATES = (
        Status.SUBMITTED,
        Status.IN_PROGRESS,
        Status.RETURNED,
        Status.APPROVED,
        Status.DEEMED_APPROVED,
    )

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
    #: The same code encrypted (``permits.numbering.seal_access_code``): shown again to its owner.
    access_code_sealed = models.TextField(_("access code (encrypted)"), blank=True, editable=False)
    #: The front-office member who entered the application at the counter for a walk-in
    #: applicant (*layanan loket*); empty for an application made online.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered at the counter by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for the return"), blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # A renewal (*perpanjangan*) or an amendment (*perubahan*) starts from an issued permit and
    # is run by the service's SOP for that purpose; its permit replaces the previous one.
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.NEW, db_index=True
    )
    previous_permit = models.ForeignKey(
        "permits.IssuedDocument",
        verbose_name=_("previous permit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    #: What the applicant asks to change (an amendment), or notes on a renewal.
    change_note = models.TextField(_("requested change"), blank=True)
    #: The answers to the service's declared fields, cleaned by ``permits.application_data``.
    data = models.JSONField(_("application data"), default=dict, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["applicant", "-created_at"]),
            # The staff search (``permits.search``): a part of a tracking number, newest first.
            # (``application_number_trgm``: a trigram index on the upper-cased number, made by
            # migration 0008 where the server has pg_trgm: ``sop_portal.trigram``)
            models.Index(fields=["-submitted_at", "-id"], name="application_submitted"),
            # The company's name and NIB as the applicant declared them (``data``,
            # ``permits.application_data``): part of the name, the NIB in full.
            # (``application_company_trgm`` on the name, by migration 0012 where the server
            # has pg_trgm: ``sop_portal.trigram``)
            models.Index(KeyTransform("nib", "data"), name="application_nib"),
        ]

    def __str__(self) -> str:
        return self.tracking_number or f"#{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                Application.objects.filter(pk=self.pk)
                .values_list("sop_version_id", "status")
                .first()
            )
            # A draft follows the version in force when it is submitted (``lifecycle.submit``);
            # from submission on, the file keeps its version for life.
            if (
                stored is not None
                and stored[0] != self.sop_version_id
                and stored[1] != self.Status.DRAFT
            ):
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
