"""The application's and its documents' transition tables: every declared pair moves and
leaves one audit row; every other pair is refused, writes nothing and leaves no audit row."""

from itertools import product

import pytest

from permits.models import Application, ApplicationDocument
from permits.states import APPLICATION, DOCUMENT
from sop_portal.models import AuditEntry
from tests.factories import ServiceFactory, UserFactory, build_sop_version
from workflows.engine import InvalidState

pytestmark = pytest.mark.django_db

STATES = APPLICATION.states
DOCUMENT_STATES = DOCUMENT.states


@pytest.fixture
def world(db):
    service = ServiceFactory()
    version = build_sop_version(service)
    return service, version, UserFactory(email="ani@contoh.id")


def _application(world, status) -> Application:
    service, version, applicant = world
    return Application.objects.create(
        service=service, sop_version=version, applicant=applicant, status=status
    )


def _document(world, status) -> ApplicationDocument:
    application = _application(world, Application.Status.IN_PROGRESS)
    return ApplicationDocument.objects.create(
        application=application,
        requirement_code="ktp",
        requirement_name="KTP",
        file="applications/x/ktp.pdf",
        original_name="ktp.pdf",
        status=status,
    )


def test_the_application_table_declares_the_deemed_approval_and_the_lifecycle():
    pairs = APPLICATION.pairs()
    assert ("draft", "submitted") in pairs
    assert ("in_progress", "deemed_approved") in pairs
    assert ("deemed_approved", "approved") in pairs
    assert ("deemed_approved", "rejected") not in pairs
    assert not any(source in ("completed", "withdrawn", "issued") for source, _t in pairs)


@pytest.mark.parametrize(("source", "target"), sorted(APPLICATION.pairs()))
def test_it_moves_an_application_along_each_declared_pair(world, source, target):
    application = _application(world, source)
    applicant = world[2]

    APPLICATION.move(application, target, by=applicant)

    application.refresh_from_db()
    assert application.status == target
    entry = AuditEntry.objects.get()
    assert entry.object_id == str(application.pk)
    assert (entry.before["status"], entry.after["status"]) == (source, target)
    assert entry.action == f"permits.application.{APPLICATION.find(source, target).name}"


@pytest.mark.parametrize(
    ("source", "target"),
    sorted(set(product(STATES, STATES)) - APPLICATION.pairs()),
)
def test_it_refuses_an_application_every_undeclared_pair(world, source, target):
    application = _application(world, source)

    with pytest.raises(InvalidState):
        APPLICATION.move(application, target, by=world[2])

    application.refresh_from_db()
    assert application.status == source
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("source", "target"), sorted(DOCUMENT.pairs()))
def test_it_moves_a_document_along_each_declared_pair(world, source, target):
    document = _document(world, source)

    DOCUMENT.move(document, target, fields={"reason": "Buram"})

    document.refresh_from_db()
    assert document.status == target and document.reason == "Buram"
    entry = AuditEntry.objects.get()
    # A document's history is its application's.
    assert entry.object_id == str(document.application_id)
    assert entry.action == f"permits.document.{DOCUMENT.find(source, target).name}"


@pytest.mark.parametrize(
    ("source", "target"),
    sorted(set(product(DOCUMENT_STATES, DOCUMENT_STATES)) - DOCUMENT.pairs()),
)
def test_it_refuses_a_document_every_undeclared_pair(world, source, target):
    document = _document(world, source)

    with pytest.raises(InvalidState):
        DOCUMENT.move(document, target, fields={"reason": "Buram"})

    document.refresh_from_db()
    assert document.status == source and document.reason == ""
    assert not AuditEntry.objects.exists()


def test_the_guard_of_submit_refuses_someone_else(world):
    application = _application(world, Application.Status.DRAFT)
    other = UserFactory(email="bayu@contoh.id")

    with pytest.raises(Exception, match="Only the applicant"):
        APPLICATION.move(application, "submitted", by=other)

    application.refresh_from_db()
    assert application.status == "draft" and not AuditEntry.objects.exists()


def test_a_move_that_is_part_of_another_transition_records_nothing_of_its_own(world):
    application = _application(world, Application.Status.SUBMITTED)

    APPLICATION.move(application, "in_progress", record=False)

    application.refresh_from_db()
    assert application.status == "in_progress" and not AuditEntry.objects.exists()


def test_history_is_placed_along_the_table_without_writing(world):
    service, version, applicant = world
    application = Application(service=service, sop_version=version, applicant=applicant)

    APPLICATION.place(application, "submitted", "in_progress", "completed")

    assert application.status == "completed" and application.pk is None
    with pytest.raises(InvalidState):
        APPLICATION.place(Application(sop_version=version), "completed")
