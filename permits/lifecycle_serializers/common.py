"""What the lifecycle API's serializers share: a choice shown as a string, the domain error."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def one_of(choices) -> serializers.CharField:
    """A read-only choice shown as a string: several models have a ``status`` or ``kind`` of
    their own, and separate enums of one name would collide in the schema."""
    return serializers.CharField(
        read_only=True, help_text=_("One of: %s.") % ", ".join(f"`{v}`" for v, _l in choices)
    )


class DomainErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    codes = serializers.ListField(child=serializers.CharField(), required=False)
