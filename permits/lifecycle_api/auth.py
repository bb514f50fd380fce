"""API tokens: exchange an email and password for a token."""

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

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
    description="Exchange an email and password for a token; send it as "
    "`Authorization: Token <token>`. The same token is returned until it is deleted.",
    request=TokenInputSerializer,
    responses={200: TokenOutputSerializer, 400: DomainErrorSerializer},
)
class ObtainTokenApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    def post(self, request: Request) -> Response:
        data = TokenInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=data.validated_data["user"])
        return Response({"token": token.key})
