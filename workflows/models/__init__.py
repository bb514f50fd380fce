"""Models of the workflows app, one module per sub-domain: ``sop`` (SOPs and their versions),
``tasks`` (the running steps of applications), ``calendar`` (working time and clock marks).
New sub-domains add a module and export here."""

from .calendar import (
    CalendarException,
    CalendarYear,
    ClockWarning,
    OfficeHours,
    ServiceClock,
    Weekday,
)
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
    "CalendarException",
    "CalendarYear",
    "ClockWarning",
    "OfficeHours",
    "ServiceClock",
    "Weekday",
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
