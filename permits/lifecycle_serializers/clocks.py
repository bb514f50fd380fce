"""An application's time as ``permits.progress`` reads it: each step's clock and pauses, the
steps ahead, the whole service time."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workflows.models import PauseReason, Task

from .. import progress
from ..serializers import DurationSerializer
from .common import one_of


class PublicPauseOutputSerializer(serializers.Serializer):
    """A time a step's clock stood still (its office time is not counted)."""

    reason = one_of(PauseReason.choices)
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
    status = one_of(Task.Status.choices)
    opened_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "Deadline of the step (pushed by its pauses); null without a time norm and for "
            "the applicant's own step."
        ),
    )
    clock = one_of(list(progress.CLOCK_LABELS.items()))
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

    status = one_of(list(progress.SERVICE_TIME_LABELS.items()))
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
