"""Serializers of the lifecycle API: what goes in (validated input of each transition) and what
comes out (applications, their timeline, step clocks, service time and documents, tasks, public
tracking, verification), one module per side of the API as in ``permits.lifecycle_api``:
``auth``, ``applications``, ``clocks``, ``tasks``, ``public`` (and ``common``). Every name is
importable from here too."""

from .applications import (
    ApplicationDetailOutputSerializer,
    ApplicationListOutputSerializer,
    CorrectionInputSerializer,
    DocumentOutputSerializer,
    DocumentUploadSerializer,
    DraftInputSerializer,
    HolderSerializer,
    IssuedDocumentOutputSerializer,
    ProofInputSerializer,
    SubmittedOutputSerializer,
    TimelineEventSerializer,
    WithdrawInputSerializer,
)
from .auth import TokenInputSerializer, TokenOutputSerializer
from .clocks import (
    PauseOutputSerializer,
    PublicPauseOutputSerializer,
    PublicStepClockOutputSerializer,
    ServiceTimeOutputSerializer,
    StepClockOutputSerializer,
    UpcomingStepOutputSerializer,
)
from .common import DomainErrorSerializer, one_of
from .public import TrackingInputSerializer, TrackingOutputSerializer, VerificationOutputSerializer
from .tasks import (
    CheckResultSerializer,
    CompleteInputSerializer,
    ReassignInputSerializer,
    ScheduleInputSerializer,
    TaskDetailOutputSerializer,
    TaskFilterSerializer,
    TaskOutputSerializer,
    TaskReturnInputSerializer,
)

__all__ = [
    "ApplicationDetailOutputSerializer",
    "ApplicationListOutputSerializer",
    "CheckResultSerializer",
    "CompleteInputSerializer",
    "CorrectionInputSerializer",
    "DocumentOutputSerializer",
    "DocumentUploadSerializer",
    "DomainErrorSerializer",
    "DraftInputSerializer",
    "HolderSerializer",
    "IssuedDocumentOutputSerializer",
    "PauseOutputSerializer",
    "ProofInputSerializer",
    "PublicPauseOutputSerializer",
    "PublicStepClockOutputSerializer",
    "ReassignInputSerializer",
    "ScheduleInputSerializer",
    "ServiceTimeOutputSerializer",
    "StepClockOutputSerializer",
    "SubmittedOutputSerializer",
    "TaskDetailOutputSerializer",
    "TaskFilterSerializer",
    "TaskOutputSerializer",
    "TaskReturnInputSerializer",
    "TimelineEventSerializer",
    "TokenInputSerializer",
    "TokenOutputSerializer",
    "TrackingInputSerializer",
    "TrackingOutputSerializer",
    "UpcomingStepOutputSerializer",
    "VerificationOutputSerializer",
    "WithdrawInputSerializer",
    "one_of",
]
