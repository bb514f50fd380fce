"""Public, read-only API of the agencies: the one-stop office and the technical agencies."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny

from .api_selectors import public_agencies, public_agency
from .models import Agency
from .serializers import AgencyFilterSerializer, AgencyOutputSerializer, ErrorOutputSerializer

TAG = "agencies"


@extend_schema(
    tags=[TAG],
    summary="List agencies",
    description="Active agencies, the one-stop office first. Paginated; anyone may read.",
    parameters=[AgencyFilterSerializer],
    responses={200: AgencyOutputSerializer(many=True), 400: ErrorOutputSerializer},
)
class AgencyListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = AgencyOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = AgencyFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return public_agencies(**filters.validated_data)


@extend_schema(
    tags=[TAG],
    summary="Show an agency",
    description="An active agency by its code; anyone may read.",
    parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Agency code.")],
    responses={200: AgencyOutputSerializer, 404: ErrorOutputSerializer},
)
class AgencyDetailApi(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = AgencyOutputSerializer

    def get_object(self) -> Agency:
        agency = public_agency(self.kwargs["code"])
        if agency is None:
            raise Http404
        return agency
