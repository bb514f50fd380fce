"""Serializers of the lifecycle API: what goes in (validated input of each transition) and what
comes out (applications, their timeline, step clocks, service time and documents, tasks, public
tracking, verification)."""

from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts import second_factor
from workflows.models import PauseReason, PerformerRole, StepEvent, Task

from . import progress
from .models import Application, ApplicationDocument, IssuedDocument, Service
from .serializers import DurationSerializer

# --- input -------------------------------------------------------------------------------------


class TokenInputSerializer(serializers.Serializer):
    """Email and password of an account (the portal signs in by email)."""

    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_(
            "Staff, when the second factor is required: the code of the authenticator app "
            "(or one recovery code)."
        ),
    )

    def validate(self, attrs):
        # django-axes counts a failure here like one on the sign-in page, and refuses a
        # locked-out account or address before the password is checked (429).
        user = authenticate(
            self.context.get("request"), username=attrs["email"], password=attrs["password"]
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to sign in with these credentials."), code="authorization"
            )
        if second_factor.required_for(user):
            if second_factor.totp_device(user) is None:
                raise serializers.ValidationError(
                    {"otp": _("Set up the second factor on the website first.")},
                    code="second_factor_enrolment",
                )
            if not attrs.get("otp") or second_factor.check(user, attrs["otp"]) is None:
                raise serializers.ValidationError(
                    {"otp": _("The second-factor code is missing, wrong or used already.")},
                    code="second_factor",
                )
        attrs["user"] = user
        return attrs


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    expires = serializers.DateTimeField(help_text=_("When the token stops working."))


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


class TrackingInputSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=30)
    access_code = serializers.CharField(max_length=20)


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


# --- output ------------------------------------------------------------------------------------


def _one_of(choices) -> serializers.CharField:
    """A read-only choice shown as a string: several models have a ``status`` or ``kind`` of
    their own, and separate enums of one name would collide in the schema."""
    return serializers.CharField(
        read_only=True, help_text=_("One of: %s.") % ", ".join(f"`{v}`" for v, _l in choices)
    )


class DomainErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField(), required=False)


class SubmittedOutputSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    access_code = serializers.CharField(
        help_text=_("Shown once: keep it to track the application without signing in.")
    )


class DocumentOutputSerializer(serializers.ModelSerializer):
    status = _one_of(ApplicationDocument.Status.choices)

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
    kind = _one_of(StepEvent.Kind.choices)
    reason = _one_of(PauseReason.choices)

    class Meta:
        model = StepEvent
        fields = ["step", "activity", "agency", "kind", "reason", "until", "at"]


class HolderSerializer(serializers.ModelSerializer):
    """An open task as the applicant sees it: which step, which agency, since when."""

    step = serializers.IntegerField(source="step.no")
    activity = serializers.CharField(source="step.activity")
    agency = serializers.CharField(source="agency.name", default=None, allow_null=True)
    pause_reason = _one_of(PauseReason.choices)

    class Meta:
        model = Task
        fields = ["step", "activity", "agency", "opened_at", "paused_at", "pause_reason"]


class ApplicationListOutputSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    held_by = HolderSerializer(source="open_tasks", many=True)
    status = _one_of(Application.Status.choices)

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
    status = _one_of(IssuedDocument.Status.choices)
    revoked = serializers.BooleanField(read_only=True)
    kind = _one_of(IssuedDocument.Kind.choices)

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


# --- clocks: what ``permits.progress`` reads of an application's time ----------------


class PublicPauseOutputSerializer(serializers.Serializer):
    """A time a step's clock stood still (its office time is not counted)."""

    reason = _one_of(PauseReason.choices)
    reason_label = serializers.CharField()
    started = serializers.DateTimeField()
    ended = serializers.DateTimeField(allow_null=True, help_text=_("Null while it lasts."))
    until = serializers.DateField(allow_null=True, help_text=_("Expected end, e.g. a visit."))
    agency = serializers.CharField(help_text=_("Agency holding the step (empty: the applicant)."))


class PauseOutputSerializer(PublicPauseOutputSerializer):
    by = serializers.CharField(
        help_text=_(
            "Who stopped the clock, as role and agency (never a person's name); empty for "
            "the applicant's own wait."
        )
    )


class PublicStepClockOutputSerializer(serializers.Serializer):
    """One step of the application with its clock, in the order the steps started."""

    step = serializers.IntegerField(source="no")
    activity = serializers.CharField()
    performer = serializers.CharField(help_text=_("The performer's title (a role)."))
    agency = serializers.CharField()
    cycle = serializers.IntegerField(help_text=_("How many times the file reached this step."))
    status = _one_of(Task.Status.choices)
    opened_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "Deadline of the step (pushed by its pauses); null without a time norm and for "
            "the applicant's own step."
        ),
    )
    clock = _one_of(list(progress.CLOCK_LABELS.items()))
    clock_label = serializers.CharField()
    pauses = PublicPauseOutputSerializer(many=True)


class StepClockOutputSerializer(PublicStepClockOutputSerializer):
    pauses = PauseOutputSerializer(many=True)


class UpcomingStepOutputSerializer(serializers.Serializer):
    """A step still ahead on the expected path (*Ya* at decisions)."""

    step = serializers.IntegerField(source="no")
    activity = serializers.CharField()
    performer = serializers.CharField()
    agency = serializers.CharField(help_text=_("Empty for the technical agencies of the service."))
    norm = DurationSerializer(allow_null=True, help_text=_("The step's time norm."))


class ServiceTimeOutputSerializer(serializers.Serializer):
    """The whole application's service time (the service standard), counted from the moment
    the file was declared complete; time waiting for the applicant is not counted."""

    status = _one_of(list(progress.SERVICE_TIME_LABELS.items()))
    label = serializers.CharField()
    norm = DurationSerializer(allow_null=True, help_text=_("The service standard."))
    started_at = serializers.DateTimeField(allow_null=True, help_text=_("Declared complete."))
    due_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    working_days = serializers.IntegerField(
        allow_null=True, help_text=_("The norm in working days (day and week norms only).")
    )
    working_days_used = serializers.IntegerField(allow_null=True)
    percent_used = serializers.IntegerField(allow_null=True)
    waited_minutes = serializers.IntegerField(
        help_text=_("Office minutes spent waiting for the applicant (not counted).")
    )


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
    role = _one_of(PerformerRole.choices)
    status = _one_of(Task.Status.choices)
    pause_reason = _one_of(PauseReason.choices)

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


class TrackingOutputSerializer(serializers.Serializer):
    """What anyone with the number and the access code sees: no personal data."""

    tracking_number = serializers.CharField()
    service_name = serializers.CharField(source="service.name")
    status = _one_of(Application.Status.choices)
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
    kind = _one_of(IssuedDocument.Kind.choices)

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
