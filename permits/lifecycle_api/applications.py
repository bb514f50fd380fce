"""The applicant's endpoints: list, start (asking again gives the same draft), show (with
step clocks and service time), delete a draft, upload, submit, correct, withdraw, pay, and the
issued documents."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.serializers import ErrorOutputSerializer

from .. import lifecycle
from ..lifecycle_serializers import (
    ApplicationDetailOutputSerializer,
    ApplicationListOutputSerializer,
    CorrectionInputSerializer,
    DocumentOutputSerializer,
    DocumentUploadSerializer,
    DraftInputSerializer,
    IssuedDocumentOutputSerializer,
    ProofInputSerializer,
    SubmittedOutputSerializer,
    WithdrawInputSerializer,
)
from ..models import Application
from .common import (
    DOMAIN_ERRORS,
    ERRORS,
    ID,
    TAG_APPLICATIONS,
    UPLOAD_PARSERS,
    _application,
    _detail,
    _detail_response,
    _open_tasks,
    domain_error,
)


class ApplicationListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationListOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return (
            Application.objects.filter(applicant=self.request.user)
            .select_related("service")
            .prefetch_related(_open_tasks())
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        tags=[TAG_APPLICATIONS],
        summary="List my applications",
        description="Your own applications, newest first, with the step(s) holding each one.",
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG_APPLICATIONS],
        summary="Start an application",
        description="Your draft for a public service, pinned to its published SOP version: "
        "the newest draft you already have for it (with its documents), else a new one.",
        request=DraftInputSerializer,
        responses={201: ApplicationDetailOutputSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = DraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            application = lifecycle.create_draft(data.validated_data["service"], request.user)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        body = ApplicationDetailOutputSerializer(
            _detail(request, application.pk), context={"request": request}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG_APPLICATIONS],
        summary="Show an application",
        description="Status, the step(s) holding it, its timeline (every step started, paused, "
        "resumed, ended), each step's clock (`steps`: due date, state, pauses with their "
        "reason), the service time (`service_time`: declared complete, due, working days used, "
        "applicant time not counted), the `predicted_completion`, its documents (every "
        "version) and issued documents. Visible to its applicant and to the staff concerned; "
        "anyone else gets a 404.",
        parameters=[ID],
        responses={200: ApplicationDetailOutputSerializer, 404: ErrorOutputSerializer},
    )
    def get(self, request: Request, id: int) -> Response:
        return _detail_response(request, id)

    @extend_schema(
        tags=[TAG_APPLICATIONS],
        summary="Delete a draft",
        description="Delete your own draft with its documents. A submitted application "
        "cannot be deleted (409): withdraw it instead.",
        parameters=[ID],
        request=None,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        try:
            lifecycle.delete_draft(application, request.user)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _own(request: Request, pk: int) -> Application:
    """An application of the signed-in applicant (staff reach theirs through tasks)."""
    application = _application(request, pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Upload a document",
    description="Upload (or replace) the draft's document for one requirement. The type is "
    "checked by content against the requirement's formats; a refused file stores nothing.",
    parameters=[ID],
    request={"multipart/form-data": DocumentUploadSerializer},
    responses={201: DocumentOutputSerializer, **ERRORS},
)
class DocumentUploadApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = UPLOAD_PARSERS

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            document = lifecycle.attach_document(
                application,
                request.user,
                data.validated_data["requirement"],
                data.validated_data["file"],
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Fill in the application details",
    description="Store the draft's answers to the fields its service declares "
    "(`application_fields`: e.g. `nib` 13 digits, `nik` 16 digits, location, foreign worker). "
    "A draft may be partial; the required ones are checked on submit. Every malformed answer "
    "is a 400 naming its field in `fields`; nothing is stored then.",
    parameters=[ID],
    request=inline_serializer("ApplicationDataInput", {"data": serializers.DictField()}),
    responses={200: ApplicationDetailOutputSerializer, **ERRORS},
)
class ApplicationDataApi(APIView):
    permission_classes = [IsAuthenticated]

    def put(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        answers = request.data.get("data") if isinstance(request.data, dict) else None
        if not isinstance(answers, dict):
            return Response(
                {"detail": _('Send the answers as an object: {"data": {"nib": "…"}}.')},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            lifecycle.save_data(application, request.user, answers)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _detail_response(request, id)


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Submit an application",
    description="Submit a draft whose mandatory documents are uploaded. Returns the tracking "
    "number and the access code: the code is shown only this once.",
    parameters=[ID],
    request=None,
    responses={200: SubmittedOutputSerializer, **ERRORS},
)
class SubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        try:
            code = lifecycle.submit(application, request.user)
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response({"tracking_number": application.tracking_number, "access_code": code})


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Answer a correction request",
    description="Replace exactly the documents asked for — one multipart file per document, "
    "named after its requirement code — with a note; the file goes back to the office.",
    parameters=[ID],
    request={"multipart/form-data": CorrectionInputSerializer},
    responses={200: ApplicationDetailOutputSerializer, **ERRORS},
)
class CorrectApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = UPLOAD_PARSERS

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = CorrectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = {code: request.FILES[code] for code in request.FILES}
        try:
            lifecycle.correct(application, request.user, files, data.validated_data["note"])
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _detail_response(request, id)


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Withdraw an application",
    description="Withdraw a submitted application, saying why; its open tasks end.",
    parameters=[ID],
    request=WithdrawInputSerializer,
    responses={200: ApplicationDetailOutputSerializer, **ERRORS},
)
class WithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            lifecycle.withdraw(application, request.user, data.validated_data["reason"])
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return _detail_response(request, id)


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="Upload the proof of payment",
    description="The proof (PDF, JPG or PNG) of payment of the open bill.",
    parameters=[ID],
    request={"multipart/form-data": ProofInputSerializer},
    responses={
        200: inline_serializer(
            "PaymentOutput",
            {
                "billing_number": serializers.CharField(),
                "amount": serializers.DecimalField(max_digits=14, decimal_places=0),
                "currency": serializers.CharField(),
                "proof_uploaded_at": serializers.DateTimeField(),
            },
        ),
        **ERRORS,
    },
)
class PaymentProofApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = UPLOAD_PARSERS

    def post(self, request: Request, id: int) -> Response:
        application = _own(request, id)
        data = ProofInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment = lifecycle.upload_payment_proof(
                application, request.user, data.validated_data["file"]
            )
        except DOMAIN_ERRORS as error:
            return domain_error(error)
        return Response(
            {
                "billing_number": payment.billing_number,
                "amount": payment.amount,
                "currency": payment.currency,
                "proof_uploaded_at": payment.proof_uploaded_at,
            }
        )


@extend_schema(
    tags=[TAG_APPLICATIONS],
    summary="List the issued documents of an application",
    description="The permit or rejection letter issued: number, holder, date, and the public "
    "verification link of its QR code.",
    parameters=[ID],
    responses={200: IssuedDocumentOutputSerializer(many=True), 404: ErrorOutputSerializer},
)
class IssuedDocumentListApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request: Request, id: int) -> Response:
        application = _application(request, id)
        return Response(
            IssuedDocumentOutputSerializer(
                application.issued_documents.all(), many=True, context={"request": request}
            ).data
        )
