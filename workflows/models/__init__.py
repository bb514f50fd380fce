"""Models of the workflows app, one module per sub-domain: ``sop`` (SOPs and their versions),
``tasks`` (the running steps of applications). New sub-domains add a module and export here."""

from .decrees import Decree, DecreeAnnex, DocumentSettings, RenderedDocument
from .sop import (
    DECISION_ONLY_ACTIONS,
    PerformerRole,
    Sop,
    SopPerformer,
    SopStep,
    SopVersion,
    SopVersionLocked,
    StepAction,
    Symbol,
)
from .tasks import PauseReason, StepEvent, Task

__all__ = [
    "DECISION_ONLY_ACTIONS",
    "Decree",
    "DecreeAnnex",
    "DocumentSettings",
    "RenderedDocument",
    "PauseReason",
    "PerformerRole",
    "Sop",
    "SopPerformer",
    "SopStep",
    "SopVersion",
    "SopVersionLocked",
    "StepAction",
    "StepEvent",
    "Symbol",
    "Task",
]
