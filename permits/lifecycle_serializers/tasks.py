"""The office's side: the task list's filter, completing a task (each step action's data),
returning, scheduling and reassigning it in; tasks out."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workflows.models import PauseReason, PerformerRole, Task

from .applications import DocumentOutputSerializer
from .common import one_of


class ReassignInputSerializer(serializers.Serializer):
    to = serializers.EmailField(help_text=_("Email of the colleague who takes the task."))
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_to(self, value):
        user = get_user_model().objects.filter(email__iexact=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("No active account has this email."))
        return user


class CheckResultSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteInputSerializer(serializers.Serializer):
    """Completing a task: the generic fields, and the data of the step's action."""

    outcome = serializers.ChoiceField(
        choices=[("yes", "yes"), ("no", "no"), ("done", "done")],
        required=False,
        help_text=_("`yes`/`no` (*Ya*/*Tidak*) for a decision step; left out otherwise."),
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    results = serializers.DictField(
        child=CheckResultSerializer(),
        required=False,
        help_text=_("Completeness check: requirement code -> {accepted, reason}."),
    )
    verdict = serializers.CharField(
        required=False,
        help_text=_(
            "Recommendation (`recommend`, `recommend_with_conditions`, `not_recommend`) or "
            "decision (`approve`, `reject`)."
        ),
    )
    conditions = serializers.CharField(required=False, allow_blank=True)
    reasons = serializers.CharField(required=False, allow_blank=True)
    findings = serializers.CharField(required=False, allow_blank=True)
    passed = serializers.BooleanField(required=False, default=True)
    report = serializers.FileField(
        required=False, allow_empty_file=True, help_text=_("Inspection report (BAP).")
    )
    attachments = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False
    )
    payment_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_("`pay`: the payment code read off the applicant's receipt (the bill's)."),
    )
    passphrase = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        write_only=True,
        max_length=200,
        help_text=_(
            "`issue_permit`, `issue_rejection`: the passphrase of the signer's certificate "
            "(the document is signed with it and never issued unsigned; it is not stored)."
        ),
    )

    collected_by = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=150,
        help_text=_("`handover`: who collects the document (the applicant when left out)."),
    )
    identity_type = serializers.ChoiceField(
        choices=["ktp", "sim", "passport", "kitas", "other"],
        required=False,
        help_text=_("`handover`: the identity document the collector showed."),
    )
    identity_number = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=_("`handover`: its number.")
    )
    relation = serializers.ChoiceField(
        choices=["self", "family", "employee", "proxy", "courier"],
        required=False,
        help_text=_("`handover`: the collector's relation to the applicant (`self` by default)."),
    )

    def action_data(self) -> dict:
        data = dict(self.validated_data)
        data.pop("outcome", None)
        data.pop("notes", None)
        if "results" in data:
            data["results"] = {code: dict(r) for code, r in data["results"].items()}
        return data


class TaskReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    documents = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text=_("Requirement code -> what to correct."),
    )


class ScheduleInputSerializer(serializers.Serializer):
    visit_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskFilterSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=[("actionable", "actionable"), ("visible", "visible")],
        default="actionable",
        help_text=_("`actionable`: open tasks you may act on; `visible`: every task you may see."),
    )
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    agency = serializers.CharField(required=False, help_text=_("Agency code."))
    action = serializers.CharField(required=False, help_text=_("Step action, e.g. `check`."))
    mine = serializers.BooleanField(required=False, help_text=_("Only tasks claimed by you."))
    search = serializers.CharField(required=False, help_text=_("Tracking number (part of it)."))
    ordering = serializers.ChoiceField(
        choices=[("due", "due"), ("-due", "-due"), ("opened", "opened"), ("-opened", "-opened")],
        default="opened",
    )


class TaskOutputSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    tracking_number = serializers.CharField(source="application.tracking_number")
    service = serializers.CharField(source="application.service.code")
    applicant = serializers.CharField(source="application.applicant.full_name")
    step = serializers.IntegerField(source="step.no")
    activity = serializers.CharField(source="step.activity")
    action = serializers.CharField(source="step.action")
    decision = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    assignee = serializers.CharField(source="assignee.email", default=None, allow_null=True)
    role = one_of(PerformerRole.choices)
    status = one_of(Task.Status.choices)
    pause_reason = one_of(PauseReason.choices)

    class Meta:
        model = Task
        fields = [
            "id",
            "application",
            "tracking_number",
            "service",
            "applicant",
            "step",
            "activity",
            "action",
            "decision",
            "agency",
            "role",
            "status",
            "outcome",
            "cycle",
            "assignee",
            "opened_at",
            "due_at",
            "paused_at",
            "pause_reason",
            "paused_until",
            "completed_at",
        ]

    def get_decision(self, obj: Task) -> bool:
        return obj.step.symbol == "decision"


class TaskDetailOutputSerializer(TaskOutputSerializer):
    notes = serializers.CharField()
    documents = serializers.SerializerMethodField()

    class Meta(TaskOutputSerializer.Meta):
        fields = [*TaskOutputSerializer.Meta.fields, "notes", "documents"]

    def get_documents(self, obj: Task) -> list[dict]:
        documents = obj.application.documents.current().order_by("requirement_code")
        return DocumentOutputSerializer(documents, many=True).data
