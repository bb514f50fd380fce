"""Input and output serializers of the feedback API (one pair per endpoint where they differ)."""

from rest_framework import serializers

from . import skm
from .models import Complaint, ComplaintReply

#: A plain string in the schema: an enum here would clash with the other ``status`` enums
#: (add ``"ComplaintStatusEnum": "feedback.models.Complaint.Status"`` to
#: ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]`` to publish it as an enum).
STATUS_HELP = "received | in_progress | answered | closed"


class SurveyAnswersSerializer(serializers.Serializer):
    """The nine answers (U1…U9, 1–4) and the optional respondent profile."""

    u1 = serializers.IntegerField(min_value=1, max_value=4)
    u2 = serializers.IntegerField(min_value=1, max_value=4)
    u3 = serializers.IntegerField(min_value=1, max_value=4)
    u4 = serializers.IntegerField(min_value=1, max_value=4)
    u5 = serializers.IntegerField(min_value=1, max_value=4)
    u6 = serializers.IntegerField(min_value=1, max_value=4)
    u7 = serializers.IntegerField(min_value=1, max_value=4)
    u8 = serializers.IntegerField(min_value=1, max_value=4)
    u9 = serializers.IntegerField(min_value=1, max_value=4)
    gender = serializers.ChoiceField(choices=skm.GENDERS, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=skm.EDUCATION, required=False, allow_blank=True)
    occupation = serializers.ChoiceField(choices=skm.OCCUPATIONS, required=False, allow_blank=True)
    suggestions = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class SurveySubmitInputSerializer(SurveyAnswersSerializer):
    token = serializers.CharField(
        required=False,
        help_text="The signed token of the invitation link (the last part of its URL).",
    )
    application = serializers.IntegerField(
        required=False, help_text="Or: the id of the signed-in applicant's finished application."
    )


class SurveySubmitOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = serializers.CharField(source="service.code")
    answered_on = serializers.DateField()


class PeriodInputSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    service = serializers.IntegerField(required=False, help_text="Service id")
    agency = serializers.IntegerField(required=False, help_text="Agency id")

    def validate(self, data):
        if data["start"] > data["end"]:
            raise serializers.ValidationError("start is after end")
        return data


class ElementResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    nrr = serializers.DecimalField(max_digits=12, decimal_places=6, allow_null=True)


class SkmResultSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    population = serializers.IntegerField(
        allow_null=True, help_text="Applications finished in the period"
    )
    required_sample = serializers.IntegerField(
        allow_null=True, help_text="Krejcie & Morgan sample size for the population"
    )
    elements = ElementResultSerializer(many=True)
    ikm = serializers.DecimalField(max_digits=12, decimal_places=6, allow_null=True)
    converted = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.CharField(allow_null=True)
    grade_label = serializers.CharField(allow_null=True)
    exact_converted = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="Converted score with the exact weight 1/9 (the official one uses 0.111)",
    )
    exact_grade = serializers.CharField(allow_null=True)


def skm_result_data(result: skm.SkmResult) -> dict:
    return {
        "respondents": result.respondents,
        "population": result.population,
        "required_sample": result.required_sample,
        "elements": [
            {"code": e.code, "name": e.name, "nrr": nrr}
            for e, nrr in zip(skm.ELEMENTS, result.nrr, strict=True)
        ],
        "ikm": result.ikm,
        "converted": result.converted,
        "grade": result.grade,
        "grade_label": result.grade_label,
        "exact_converted": result.exact.converted if result.exact else None,
        "exact_grade": result.exact.grade.letter if result.exact else None,
    }


class ServiceResultSerializer(SkmResultSerializer):
    service_id = serializers.IntegerField()


class SkmResultsOutputSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    overall = SkmResultSerializer()
    services = ServiceResultSerializer(many=True)


class ComplaintCreateInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Complaint.Category.choices)
    text = serializers.CharField(max_length=8000)
    service = serializers.IntegerField(required=False, allow_null=True, help_text="Service id")
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    application_code = serializers.CharField(required=False, allow_blank=True, max_length=20)
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    attachment = serializers.FileField(
        required=False,
        allow_empty_file=True,  # an empty file gets the upload check's own message
        help_text="Optional photo or scan (PDF, JPG or PNG), sent as multipart/form-data; "
        "checked by content like every upload (400 with the reason when refused).",
    )


class ComplaintCreatedOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    access_code = serializers.CharField(help_text="Shown once; keep it to follow the complaint.")
    due_at = serializers.DateTimeField()


class ComplaintTrackInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    access_code = serializers.CharField(max_length=20)


class PublicReplySerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="author_unit")

    class Meta:
        model = ComplaintReply
        fields = ["unit", "text", "created_at"]


class ComplaintTrackOutputSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.name", allow_null=True, default=None)
    replies = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "number",
            "status",
            "category",
            "service",
            "received_at",
            "due_at",
            "answered_at",
            "text",
            "replies",
        ]

    status = serializers.CharField(help_text=STATUS_HELP)

    def get_replies(self, obj) -> list[dict]:
        return PublicReplySerializer([r for r in obj.replies.all() if r.is_public], many=True).data


class StaffReplySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", allow_null=True, default=None)

    class Meta:
        model = ComplaintReply
        fields = ["id", "text", "is_public", "author", "author_unit", "created_at"]


class ComplaintStaffOutputSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code", allow_null=True, default=None)
    application = serializers.CharField(
        source="application.tracking_number", allow_null=True, default=None
    )
    assigned_agency = serializers.CharField(
        source="assigned_agency.code", allow_null=True, default=None
    )
    overdue = serializers.SerializerMethodField()
    status = serializers.CharField(help_text=STATUS_HELP)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "status",
            "category",
            "text",
            "name",
            "email",
            "phone",
            "service",
            "application",
            "assigned_agency",
            "received_at",
            "due_at",
            "answered_at",
            "closed_at",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ComplaintStaffDetailSerializer(ComplaintStaffOutputSerializer):
    replies = StaffReplySerializer(many=True, read_only=True)

    class Meta(ComplaintStaffOutputSerializer.Meta):
        fields = [*ComplaintStaffOutputSerializer.Meta.fields, "replies"]


class ReplyInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    public = serializers.BooleanField(default=True)


class AssignInputSerializer(serializers.Serializer):
    agency = serializers.IntegerField(help_text="Agency id")


class StatusInputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="in_progress (start or reopen) | closed")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate_status(self, value: str) -> str:
        if value not in (Complaint.Status.IN_PROGRESS, Complaint.Status.CLOSED):
            raise serializers.ValidationError("in_progress or closed")
        return value


class ComplaintFiguresOutputSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    resolved = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    resolved_on_time = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
