"""Versions and review: new draft, submit, return with a reason, approve and publish with an
effective date, delete a draft; each guarded by status and audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sop_portal.models import AuditEntry
from workflows import editor
from workflows.interchange import sop_to_dict
from workflows.models import Sop, SopVersion, SopVersionLocked
from workflows.validation import InvalidSop
from workflows.versions import (
    OpenDraftExists,
    WrongStatus,
    approve_and_publish,
    delete_draft,
    new_draft,
    return_to_draft,
    start_sop,
    submit_for_review,
)

EFFECTIVE = datetime.date(2026, 4, 1)


def _trail(version) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(version.pk), object_type="workflows.sopversion")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_it_starts_a_new_draft_as_a_copy_of_the_newest_version(published, eko):
    published.effective_on = None
    draft = new_draft(published.sop, by=eko)
    assert (draft.version, draft.status, draft.created_by) == (2, "draft", eko)
    expected = sop_to_dict(published)
    assert sop_to_dict(draft) == expected
    assert _trail(draft) == ["workflows.sop_version.drafted", "workflows.sop_version.copied"]


def test_a_new_draft_does_not_inherit_the_effective_date(published, eko, dewi):
    draft = new_draft(published.sop, by=eko)
    editor.update_identity(draft, {"effective_on": EFFECTIVE})
    submit_for_review(draft, by=eko)
    approve_and_publish(draft, by=dewi, effective_on=EFFECTIVE)
    assert new_draft(published.sop).effective_on is None


def test_it_allows_one_open_draft_at_a_time(draft):
    with pytest.raises(OpenDraftExists):
        new_draft(draft.sop)
    submit_for_review(draft)
    with pytest.raises(OpenDraftExists):
        new_draft(draft.sop)
    assert draft.sop.versions.count() == 2


def test_it_starts_a_new_sop_with_an_empty_draft(eko):
    version = start_sop("DISHUB-UJI", "Pelayanan Uji", by=eko)
    assert (version.sop.code, version.version, version.name) == ("DISHUB-UJI", 1, "Pelayanan Uji")
    assert not version.steps.exists()
    with pytest.raises(ValidationError):
        start_sop("DISHUB-UJI", "Lagi")
    assert Sop.objects.filter(code="DISHUB-UJI").count() == 1


def test_the_whole_review_path_is_recorded(published, draft, eko, dewi):
    submit_for_review(draft, by=eko)
    assert draft.status == SopVersion.Status.IN_REVIEW
    with pytest.raises(SopVersionLocked):
        editor.update_identity(draft, {"name": "Diubah saat review"})
    return_to_draft(draft, by=dewi, reason="Lengkapi NIP pejabat")
    editor.update_identity(draft, {"approved_by_nip": "197001012000031001"}, by=eko)
    submit_for_review(draft, by=eko)
    approve_and_publish(draft, by=dewi, effective_on=EFFECTIVE)

    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == SopVersion.Status.PUBLISHED and draft.effective_on == EFFECTIVE
    assert draft.published_by == dewi
    assert published.status == SopVersion.Status.SUPERSEDED
    assert _trail(draft)[-6:] == [
        "workflows.sop_version.submitted",
        "workflows.sop_version.returned",
        "workflows.sop_version.identity_updated",
        "workflows.sop_version.submitted",
        "workflows.sop_version.approved",
        "workflows.sop_version.published",
    ]
    returned = AuditEntry.objects.get(action="workflows.sop_version.returned")
    assert (returned.actor, returned.reason) == (dewi, "Lengkapi NIP pejabat")
    approved = AuditEntry.objects.get(action="workflows.sop_version.approved")
    assert approved.after == {"effective_on": "2026-04-01"}
    with pytest.raises(SopVersionLocked):
        editor.update_identity(draft, {"effective_on": datetime.date(2027, 1, 1)})


def test_it_refuses_to_submit_an_invalid_draft(draft):
    editor.update_step(draft.steps.get(no=2), no_no=None)
    with pytest.raises(InvalidSop) as exc:
        submit_for_review(draft)
    assert [(p.path, p.step) for p in exc.value.problems] == [("sop.steps[1].on_no", 2)]
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT
    assert not AuditEntry.objects.filter(action="workflows.sop_version.submitted").exists()


def test_transitions_refuse_the_wrong_status(published, draft):
    with pytest.raises(WrongStatus):
        return_to_draft(draft, reason="x")
    with pytest.raises(WrongStatus):
        approve_and_publish(draft, effective_on=EFFECTIVE)
    with pytest.raises(SopVersionLocked):
        submit_for_review(published)
    with pytest.raises(WrongStatus):
        approve_and_publish(published, effective_on=EFFECTIVE)
    submit_for_review(draft)
    with pytest.raises(ValidationError):
        return_to_draft(draft, reason="  ")
    with pytest.raises(ValidationError):
        approve_and_publish(draft, effective_on=None)
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.IN_REVIEW


def test_it_deletes_a_draft_but_nothing_else(published, draft, eko):
    with pytest.raises(SopVersionLocked):
        delete_draft(published)
    pk = draft.pk
    delete_draft(draft, by=eko)
    assert not SopVersion.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="workflows.sop_version.deleted")
    assert (entry.object_id, entry.actor, entry.before["version"]) == (str(pk), eko, 2)
