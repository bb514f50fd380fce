"""Serializers of an issued document's life in the API: its signed file's signature status,
its validity and standing, the permit that replaced it, and the requests of the head
(suspend, reinstate, revoke) and of the holder (renewal, amendment)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import validity, verification
from .lifecycle_serializers import VerificationOutputSerializer
from .models import Application, IssuedDocument

STANDINGS = ["valid", "expiring", "expired", "suspended", "revoked", "replaced"]


class SignatureOutputSerializer(serializers.Serializer):
    signed = serializers.BooleanField()
    valid = serializers.BooleanField(help_text=_("Intact, trusted, and covering the whole file."))
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    whole_file = serializers.BooleanField()
    signer = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    timestamped = serializers.BooleanField()


class ReplacedByOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    verification_page = serializers.URLField()


def _verify_url(issued, request) -> str:
    path = reverse("permits:verify", args=[issued.verification_token])
    return request.build_absolute_uri(path) if request else path


class IssuedLifeOutputSerializer(serializers.ModelSerializer):
    """One issued document with where it stands today and its signature."""

    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=_("State: `valid`, `suspended`, `revoked`, `replaced`.")
    )
    standing = serializers.SerializerMethodField(
        help_text=_("Today: one of %s.") % ", ".join(f"`{s}`" for s in STANDINGS)
    )
    signature = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()
    verification_page = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()
    replaces = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "kind",
            "number",
            "holder_name",
            "service_name",
            "issued_at",
            "valid_until",
            "status",
            "standing",
            "revoked_at",
            "suspended_at",
            "revoked_reason",
            "legal_basis",
            "effective_on",
            "sha256",
            "signed_at",
            "signer_name",
            "signature",
            "file_url",
            "verification_page",
            "replaced_by",
            "replaces",
        ]

    def get_standing(self, obj) -> str:
        return validity.standing(obj)

    @extend_schema_field(SignatureOutputSerializer)
    def get_signature(self, obj) -> dict:
        return SignatureOutputSerializer(verification.signature_report(obj).as_dict()).data

    def get_file_url(self, obj) -> str:
        path = reverse("api-issued-file", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_verification_page(self, obj) -> str:
        return _verify_url(obj, self.context.get("request"))

    @extend_schema_field(ReplacedByOutputSerializer(allow_null=True))
    def get_replaced_by(self, obj) -> dict | None:
        new = obj.replaced_by
        if new is None:
            return None
        return {
            "number": new.number,
            "verification_page": _verify_url(new, self.context.get("request")),
        }

    def get_replaces(self, obj) -> str | None:
        return (obj.data or {}).get("replaces")


class PublicVerificationSerializer(VerificationOutputSerializer):
    """The public verification: what it always said, and where the document stands today, its
    validity, the permit that replaced it, the SHA-256 of the signed file and its signature.
    ``authentic`` is true while the document is in force (valid or expiring)."""

    standing = serializers.SerializerMethodField(
        help_text=_("Today: one of %s.") % ", ".join(f"`{s}`" for s in STANDINGS)
    )
    replaced_by = serializers.SerializerMethodField()
    signature = serializers.SerializerMethodField()

    class Meta(VerificationOutputSerializer.Meta):
        fields = [
            *VerificationOutputSerializer.Meta.fields,
            "standing",
            "valid_until",
            "effective_on",
            "replaced_by",
            "sha256",
            "signature",
        ]

    def get_authentic(self, obj) -> bool:
        return validity.standing(obj) in (validity.VALID, validity.EXPIRING)

    def get_standing(self, obj) -> str:
        return validity.standing(obj)

    def get_replaced_by(self, obj) -> str | None:
        return obj.replaced_by.number if obj.replaced_by_id else None

    @extend_schema_field(SignatureOutputSerializer)
    def get_signature(self, obj) -> dict:
        return SignatureOutputSerializer(verification.signature_report(obj).as_dict()).data


class StandingInputSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["suspend", "reinstate", "revoke"])
    reason = serializers.CharField()
    legal_basis = serializers.CharField(max_length=500)
    effective_on = serializers.DateField()


class FollowUpInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class FollowUpOutputSerializer(serializers.ModelSerializer):
    purpose = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    previous_permit = serializers.CharField(source="previous_permit.number", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "purpose", "status", "previous_permit", "change_note"]
