"""Shortcuts for the feedback tests: a finished application, survey answers, a complaint."""

from datetime import date

from django.utils import timezone

from feedback import skm
from feedback.models import SurveyResponse
from permits.models import Application
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import HANDOVER, open_tasks, submitted, the_task
from workflows import engine


def finished(service, cast, applicant=None) -> Application:
    """An application of ``service`` (the two-agency test SOP) run to its rejection letter:
    the shortest way to the end of the SOP."""
    application = submitted(service, applicant or cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    for task, who in zip(open_tasks(application, 3), (cast.citra, cast.gita), strict=True):
        engine.complete(task, who, data={"verdict": "not_recommend"})
    engine.complete(
        the_task(application, 4), cast.fajar, data={"verdict": "reject", "reasons": "Tidak"}
    )
    engine.complete(the_task(application, 7), cast.dewi, data={"passphrase": SIGNING_PASSPHRASE})
    engine.complete(the_task(application, 8), cast.budi, data=HANDOVER)
    application.refresh_from_db()
    return application


def answers(*values: int) -> dict:
    """Form data for nine answers (one value repeated, or nine values)."""
    values = values * 9 if len(values) == 1 else values
    return {f: str(v) for f, v in zip(skm.ELEMENT_FIELDS, values, strict=True)}


def response(service, values, on: date | None = None, **extra) -> SurveyResponse:
    values = [values] * 9 if isinstance(values, int) else values
    return SurveyResponse.objects.create(
        service=service,
        channel=SurveyResponse.Channel.PAPER,
        answered_on=on or timezone.localdate(),
        **dict(zip(skm.ELEMENT_FIELDS, values, strict=True)),
        **extra,
    )
