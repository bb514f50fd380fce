"""Who opened which personal document of an application, when and why (issue 16, item 8).

UU 27/2022 tentang Pelindungan Data Pribadi: the data subject has the right to information
about the processing of their personal data (Pasal 5, 7), and the controller must record its
processing activities (Pasal 31); https://peraturan.bpk.go.id/Details/229798/uu-no-27-tahun-2022.
KTP, NPWP, payment proofs and inspection reports (BAP) are personal data, so every time one of an
application's files is served to someone other than its applicant,
:func:`permits.access_log.serve_application_file` writes one row here; the applicant reads them on
their application page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Role


class DocumentAccess(models.Model):
    """One opening (view or download) of an application's file by someone not its applicant.
    Written only by :func:`permits.access_log.serve_application_file`; never edited."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Requirement document")
        ATTACHMENT = "attachment", _("Attachment")
        INSPECTION = "inspection", _("Inspection report (BAP)")
        PAYMENT = "payment", _("Proof of payment")

    class Door(models.TextChoices):
        PAGE = "page", _("Portal page")
        API = "api", _("API")
        ADMIN = "admin", _("Administration")

    application = models.ForeignKey(
        "permits.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="document_accesses",
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # As they were at the time (kept when the account or its memberships change). The
    # applicant is shown the role and agency, never the officer's name (as for the clock and
    # the complaint replies); the office's administrators see the name.
    viewer_name = models.CharField(_("name"), max_length=255)
    viewer_role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    viewer_agency = models.CharField(_("agency"), max_length=255, blank=True)
    task = models.ForeignKey(
        "workflows.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why: the step of the viewer's task on this application; empty when they opened it by
    # their role alone (office-wide staff, an administrator).
    purpose = models.CharField(_("purpose"), max_length=600, blank=True)
    file_kind = models.CharField(_("file"), max_length=20, choices=Kind.choices)
    file_id = models.PositiveBigIntegerField(_("file id"))
    file_name = models.CharField(_("file name"), max_length=255)
    door = models.CharField(_("through"), max_length=10, choices=Door.choices)
    downloaded = models.BooleanField(_("downloaded"), default=True)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = _("document access")
        verbose_name_plural = _("document accesses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["application", "-at"])]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.viewer_name} · {self.at:%Y-%m-%d %H:%M}"
