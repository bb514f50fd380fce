"""Agencies and staff memberships."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

agency_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,29}$",
    _("Use capital letters, digits and hyphens, starting with a letter (e.g. DISHUB)."),
)


class Role(models.TextChoices):
    """Staff roles. The SOP format's performer roles are these plus ``applicant`` and ``other``."""

    FRONT_OFFICE = "front_office", _("Front office")
    BACK_OFFICE = "back_office", _("Back office")
    TECHNICAL_OFFICER = "technical_officer", _("Technical officer")
    HEAD = "head", _("Head")
    CASHIER = "cashier", _("Cashier")
    ADMINISTRATOR = "administrator", _("Administrator")
    #: The complaints, policy and reporting unit (*pengaduan, kebijakan dan pelaporan*): answers
    #: complaints and watches SOP performance; performs no SOP step.
    COMPLAINTS_OFFICER = "complaints_officer", _("Complaints and reporting officer")


class AgencyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def technical(self):
        return self.filter(kind=Agency.Kind.TECHNICAL)


class Agency(models.Model):
    """The one-stop office (*DPMPTSP*, the single front door) or a technical agency (*OPD
    teknis*)."""

    class Kind(models.TextChoices):
        ONE_STOP_OFFICE = "one_stop_office", _("One-stop office")
        TECHNICAL = "technical", _("Technical agency (OPD)")

    code = models.CharField(
        _("code"), max_length=30, unique=True, validators=[agency_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TECHNICAL)
    city = models.CharField(_("city"), max_length=100, default="Kendari")
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an agency; one person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("Job title (jabatan).")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency.code}"
