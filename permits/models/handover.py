"""The handover (*penyerahan*) of an issued document to the applicant or their representative:
who collected it, the identity document shown, the relation to the applicant, when and by whom
it was handed over. Written by the handover step (``permits.actions.HandoverHandler``) and
printed as the *tanda terima penyerahan* (``permits.office_forms``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import Task

from .applications import Application
from .issued import IssuedDocument


class Handover(models.Model):
    class IdentityType(models.TextChoices):
        KTP = "ktp", _("KTP (identity card)")
        SIM = "sim", _("SIM (driving licence)")
        PASSPORT = "passport", _("Passport")
        KITAS = "kitas", _("KITAS/KITAP (residence permit)")
        OTHER = "other", _("Other")

    class Relation(models.TextChoices):
        SELF = "self", _("The applicant in person")
        FAMILY = "family", _("Family member")
        EMPLOYEE = "employee", _("Employee of the applicant")
        PROXY = "proxy", _("Holder of a power of attorney")
        COURIER = "courier", _("Courier")

    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="handover"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    document = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("document handed over"),
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    collected_by = models.CharField(_("collected by"), max_length=150)
    identity_type = models.CharField(
        _("identity document shown"), max_length=10, choices=IdentityType.choices
    )
    identity_number = models.CharField(_("identity number"), max_length=40)
    relation = models.CharField(
        _("relation to the applicant"), max_length=10, choices=Relation.choices
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handed_at = models.DateTimeField(_("handed over"))

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["handed_at"]

    def __str__(self) -> str:
        return f"{self.document.number} → {self.collected_by}"
