"""Models of the permits app, one module per sub-domain: the catalogue, applications and their
documents, what the SOP steps produce on them, and notifications. Everything is re-exported
here (``from permits.models import Application``); migrations name ``permits.models._upload_to``
and ``permits.models._private_storage``, so those stay importable from here too."""

from .applications import (
    Application,
    ApplicationDocument,
    ApplicationQuerySet,
    Counter,
    DocumentQuerySet,
    Purpose,
    _private_storage,
    _upload_to,
)
from .catalogue import (
    Requirement,
    Service,
    ServiceKind,
    ServiceQuerySet,
    ValidityUnit,
    service_code_validator,
)
from .document_access import DocumentAccess
from .handover import Handover
from .issued import IssuedDocument
from .notifications import Notification
from .steps import (
    Attachment,
    CompletenessCheck,
    Decision,
    Inspection,
    Payment,
    PaymentChannel,
    Recommendation,
    same_payment_code,
)

__all__ = [
    "Application",
    "ApplicationDocument",
    "ApplicationQuerySet",
    "Attachment",
    "CompletenessCheck",
    "Counter",
    "Decision",
    "DocumentAccess",
    "DocumentQuerySet",
    "Handover",
    "Inspection",
    "IssuedDocument",
    "Notification",
    "Payment",
    "PaymentChannel",
    "Purpose",
    "Recommendation",
    "Requirement",
    "Service",
    "ServiceKind",
    "ServiceQuerySet",
    "ValidityUnit",
    "_private_storage",
    "_upload_to",
    "same_payment_code",
    "service_code_validator",
]
