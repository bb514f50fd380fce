"""Shortcuts of the clock tests (pages and API): an AKDP application at a given step, and a
timeline grown to many steps."""

from datetime import timedelta

from django.utils import timezone

from permits import actions, lifecycle
from permits.models import Application
from tests.permits.lifecycle.kit import pdf, the_task
from workflows import engine
from workflows.models import PauseReason, PerformerRole, StepEvent, Task


def submitted_with_code(service, applicant) -> tuple[Application, str]:
    """A submitted application and its access code."""
    application = lifecycle.create_draft(service, applicant)
    for requirement in service.requirements.filter(mandatory=True):
        lifecycle.attach_document(
            application, applicant, requirement.code, pdf(f"{requirement.code}.pdf")
        )
    code = lifecycle.submit(application, applicant)
    return application, code


def checked(akdp, cast) -> tuple[Application, str]:
    """Declared complete by the front office: the service time runs."""
    application, code = submitted_with_code(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, "yes")
    return application, code


def at_inspection(akdp, cast) -> tuple[Application, str]:
    """Checked, registered by the back office, and the field visit scheduled by DISHUB (the
    inspection step's clock is paused until the visit)."""
    application, code = checked(akdp, cast)
    engine.complete(the_task(application, 3), cast.fajar)
    visit = timezone.localdate() + timedelta(days=3)
    actions.schedule_inspection(the_task(application, 4), cast.citra, visit, "Cek armada")
    return application, code


def grow(application: Application, n: int) -> None:
    """Add ``n`` finished steps, each paused once, to the application's timeline."""
    steps = list(application.sop_version.steps.exclude(performer__role=PerformerRole.APPLICANT))
    start = timezone.now() - timedelta(days=30)
    for i in range(n):
        opened = start + timedelta(hours=i)
        step = steps[i % len(steps)]
        task = Task.objects.create(
            application=application,
            step=step,
            role=step.performer.role,
            status=Task.Status.DONE,
            cycle=2 + i,
            opened_at=opened,
            due_at=opened + timedelta(days=2),
            completed_at=opened + timedelta(minutes=50),
        )
        for kind, minutes in ((StepEvent.Kind.PAUSED, 10), (StepEvent.Kind.RESUMED, 20)):
            StepEvent.objects.create(
                application=application,
                task=task,
                kind=kind,
                reason=PauseReason.EXTERNAL_WAIT,
                at=opened + timedelta(minutes=minutes),
                by=application.applicant,
            )
