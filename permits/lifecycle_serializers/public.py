"""What anyone may ask without an account: tracking with the number and access code, and the
verification of an issued document."""

from rest_framework import serializers

from ..models import Application, IssuedDocument
from .applications import HolderSerializer, TimelineEventSerializer
from .clocks import (
    PublicStepClockOutputSerializer,
    ServiceTimeOutputSerializer,
    UpcomingStepOutputSerializer,
)
from .common import one_of


class TrackingInputSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=30)
    access_code = serializers.CharField(max_length=20)


class TrackingOutputSerializer(serializers.Serializer):
    """What anyone with the number and the access code sees: no personal data."""

    tracking_number = serializers.CharField()
    service_name = serializers.CharField(source="service.name")
    status = one_of(Application.Status.choices)
    submitted_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField()
    held_by = HolderSerializer(source="open_tasks", many=True)
    timeline = TimelineEventSerializer(source="step_events", many=True)
    # Read from ``application.progress`` (``permits.progress.progress(public=True)``).
    steps = PublicStepClockOutputSerializer(source="progress.steps", many=True)
    upcoming = UpcomingStepOutputSerializer(source="progress.upcoming", many=True)
    service_time = ServiceTimeOutputSerializer(source="progress.service_time")
    predicted_completion = serializers.DateTimeField(
        source="progress.predicted_completion", allow_null=True
    )


class VerificationOutputSerializer(serializers.ModelSerializer):
    authentic = serializers.SerializerMethodField()
    revoked = serializers.BooleanField(read_only=True)
    kind = one_of(IssuedDocument.Kind.choices)

    class Meta:
        model = IssuedDocument
        fields = [
            "authentic",
            "kind",
            "number",
            "holder_name",
            "service_name",
            "issued_at",
            "revoked",
            "revoked_at",
        ]

    def get_authentic(self, obj: IssuedDocument) -> bool:
        return not obj.revoked
