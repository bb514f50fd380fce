"""API tokens: exchange an email and password for a token."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import lockout, tokens
from sop_portal.throttles import ScopedThrottle

from ..lifecycle_serializers import (
    DomainErrorSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)
from .common import (
    TAG_AUTH,
)


@extend_schema(
    tags=[TAG_AUTH],
    summary="Obtain an API token",
    description="Exchange an email and password (and, for staff where the second factor is "
    "required, the `otp` code) for a token; send it as `Authorization: Token <token>`. The same "
    "token is returned until it expires (8 hours for staff, 30 days for others, by default) or "
    "the password changes. Repeated failures lock the account and the address (429), and the "
    "endpoint is rate-limited per address (429).",
    request=TokenInputSerializer,
    responses={
        200: TokenOutputSerializer,
        400: DomainErrorSerializer,
        429: DomainErrorSerializer,
    },
)
class ObtainTokenApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "token"

    def post(self, request: Request) -> Response:
        data = TokenInputSerializer(data=request.data, context={"request": request})
        try:
            data.is_valid(raise_exception=True)
        finally:
            lockout.carry_to_django(request)
        token = tokens.issue(data.validated_data["user"])
        return Response({"token": token.key, "expires": tokens.expires_at(token)})
