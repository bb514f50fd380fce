"""Printed documents: the document settings (logo, unit, layout), the Governor's decree with its
SOP annexes, and rendered PDF files produced in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentSettings(models.Model):
    """The one row of print settings: the logo and unit on SOP identity pages, rows per
    flowchart page and paper orientation. Read through :meth:`load`."""

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        PORTRAIT = "portrait", _("Portrait")

    logo = models.ImageField(
        _("logo"),
        upload_to="documents/logo/",
        blank=True,
        help_text=_("Printed on SOP identity pages and the decree letterhead; PNG, JPEG or SVG."),
    )
    # A logo per document kind: the SOP carries the unit's logo, the Governor's decree the
    # province's emblem (Permendagri 80/2015, Lampiran: the decree's head is the regional
    # emblem with the office of the head of region).
    decree_logo = models.ImageField(
        _("decree emblem"),
        upload_to="documents/logo/",
        blank=True,
        help_text=_("Printed at the head of the Governor's decree; the logo above when empty."),
    )
    # Who certifies a SALINAN ("Salinan sesuai dengan aslinya"): the head of the legal bureau.
    certifier_position = models.CharField(
        _("copy certified by (position)"),
        max_length=200,
        default="KEPALA BIRO HUKUM SEKRETARIAT DAERAH PROVINSI SULAWESI TENGGARA",
    )
    certifier_name = models.CharField(_("copy certified by (name)"), max_length=200, blank=True)
    certifier_rank = models.CharField(_("copy certified by (rank)"), max_length=100, blank=True)
    certifier_nip = models.CharField(_("copy certified by (NIP)"), max_length=30, blank=True)
    government = models.CharField(
        _("government"), max_length=200, default="PEMERINTAH PROVINSI SULAWESI TENGGARA"
    )
    unit_name = models.CharField(
        _("unit name"),
        max_length=255,
        default="DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
    )
    rows_per_page = models.PositiveSmallIntegerField(
        _("flowchart rows per page"),
        default=0,
        help_text=_("At most this many rows on a flowchart page; 0: as many as fit."),
    )
    orientation = models.CharField(
        _("paper orientation"),
        max_length=10,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(_("Document settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "DocumentSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class Decree(models.Model):
    """A *Keputusan Gubernur*: its texts (editable, from an Indonesian starting template) and,
    through :class:`DecreeAnnex`, the published SOP versions it establishes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    number = models.CharField(_("number"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    menimbang = models.JSONField(_("considering (menimbang)"), default=list, blank=True)
    mengingat = models.JSONField(_("bearing in mind (mengingat)"), default=list, blank=True)
    dictums = models.JSONField(_("dictums"), default=list, blank=True)
    place = models.CharField(_("place"), max_length=100, default="Kendari")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatory_position = models.CharField(
        _("signatory position"), max_length=200, default="GUBERNUR SULAWESI TENGGARA"
    )
    signatory_name = models.CharField(_("signatory name"), max_length=150, blank=True)
    tembusan = models.JSONField(_("copies to (tembusan)"), default=list, blank=True)
    copy_mark = models.BooleanField(_("print the SALINAN mark"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decree")
        verbose_name_plural = _("decrees")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        number = self.number or "…"
        return f"Keputusan Gubernur Nomor {number} Tahun {self.year}"


class DecreeAnnex(models.Model):
    """A published (or superseded) SOP version attached to a decree, in print order."""

    decree = models.ForeignKey(
        Decree, on_delete=models.CASCADE, related_name="annexes", verbose_name=_("decree")
    )
    version = models.ForeignKey(
        "workflows.SopVersion",
        on_delete=models.PROTECT,
        related_name="decree_annexes",
        verbose_name=_("SOP version"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("decree annex")
        verbose_name_plural = _("decree annexes")
        ordering = ["decree", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decree", "version"], name="unique_decree_annex"),
        ]

    def __str__(self) -> str:
        return f"{self.decree} — {self.version}"


class RenderedDocument(models.Model):
    """A PDF rendered in the background: what it is of (a decree or an SOP version), the hash
    of its inputs (re-rendered only when that changes), the job's status and progress, and the
    file, kept in private media and served through a view that checks access."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    decree = models.ForeignKey(
        Decree,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="renderings",
        verbose_name=_("decree"),
    )
    version = models.ForeignKey(
        "workflows.SopVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="renderings",
        verbose_name=_("SOP version"),
    )
    inputs_hash = models.CharField(_("inputs hash"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("parts done"), default=0)
    total = models.PositiveIntegerField(_("parts in total"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="rendered/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # A final decree's rendering signed electronically (PAdES, ``workflows.decree_signing``):
    # the file is then the signed bytes, whose SHA-256 is kept here and in the audit entry.
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sha256 = models.CharField(_("SHA-256 of the signed file"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.decree or self.version} [{self.status}]"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
