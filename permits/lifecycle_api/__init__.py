"""The lifecycle API (``/api/v1/``): applicants' applications, staff tasks, public tracking
and verification, one module per sub-domain (``applications``, ``tasks``, ``public``,
``auth``; what they share in ``common``). Each endpoint is a thin call of
``permits.lifecycle``, ``workflows.engine`` or ``permits.actions``; objects come only from
the ``visible_to`` / ``actionable_by`` querysets, so another person's object is a 404.
URL names live in ``permits.lifecycle_api_urls``."""

from .accesses import DocumentAccessListApi
from .applications import (
    ApplicationDataApi,
    ApplicationDetailApi,
    ApplicationListApi,
    CorrectApi,
    DocumentUploadApi,
    IssuedDocumentListApi,
    PaymentProofApi,
    SubmitApi,
    WithdrawApi,
)
from .auth import ObtainTokenApi
from .issued import IssuedDetailApi, IssuedFileApi, IssuedFollowUpApi, IssuedStandingApi
from .public import TrackingApi, TrackingThrottle, VerifyApi
from .search import ApplicationSearchApi
from .tasks import (
    ClaimApi,
    CompleteApi,
    ReassignApi,
    ReleaseApi,
    ReturnApi,
    ScheduleInspectionApi,
    TaskDetailApi,
    TaskListApi,
)

__all__ = [
    "DocumentAccessListApi",
    "ApplicationDetailApi",
    "ApplicationListApi",
    "ApplicationSearchApi",
    "ClaimApi",
    "CompleteApi",
    "CorrectApi",
    "DocumentUploadApi",
    "IssuedDetailApi",
    "IssuedDocumentListApi",
    "IssuedFileApi",
    "IssuedFollowUpApi",
    "IssuedStandingApi",
    "ObtainTokenApi",
    "ApplicationDataApi",
    "PaymentProofApi",
    "ReassignApi",
    "ReleaseApi",
    "ReturnApi",
    "ScheduleInspectionApi",
    "SubmitApi",
    "TaskDetailApi",
    "TaskListApi",
    "TrackingApi",
    "TrackingThrottle",
    "VerifyApi",
    "WithdrawApi",
]
