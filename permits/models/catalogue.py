"""The service catalogue: services (*layanan*, permit or non-permit) with their service standard
and requirements."""

import calendar
from datetime import date, timedelta

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from workflows import effective
from workflows.durations import Duration, TimeUnit
from workflows.models import SopVersion

from ..standard import COMPONENTS

service_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9-]{1,59}$",
    _("Use capital letters, digits and hyphens, starting with a letter (e.g. DISHUB-AKDP)."),
)


class ServiceKind(models.TextChoices):
    PERMIT = "permit", _("Permit")
    NON_PERMIT = "non_permit", _("Non-permit")


class ValidityUnit(models.TextChoices):
    YEARS = "years", _("years")
    MONTHS = "months", _("months")


class ServiceQuerySet(models.QuerySet):
    def public(self):
        """Services shown in the public catalogue: active and with an SOP version in force
        today (a first version whose effective date is still to come does not open it)."""
        return self.filter(
            Exists(effective.in_force_versions().filter(sop=OuterRef("sop"))), is_active=True
        )

    def with_published_sop(self):
        """Prefetch the SOP version in force today and the upcoming one (as ``published_sops``,
        see :func:`workflows.effective.current_versions`) and their steps."""
        return self.select_related("sop").prefetch_related(
            Prefetch(
                "sop__versions",
                queryset=effective.current_versions(),
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
    # How long a permit of this service is valid; no value = no limit.
    validity_value = models.PositiveSmallIntegerField(_("validity"), null=True, blank=True)
    validity_unit = models.CharField(
        _("validity unit"), max_length=10, choices=ValidityUnit.choices, blank=True
    )
    renewal_required = models.BooleanField(
        _("must be renewed"),
        default=False,
        help_text=_("The holder must renew the permit before it expires to keep it."),
    )
    # SOPs per purpose; a renewal or amendment without its own SOP runs under ``sop``.
    renewal_sop = models.OneToOneField(
        "workflows.Sop",
        verbose_name=_("SOP for renewals"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_service",
    )
    amendment_sop = models.OneToOneField(
        "workflows.Sop",
        verbose_name=_("SOP for amendments"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendment_service",
    )
    # The fields the application form asks for besides the files (``permits.application_data``).
    application_fields = models.JSONField(
        _("application fields"),
        default=list,
        blank=True,
        help_text=_('A list such as [{"code": "nib", "required": true}]; see the SOP format.'),
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
        """The SOP version in force today (a published version whose effective date has not
        come yet is :attr:`upcoming_sop`); uses the prefetch of ``with_published_sop``."""
        if self.sop is None:
            return None
        if hasattr(self.sop, "published_sops"):
            return effective.split(self.sop.published_sops)[0]
        return effective.in_force(self.sop)

    @property
    def upcoming_sop(self) -> SopVersion | None:
        """The published SOP version that takes effect on a later day, if any."""
        if self.sop is None:
            return None
        if hasattr(self.sop, "published_sops"):
            return effective.split(self.sop.published_sops)[1]
        return effective.upcoming(self.sop)

    def sop_for(self, purpose: str):
        """The SOP that runs applications of ``purpose`` (``new``, ``renewal``, ``amendment``)."""
        own = {"renewal": self.renewal_sop, "amendment": self.amendment_sop}.get(purpose)
        return own or self.sop

    def published_sop_for(self, purpose: str) -> SopVersion | None:
        sop = self.sop_for(purpose)
        if sop is None:
            return None
        return self.published_sop if sop == self.sop else effective.in_force(sop)

    def valid_until(self, issued_on):
        """The last day a permit issued on ``issued_on`` (a date) is valid, or None (no limit)."""
        if not self.validity_value or not self.validity_unit:
            return None
        months = self.validity_value * (12 if self.validity_unit == ValidityUnit.YEARS else 1)
        year, month = divmod(issued_on.month - 1 + months, 12)
        year, month = issued_on.year + year, month + 1
        day = min(issued_on.day, calendar.monthrange(year, month)[1])
        # Valid through the day before the same date N months on (e.g. 2 Dec 2026 + 5 years:
        # valid until 1 Dec 2031).
        return date(year, month, day) - timedelta(days=1)

    @property
    def validity_label(self) -> str:
        if not self.validity_value or not self.validity_unit:
            return str(_("no time limit"))
        return f"{self.validity_value} {ValidityUnit(self.validity_unit).label}"

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
