"""API shapes of decrees and rendering jobs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from . import decrees
from .models import Decree, RenderedDocument, SopVersion


class DecreeSerializer(serializers.ModelSerializer):
    annexes = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=SopVersion.objects.all(),
        help_text="Ids of published SOP versions, in print order.",
    )

    class Meta:
        model = Decree
        fields = [
            "id",
            *decrees.EDITABLE_FIELDS,
            "status",
            "annexes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"title": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["annexes"] = [v.pk for v in decrees.annexed_versions(instance)]
        return data

    def validate_annexes(self, versions):
        for version in versions:
            try:
                decrees.check_annex(version)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return versions

    # Writes go through the domain functions, so every door audits the same way.
    def create(self, validated):
        return decrees.new_decree(by=self.context["request"].user, **validated)

    def update(self, instance, validated):
        return decrees.update_decree(instance, validated, by=self.context["request"].user)


class RenderedDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = RenderedDocument
        fields = [
            "id",
            "decree",
            "version",
            "status",
            "done",
            "total",
            "pages",
            "error",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if job.status != RenderedDocument.Status.DONE:
            return None
        return reverse("document-job-file", args=[job.pk])
