"""Publishing an SOP version: the one transition that freezes a draft and supersedes the
published version."""

import pytest
from django.utils import translation

from sop_portal.models import AuditEntry
from tests.factories import ServiceFactory, build_sop_version
from workflows.models import SopVersion, SopVersionLocked
from workflows.validation import InvalidSop
from workflows.versions import publish


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def service(dishub):
    service = ServiceFactory(code="DISHUB-AKDP")
    service.technical_agencies.add(dishub)
    return service


def test_it_publishes_a_valid_draft_and_supersedes_the_published_version(service, eko):
    old = build_sop_version(service)
    draft = build_sop_version(service, publish=False)
    publish(draft, by=eko)
    old.refresh_from_db()
    draft.refresh_from_db()
    assert old.status == SopVersion.Status.SUPERSEDED and old.superseded_at
    assert draft.status == SopVersion.Status.PUBLISHED
    assert draft.published_by == eko and draft.published_at
    assert service.sop.published_version == draft
    entry = AuditEntry.objects.get(action="workflows.sop_version.published")
    assert (entry.object_id, entry.actor) == (str(draft.pk), eko)
    assert entry.after["superseded"] == [old.version]
    assert AuditEntry.objects.filter(
        action="workflows.sop_version.superseded", object_id=str(old.pk)
    ).exists()


def test_it_refuses_to_publish_an_invalid_draft(service):
    published = build_sop_version(service)
    draft = build_sop_version(service, publish=False)
    draft.steps.filter(no=2).update(no_no=2, yes_no=2)
    with pytest.raises(InvalidSop) as exc:
        publish(draft)
    assert ("sop.steps[1].on_no", 2) in {(p.path, p.step) for p in exc.value.problems}
    assert "different steps" in " ".join(exc.value.messages)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT
    assert published.status == SopVersion.Status.PUBLISHED
    assert not AuditEntry.objects.exists()


def test_it_refuses_technical_steps_when_the_service_has_no_technical_agency(db):
    draft = build_sop_version(ServiceFactory(code="DPMPTSP-SKET"), publish=False)
    with pytest.raises(InvalidSop) as exc:
        publish(draft)
    assert [p.path for p in exc.value.problems] == ["sop.performers[2].agency"]


def test_it_refuses_to_publish_a_version_that_is_not_a_draft(service):
    published = build_sop_version(service)
    with pytest.raises(SopVersionLocked):
        publish(published)
    superseded = build_sop_version(service)
    published.refresh_from_db()
    assert published.status == SopVersion.Status.SUPERSEDED
    with pytest.raises(SopVersionLocked):
        publish(published)
    assert superseded.status == SopVersion.Status.PUBLISHED


def test_it_reports_hand_edited_content_of_a_draft_instead_of_crashing(service):
    draft = build_sop_version(service, publish=False)
    draft.steps.filter(no=1).update(requirements={"formulir": 1}, output="Berkas permohonan")
    with pytest.raises(InvalidSop) as exc:
        publish(draft)
    assert [(p.path, p.step) for p in exc.value.problems] == [("sop.steps[0].requirements", 1)]
