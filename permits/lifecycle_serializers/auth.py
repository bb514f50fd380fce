"""The API token: an account's email and password (and second factor) in, the token out."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts import second_factor


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
