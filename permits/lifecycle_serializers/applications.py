"""The applicant's side: a draft, its documents, corrections, withdrawal and payment proof in;
the application (list and detail with its timeline, clocks and issued documents) out."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workflows.models import PauseReason, StepEvent, Task

from ..models import Application, ApplicationDocument, IssuedDocument, Service
from .clocks import (
    ServiceTimeOutputSerializer,
    StepClockOutputSerializer,
    UpcomingStepOutputSerializer,
)
from .common import one_of


class DraftInputSerializer(serializers.Serializer):
    service = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Service.objects.public(),
        help_text=_("Code of the service applied for."),
    )


class DocumentUploadSerializer(serializers.Serializer):
    requirement = serializers.CharField(max_length=40, help_text=_("Requirement code."))
    file = serializers.FileField(allow_empty_file=True)


class CorrectionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.DictField(
        child=serializers.FileField(allow_empty_file=True),
        read_only=True,
        help_text=_(
            "One file per document asked for, each sent as a multipart field named after the "
            "requirement code (e.g. `ktp`)."
        ),
    )


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ProofInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


class SubmittedOutputSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    access_code = serializers.CharField(
        help_text=_("Shown once: keep it to track the application without signing in.")
    )


class DocumentOutputSerializer(serializers.ModelSerializer):
    status = one_of(ApplicationDocument.Status.choices)

    class Meta:
        model = ApplicationDocument
        fields = [
            "id",
            "requirement_code",
            "requirement_name",
            "original_name",
            "content_type",
            "size",
            "version",
            "is_current",
            "status",
            "reason",
            "uploaded_at",
        ]


class TimelineEventSerializer(serializers.ModelSerializer):
    step = serializers.IntegerField(source="task.step.no")
    activity = serializers.CharField(source="task.step.activity")
    agency = serializers.CharField(source="task.agency.name", default=None, allow_null=True)
    kind = one_of(StepEvent.Kind.choices)
    reason = one_of(PauseReason.choices)

    class Meta:
        model = StepEvent
        fields = ["step", "activity", "agency", "kind", "reason", "until", "at"]


class HolderSerializer(serializers.ModelSerializer):
    """An open task as the applicant sees it: which step, which agency, since when."""

    step = serializers.IntegerField(source="step.no")
    activity = serializers.CharField(source="step.activity")
    agency = serializers.CharField(source="agency.name", default=None, allow_null=True)
    pause_reason = one_of(PauseReason.choices)

    class Meta:
        model = Task
        fields = ["step", "activity", "agency", "opened_at", "paused_at", "pause_reason"]


class ApplicationListOutputSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    held_by = HolderSerializer(source="open_tasks", many=True)
    status = one_of(Application.Status.choices)

    class Meta:
        model = Application
        fields = [
            "id",
            "tracking_number",
            "service",
            "service_name",
            "status",
            "created_at",
            "submitted_at",
            "completed_at",
            "held_by",
        ]


class IssuedDocumentOutputSerializer(serializers.ModelSerializer):
    verification_url = serializers.SerializerMethodField()
    status = one_of(IssuedDocument.Status.choices)
    revoked = serializers.BooleanField(read_only=True)
    kind = one_of(IssuedDocument.Kind.choices)

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "kind",
            "number",
            "holder_name",
            "service_name",
            "reasons",
            "issued_at",
            "valid_until",
            "status",
            "revoked",
            "verification_url",
        ]

    def get_verification_url(self, obj: IssuedDocument) -> str:
        from django.urls import reverse

        path = reverse("api-lifecycle-verify", args=[obj.verification_token])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ApplicationDetailOutputSerializer(ApplicationListOutputSerializer):
    documents = DocumentOutputSerializer(many=True)
    timeline = TimelineEventSerializer(source="step_events", many=True)
    issued_documents = IssuedDocumentOutputSerializer(many=True)
    # Read from ``application.progress`` (``permits.progress.progress``), set by the view.
    steps = StepClockOutputSerializer(source="progress.steps", many=True)
    upcoming = UpcomingStepOutputSerializer(source="progress.upcoming", many=True)
    service_time = ServiceTimeOutputSerializer(source="progress.service_time")
    predicted_completion = serializers.DateTimeField(
        source="progress.predicted_completion",
        allow_null=True,
        help_text=_("When the application should be done if every remaining step keeps its norm."),
    )

    class Meta(ApplicationListOutputSerializer.Meta):
        fields = [
            *ApplicationListOutputSerializer.Meta.fields,
            "return_reason",
            "withdraw_reason",
            "data",
            "documents",
            "timeline",
            "steps",
            "upcoming",
            "service_time",
            "predicted_completion",
            "issued_documents",
        ]
