"""Input and output serializers of the SOP versions API (staff side)."""

from rest_framework import serializers

from .diff import VersionDiff
from .interchange import sop_to_dict
from .models import SopVersion


class ProblemSerializer(serializers.Serializer):
    path = serializers.CharField(help_text="JSON path in the interchange format's sop object.")
    step = serializers.IntegerField(allow_null=True, help_text="Step number, when in a step.")
    message = serializers.CharField()


class SopVersionSummarySerializer(serializers.Serializer):
    sop = serializers.CharField(source="sop.code")
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=SopVersion.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    number = serializers.CharField()
    name = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    superseded_at = serializers.DateTimeField(allow_null=True)


class SopVersionDetailSerializer(SopVersionSummarySerializer):
    content = serializers.SerializerMethodField(
        help_text="The version's sop object in the sop-portal/1 interchange format."
    )
    problems = serializers.SerializerMethodField(
        help_text="What stops this version from being submitted or published (empty: nothing)."
    )

    def get_content(self, version: SopVersion) -> dict:
        return sop_to_dict(version)

    def get_problems(self, version: SopVersion) -> list[dict]:
        problems = self.context.get("problems") or []
        return ProblemSerializer(problems, many=True).data


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the version goes back to draft.")


class PublishInputSerializer(serializers.Serializer):
    effective_on = serializers.DateField(help_text="The date the SOP takes effect (YYYY-MM-DD).")


class DiffQuerySerializer(serializers.Serializer):
    a = serializers.IntegerField(min_value=1, help_text="The version compared from.")
    b = serializers.IntegerField(min_value=1, help_text="The version compared to.")


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class PerformerChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class StepChangeSerializer(serializers.Serializer):
    before_no = serializers.IntegerField(source="before.no")
    after_no = serializers.IntegerField(source="after.no")
    activity = serializers.CharField(source="after.activity")
    time_norm_changed = serializers.BooleanField()
    changes = FieldChangeSerializer(many=True)


class DiffOutputSerializer(serializers.Serializer):
    a = serializers.IntegerField()
    b = serializers.IntegerField()
    identity = FieldChangeSerializer(many=True)
    performers_added = serializers.ListField(child=serializers.JSONField())
    performers_removed = serializers.ListField(child=serializers.JSONField())
    performers_changed = serializers.SerializerMethodField()
    steps_added = serializers.ListField(child=serializers.JSONField())
    steps_removed = serializers.ListField(child=serializers.JSONField())
    steps_changed = StepChangeSerializer(many=True)
    steps_unchanged = serializers.IntegerField()

    def get_performers_changed(self, diff: VersionDiff) -> list[dict]:
        rows = [{"key": key, "changes": changes} for key, changes in diff.performers_changed]
        return PerformerChangeSerializer(rows, many=True).data
