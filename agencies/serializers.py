"""Input and output serializers of the agencies API."""

from django.urls import reverse
from rest_framework import serializers

from .models import Agency


class AgencyFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Agency.Kind.choices, required=False, help_text="Agency kind."
    )
    search = serializers.CharField(
        required=False, allow_blank=True, help_text="Part of the agency's code or name."
    )


class AgencyOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Agency.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    city = serializers.CharField()
    address = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, agency: Agency) -> str:
        return absolute_url(self.context, reverse("api-agency-detail", args=[agency.code]))


class AgencyRefSerializer(serializers.Serializer):
    """An agency as other resources point to it."""

    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, agency: Agency) -> str:
        return absolute_url(self.context, reverse("api-agency-detail", args=[agency.code]))


def absolute_url(context: dict, path: str) -> str:
    """``path`` made absolute with the request in the serializer context, when there is one."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ErrorOutputSerializer(serializers.Serializer):
    """The body of an error response (404, 403, 401...)."""

    detail = serializers.CharField()
