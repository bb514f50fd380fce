"""The documents the office issued (the permit, the rejection letter): their signed file and its
hash, their validity, and their standing (valid, suspended, revoked, replaced) moved only by
``permits.states.ISSUED``."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application, _private_storage


def _issued_upload_to(instance, filename: str) -> str:
    return f"issued/{instance.year}/{uuid.uuid4().hex}.pdf"


class IssuedDocument(models.Model):
    """A numbered document the office issued: the permit, or the rejection letter. Its token
    opens the public verification page the QR code points to. ``file`` holds the signed PDF,
    exactly the bytes served; ``sha256`` is their digest (also in the audit entry of the
    signing)."""

    class Kind(models.TextChoices):
        PERMIT = "permit", _("Permit")
        REJECTION = "rejection", _("Rejection letter")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")

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
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID, db_index=True
    )
    # The signed file (PAdES) and what the signing recorded.
    file = models.FileField(
        _("signed file"), upload_to=_issued_upload_to, storage=_private_storage, blank=True
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=255, blank=True)
    signature_backend = models.CharField(_("signing backend"), max_length=20, blank=True)
    # Validity: the last day the permit is valid (WITA); none = no limit.
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    #: Days-before-expiry already reminded (idempotent marks of the sweep).
    reminders_sent = models.JSONField(_("expiry reminders sent"), default=list, blank=True)
    expiry_notified_at = models.DateTimeField(_("expiry notified"), null=True, blank=True)
    # The last change of standing (suspension, reinstatement, revocation).
    suspended_at = models.DateTimeField(_("suspended on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )

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

    @property
    def revoked(self) -> bool:
        return self.status == self.Status.REVOKED

    @property
    def suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    def is_expired(self, today: date) -> bool:
        return self.valid_until is not None and today > self.valid_until
