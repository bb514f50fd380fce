"""The task's transition table: every declared pair moves and leaves one audit row (on the
task's application); every other pair is refused, writes nothing and leaves no audit row."""

from datetime import UTC, datetime
from itertools import product

import pytest

from permits.models import Application
from sop_portal.models import AuditEntry
from tests.factories import ServiceFactory, UserFactory, build_sop_version
from workflows.engine import InvalidState
from workflows.models import Task
from workflows.states.tasks import TASK

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(db):
    service = ServiceFactory()
    version = build_sop_version(service)
    return Application.objects.create(
        service=service,
        sop_version=version,
        applicant=UserFactory(email="ani@contoh.id"),
        status=Application.Status.IN_PROGRESS,
    )


def _task(application, status) -> Task:
    step = application.sop_version.steps.get(no=2)
    return Task.objects.create(
        application=application,
        step=step,
        role=step.performer.role,
        status=status,
        opened_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
    )


def test_a_task_opens_and_ends_done_or_cancelled():
    assert TASK.pairs() == {("open", "done"), ("open", "cancelled")}


@pytest.mark.parametrize(("source", "target"), sorted(TASK.pairs()))
def test_it_moves_a_task_along_each_declared_pair(application, source, target):
    task = _task(application, source)

    TASK.move(task, target)

    task.refresh_from_db()
    assert task.status == target
    entry = AuditEntry.objects.get()
    assert entry.object_type == "permits.application"
    assert entry.object_id == str(application.pk)
    assert entry.action == f"workflows.task.{TASK.find(source, target).name}"


@pytest.mark.parametrize(
    ("source", "target"), sorted(set(product(TASK.states, TASK.states)) - TASK.pairs())
)
def test_it_refuses_a_task_every_undeclared_pair(application, source, target):
    task = _task(application, source)

    with pytest.raises(InvalidState):
        TASK.move(task, target)

    task.refresh_from_db()
    assert task.status == source
    assert not AuditEntry.objects.exists()
