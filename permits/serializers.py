"""Input and output serializers of the services and SOP API."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.serializers import AgencyRefSerializer, absolute_url
from sop_portal.formatting import format_rupiah
from workflows.durations import TimeUnit
from workflows.models import (
    PerformerRole,
    SopPerformer,
    SopStep,
    SopVersion,
    StepAction,
    Symbol,
)
from workflows.validation import TECHNICAL
from workflows.versions import service_and_purpose

from .models import Service, ServiceKind

#: A service's SOPs by kind, in the interchange format's ``purpose`` values.
SOP_KINDS = (
    ("new", gettext_lazy("Main SOP")),
    ("renewal", gettext_lazy("Renewal SOP")),
    ("amendment", gettext_lazy("Amendment SOP")),
)


def service_url(context: dict, code: str) -> str:
    return absolute_url(context, reverse("api-service-detail", args=[code]))


def sop_url(context: dict, code: str) -> str:
    return absolute_url(context, reverse("api-service-sop", args=[code]))


def sop_versions_url(context: dict, code: str) -> str:
    return absolute_url(context, reverse("api-service-sop-versions", args=[code]))


def sop_document_url(context: dict, code: str, version: int | None = None) -> str:
    path = reverse("api-service-sop-document", args=[code])
    if version is not None:
        path = f"{path}?{urlencode({'version': version})}"
    return absolute_url(context, path)


class DurationSerializer(serializers.Serializer):
    """A time norm: ``days`` are working days, ``weeks`` five working days."""

    value = serializers.IntegerField(min_value=1)
    unit = serializers.ChoiceField(choices=TimeUnit.choices)


class ShortFeeSerializer(serializers.Serializer):
    amount = serializers.IntegerField(source="fee_amount")
    currency = serializers.CharField(source="fee_currency")


class FeeSerializer(ShortFeeSerializer):
    basis = serializers.CharField(source="fee_basis")
    is_free = serializers.BooleanField()


class RequirementOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    mandatory = serializers.BooleanField()
    formats = serializers.ListField(child=serializers.CharField())


class StandardComponentSerializer(serializers.Serializer):
    no = serializers.IntegerField(min_value=1, max_value=14)
    key = serializers.CharField()
    label = serializers.CharField()
    public = serializers.BooleanField(
        help_text="Delivery components (1-6) are public; 7-14 concern internal management."
    )
    text = serializers.CharField()


class SopRefSerializer(serializers.Serializer):
    """The published SOP version of a service, and where to read it."""

    version = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True)
    url = serializers.URLField()
    versions_url = serializers.URLField()
    document_url = serializers.URLField()


class PurposeSopSerializer(serializers.Serializer):
    """One of a service's SOPs by kind (``new``: the main SOP; ``renewal``, ``amendment``: the
    SOPs that run those requests when the service declares its own), in force today."""

    purpose = serializers.ChoiceField(choices=["new", "renewal", "amendment"])
    label = serializers.CharField()
    version = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True)
    url = serializers.URLField()


class SopPurposeQuerySerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(
        choices=["new", "renewal", "amendment"],
        required=False,
        default="new",
        help_text="Which of the service's SOPs: `new` (the main SOP, default), `renewal` or "
        "`amendment` (404 when the service has no SOP of its own for it).",
    )


class ServiceListOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    sector = serializers.CharField()
    service_time = DurationSerializer(allow_null=True)
    fee = ShortFeeSerializer(source="*")
    technical_agencies = serializers.SerializerMethodField(help_text="Agency codes.")
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_technical_agencies(self, service: Service) -> list[str]:
        return [agency.code for agency in service.technical_agencies.all()]

    def get_url(self, service: Service) -> str:
        return service_url(self.context, service.code)


class ServiceDetailOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    sector = serializers.CharField()
    description = serializers.CharField()
    technical_agencies = AgencyRefSerializer(many=True)
    requirements = RequirementOutputSerializer(many=True)
    service_time = DurationSerializer(allow_null=True)
    fee = FeeSerializer(source="*")
    product = serializers.CharField()
    legal_basis = serializers.ListField(child=serializers.CharField())
    standard = serializers.SerializerMethodField()
    sop = serializers.SerializerMethodField()
    sops = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(PurposeSopSerializer(many=True))
    def get_sops(self, service: Service) -> list[dict]:
        """The main SOP and the service's own renewal and amendment SOPs, each in force."""
        rows = []
        for purpose, label in SOP_KINDS:
            if purpose != "new" and getattr(service, f"{purpose}_sop_id") is None:
                continue
            version = service.published_sop_for(purpose)
            if version is None:
                continue
            url = sop_url(self.context, service.code)
            rows.append(
                {
                    "purpose": purpose,
                    "label": str(label),
                    "version": version.version,
                    "number": version.number,
                    "name": version.name,
                    "effective_on": version.effective_on,
                    "url": url if purpose == "new" else f"{url}?purpose={purpose}",
                }
            )
        return rows

    @extend_schema_field(StandardComponentSerializer(many=True))
    def get_standard(self, service: Service) -> list[dict]:
        return [
            {
                "no": component.no,
                "key": component.key,
                "label": str(component.label),
                "public": component.public,
                "text": text if component.free_text else _derived_text(service, component.key),
            }
            for component, text in service.standard_components()
        ]

    @extend_schema_field(SopRefSerializer(allow_null=True))
    def get_sop(self, service: Service) -> dict | None:
        version = service.published_sop
        if version is None:
            return None
        return {
            "version": version.version,
            "number": version.number,
            "name": version.name,
            "effective_on": version.effective_on,
            "url": sop_url(self.context, service.code),
            "versions_url": sop_versions_url(self.context, service.code),
            "document_url": sop_document_url(self.context, service.code, version.version),
        }

    def get_url(self, service: Service) -> str:
        return service_url(self.context, service.code)


def _derived_text(service: Service, key: str) -> str:
    """The text of a standard component that comes from the service's own fields."""
    if key == "requirements":
        return "\n".join(r.name for r in service.requirements.all())
    if key == "service_time":
        return str(service.service_time) if service.service_time else ""
    if key == "fee":
        if service.is_free:
            amount = _("Free of charge")
        else:
            amount = format_rupiah(service.fee_amount, service.fee_currency)
        return f"{amount}\n{service.fee_basis}".strip()
    if key == "product":
        return service.product
    if key == "legal_basis":
        return "\n".join(service.legal_basis)
    return ""


class ApprovedBySerializer(serializers.Serializer):
    position = serializers.CharField(source="approved_by_position")
    name = serializers.CharField(source="approved_by_name")
    nip = serializers.CharField(source="approved_by_nip")


class PerformerOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    role = serializers.ChoiceField(choices=PerformerRole.choices)
    agency = serializers.SerializerMethodField(
        help_text=f'An agency code, "{TECHNICAL}" for the service\'s technical agencies, '
        "or null (the applicant)."
    )

    def get_agency(self, performer: SopPerformer) -> str | None:
        if performer.for_technical:
            return TECHNICAL
        return performer.agency.code if performer.agency_id else None


class StepOutputSerializer(serializers.Serializer):
    no = serializers.IntegerField()
    symbol = serializers.ChoiceField(choices=Symbol.choices)
    activity = serializers.CharField()
    performer = serializers.CharField(source="performer.key")
    requirements = serializers.ListField(child=serializers.CharField())
    duration = DurationSerializer(allow_null=True)
    output = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()
    next = serializers.IntegerField(source="next_no", allow_null=True)
    on_yes = serializers.IntegerField(source="yes_no", allow_null=True)
    on_no = serializers.IntegerField(source="no_no", allow_null=True)
    action = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=StepAction.choices, allow_null=True))
    def get_action(self, step: SopStep) -> str | None:
        return step.action or None


class SopVersionOutputSerializer(serializers.Serializer):
    service = serializers.CharField(source="sop.code")
    purpose = serializers.SerializerMethodField(
        help_text="Which of its service's SOPs this is: new (main), renewal or amendment."
    )
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SopVersion.Status.choices)
    number = serializers.CharField()
    name = serializers.CharField()
    made_on = serializers.DateField(allow_null=True)
    revised_on = serializers.DateField(allow_null=True)
    effective_on = serializers.DateField(allow_null=True)
    approved_by = ApprovedBySerializer(source="*")
    legal_basis = serializers.ListField(child=serializers.CharField())
    related = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    qualifications = serializers.ListField(child=serializers.CharField())
    equipment = serializers.ListField(child=serializers.CharField())
    records = serializers.ListField(child=serializers.CharField())
    published_at = serializers.DateTimeField(allow_null=True)
    performers = PerformerOutputSerializer(many=True)
    steps = StepOutputSerializer(many=True)
    total_duration = DurationSerializer(
        source="total_time_norm",
        many=True,
        help_text="The sum of the steps' time norms, largest unit first (weeks counted as five "
        "working days, minutes folded into hours; days and hours stay apart).",
    )
    document_url = serializers.SerializerMethodField()

    def get_document_url(self, version: SopVersion) -> str:
        return sop_document_url(self.context, version.sop.code, version.version)

    def get_purpose(self, version: SopVersion) -> str:
        return self.context.get("purpose") or service_and_purpose(version.sop)[1]


class SopVersionListOutputSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=SopVersion.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    effective_on = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    superseded_at = serializers.DateTimeField(allow_null=True)
    document_url = serializers.SerializerMethodField()

    def get_document_url(self, version: SopVersion) -> str:
        return sop_document_url(self.context, version.sop.code, version.version)


class ServiceFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ServiceKind.choices, required=False, help_text="Service kind."
    )
    sector = serializers.CharField(
        required=False, allow_blank=True, help_text="Sector, exactly as listed (e.g. Perhubungan)."
    )
    agency = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Code of a technical agency involved in the service (e.g. DISHUB).",
    )
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Words that must all appear in the service's name, code or sector.",
    )


class SopDocumentQuerySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Version number; by default the newest version you may read.",
    )


class SopDocumentImportQuerySerializer(serializers.Serializer):
    publish = serializers.BooleanField(
        default=False,
        help_text="Publish the imported version at once (it supersedes the published one); "
        "otherwise it stays a draft.",
    )


class SopDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The JSON document (sop-portal/1).")


class SopDocumentImportOutputSerializer(serializers.Serializer):
    service = serializers.CharField(source="sop.code", help_text="The service's code.")
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SopVersion.Status.choices)
    url = serializers.SerializerMethodField(help_text="Where to download the imported document.")

    def get_url(self, version: SopVersion) -> str:
        return sop_document_url(self.context, version.sop.code, version.version)


class ProblemSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="JSON path of the offending value, e.g. sop.steps[2].")
    step = serializers.IntegerField(allow_null=True, help_text="Step number, when it is a step.")
    message = serializers.CharField(help_text="In the request's language.")


class InvalidDocumentOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = ProblemSerializer(many=True)
