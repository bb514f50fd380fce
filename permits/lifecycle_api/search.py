"""The staff search as an API (``GET /api/v1/applications/search/``): the same query as the
staff search page (``permits.search``), every file the caller may see, newest first, paged.
Someone who is not staff gets a 404, as on the page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.serializers import ErrorOutputSerializer

from .. import search
from ..lifecycle_serializers import ApplicationListOutputSerializer
from ..models import Application
from ..staff_services import CappedPagination, is_staff_member
from .common import TAG_APPLICATIONS, _open_tasks

PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Part of a tracking number or of the applicant's name; a NIK in full.",
    ),
    OpenApiParameter("service", OpenApiTypes.STR, description="A service code."),
    OpenApiParameter("agency", OpenApiTypes.INT, description="An agency the file reached."),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=[v for v in Application.Status.values if v != Application.Status.DRAFT],
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Submitted on or after (WITA)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Submitted on or before (WITA)."),
]


class ApplicationSearchApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationListOutputSerializer
    pagination_class = CappedPagination
    filter_backends: list = []

    def get_queryset(self):
        if not is_staff_member(self.request.user):
            raise NotFound()
        try:
            query = search.SearchQuery.from_params(self.request.query_params)
        except search.SearchError as error:
            raise ParseError(str(error)) from None  # a 400 {"detail": "..."}
        return search.search(self.request.user, query).prefetch_related(_open_tasks())

    @extend_schema(
        tags=[TAG_APPLICATIONS],
        summary="Search files (staff)",
        description="Every application you may see as staff, finished ones included, by "
        "number, applicant name, NIK, service, agency, status and submission date; newest "
        "first. A 404 for someone who is not staff; a bad date is a 400.",
        parameters=PARAMETERS,
        responses={
            200: ApplicationListOutputSerializer(many=True),
            400: ErrorOutputSerializer,
            404: ErrorOutputSerializer,
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
