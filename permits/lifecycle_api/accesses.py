"""``GET /api/v1/applications/<id>/document-accesses/``: the applicant's "who opened my
documents" (UU 27/2022), the same list as on the application page
(:func:`permits.access_log.accesses_for`): when, the officer's role and agency (never their
name), which file and for which task."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.serializers import ErrorOutputSerializer

from ..access_log import accesses_for
from ..models import Application, DocumentAccess
from .common import ID, TAG_APPLICATIONS


class DocumentAccessOutputSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="get_viewer_role_display")
    agency = serializers.CharField(source="viewer_agency")
    purpose = serializers.CharField(
        help_text="The step of the officer's task; empty when they opened it by their role."
    )
    kind = serializers.ChoiceField(source="file_kind", choices=DocumentAccess.Kind.choices)

    class Meta:
        model = DocumentAccess
        fields = ["at", "role", "agency", "purpose", "kind", "file_name", "downloaded"]


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Who opened my documents",
    description="Every opening of one of your application's files by an officer, newest "
    "first: when (UTC), their role and agency, the file, and the task it was for. Only for the "
    "application's applicant.",
    parameters=[ID],
    responses={200: DocumentAccessOutputSerializer(many=True), 404: ErrorOutputSerializer},
)
class DocumentAccessListApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int) -> Response:
        application = get_object_or_404(Application.objects.filter(applicant=request.user), pk=id)
        rows = accesses_for(application)[:200]
        return Response(DocumentAccessOutputSerializer(rows, many=True).data)
