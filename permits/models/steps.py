"""What the SOP's steps produce on an application: the completeness check, recommendations
(*rekomendasi teknis*) with their attachments, field inspections, payments, the decision (the
issued documents are in
``permits.models.issued``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import Task

from .applications import Application, ApplicationDocument, _private_storage, _upload_to


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


class PaymentChannelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).order_by("position", "name")


class PaymentChannel(models.Model):
    """Where and how an applicant may pay a bill (a bank's teller, a virtual account, the
    cashier's desk…), edited by the administrator and printed on every bill with its
    instructions. The payment code to quote is the bill's own (``Payment.billing_number``)."""

    name = models.CharField(_("name"), max_length=120)
    account = models.CharField(
        _("account or place"),
        max_length=200,
        blank=True,
        help_text=_("Account number and holder, or where the desk is."),
    )
    instructions = models.TextField(
        _("instructions"),
        blank=True,
        help_text=_("How to pay through this channel; the payment code is added by the portal."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PaymentChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment channel")
        verbose_name_plural = _("payment channels")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


def same_payment_code(given: str, code: str) -> bool:
    """Whether the code the cashier read off the receipt is the bill's (spaces and case
    ignored: receipts print it in every way)."""

    def norm(value: str) -> str:
        return "".join(str(value or "").split()).upper()

    return bool(given) and norm(given) == norm(code)


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
