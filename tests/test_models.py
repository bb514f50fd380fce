"""Model invariants: a published SOP version never changes; an application keeps its version."""

import pytest
from django.core.exceptions import ValidationError

from permits.models import Application
from workflows.models import SopStep, SopVersion, SopVersionLocked

from .factories import ServiceFactory, build_sop_version


@pytest.fixture
def published(db):
    return build_sop_version(ServiceFactory(code="DISHUB-AKDP"))


def test_it_refuses_to_change_a_published_version(published):
    published.name = "Nama baru"
    with pytest.raises(SopVersionLocked):
        published.save()
    published.refresh_from_db()
    assert published.name != "Nama baru"


def test_it_refuses_to_change_a_step_of_a_published_version(published):
    step = published.steps.get(no=2)
    step.activity = "Melakukan hal lain"
    with pytest.raises(SopVersionLocked):
        step.save()
    with pytest.raises(SopVersionLocked):
        SopStep.objects.filter(version=published).update(activity="X")
    with pytest.raises(SopVersionLocked):
        published.steps.get(no=4).delete()
    assert published.steps.get(no=2).activity == "Memeriksa kelengkapan berkas"


def test_it_refuses_to_delete_a_published_version_or_add_a_step(published):
    with pytest.raises(SopVersionLocked):
        published.delete()
    with pytest.raises(SopVersionLocked):
        SopStep.objects.create(
            version=published,
            no=5,
            symbol="process",
            activity="Menambah langkah",
            performer=published.performers.first(),
        )


def test_a_published_version_can_only_be_superseded(published):
    published.status = SopVersion.Status.SUPERSEDED
    published.save()
    assert SopVersion.objects.get(pk=published.pk).status == "superseded"


def test_a_draft_can_change(db):
    draft = build_sop_version(ServiceFactory(), publish=False)
    draft.name = "Nama baru"
    draft.save()
    step = draft.steps.get(no=1)
    step.activity = "Mengajukan permohonan secara daring"
    step.save()
    assert draft.steps.get(no=1).activity == "Mengajukan permohonan secara daring"


def test_only_one_version_is_published_at_a_time(published):
    second = build_sop_version(published.sop.service, version=2)
    published.refresh_from_db()
    assert second.status == "published"
    assert published.status == "superseded"
    assert published.sop.published_version == second


def test_an_application_never_changes_its_sop_version(published, ani):
    service = published.sop.service
    # A draft is pinned again when it is submitted (the version in force that day); from
    # submission on the version never changes.
    application = Application.objects.create(
        service=service,
        sop_version=published,
        applicant=ani,
        status=Application.Status.SUBMITTED,
    )
    newer = build_sop_version(service, version=2)
    application.sop_version = newer
    with pytest.raises(ValidationError):
        application.save()


def test_the_total_time_norm_is_office_time_folding_weeks_into_days(db):
    draft = build_sop_version(ServiceFactory(), publish=False)  # 15 min, 30 min, 3 days, 1 day
    draft.steps.filter(no=1).update(duration_value=45)  # the applicant's: shown apart
    draft.steps.filter(no=3).update(duration_value=2, duration_unit="weeks")

    totals = [(d.value, str(d.unit)) for d in draft.total_time_norm()]

    assert totals == [(11, "days"), (30, "minutes")]
    assert [(d.value, str(d.unit)) for d in draft.service_time().applicant] == [(45, "minutes")]
