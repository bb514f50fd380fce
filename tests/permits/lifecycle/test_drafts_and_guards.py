"""One draft per service and applicant (asking again gives it back), deleting a draft, the
verified e-mail address as the submit guard whatever the door, and the deemed approval as a
state of its own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from permits import lifecycle
from permits.models import Application, ApplicationDocument
from sop_portal.models import AuditEntry
from tests.permits.lifecycle.kit import pdf, submitted, the_task
from workflows import engine
from workflows.sweep import sweep

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- one draft per service ------------------------------------------------------------------


def test_it_gives_back_the_same_draft_when_the_applicant_applies_again(two_opd, cast):
    first = lifecycle.create_draft(two_opd, cast.ani)
    lifecycle.attach_document(first, cast.ani, "ktp", pdf())

    again = lifecycle.create_draft(two_opd, cast.ani)

    assert again.pk == first.pk
    assert Application.objects.filter(applicant=cast.ani).count() == 1
    assert AuditEntry.objects.filter(action="permits.application.created").count() == 1
    other = lifecycle.create_draft(two_opd, cast.bayu)
    assert other.pk != first.pk


def test_every_apply_click_opens_the_same_draft(client, cast, two_opd):
    client.force_login(cast.ani)
    url = reverse("permits:apply", args=[two_opd.code])

    first, second = client.post(url), client.post(url)

    assert first.url == second.url
    assert Application.objects.filter(applicant=cast.ani).count() == 1


def test_a_new_draft_starts_once_the_old_one_is_submitted(two_opd, cast):
    done = submitted(two_opd, cast.ani)

    assert lifecycle.create_draft(two_opd, cast.ani).pk != done.pk


# --- deleting a draft -------------------------------------------------------------------------


def test_the_applicant_deletes_a_draft_with_its_files(
    two_opd, cast, django_capture_on_commit_callbacks
):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    document = lifecycle.attach_document(draft, cast.ani, "ktp", pdf())
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.delete_draft(draft, cast.ani)

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not ApplicationDocument.objects.filter(pk=document.pk).exists()
    assert not storage.exists(name)
    entry = AuditEntry.objects.get(action="permits.application.deleted")
    assert entry.actor == cast.ani and entry.object_id == str(draft.pk)


def test_only_the_applicant_deletes_only_a_draft(two_opd, cast):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    with pytest.raises(lifecycle.NotAllowed):
        lifecycle.delete_draft(draft, cast.bayu)
    done = submitted(two_opd, cast.bayu)
    with pytest.raises(lifecycle.InvalidState):
        lifecycle.delete_draft(done, cast.bayu)
    assert Application.objects.filter(pk__in=[draft.pk, done.pk]).count() == 2


def test_the_draft_page_deletes_after_a_confirmation(client, cast, two_opd):
    client.force_login(cast.ani)
    draft = lifecycle.create_draft(two_opd, cast.ani)
    form = client.get(reverse("permits:application_form", args=[draft.pk])).content.decode()
    delete_url = reverse("permits:application_delete", args=[draft.pk])
    assert delete_url in form

    asked = client.post(delete_url)
    assert asked.status_code == 200 and "cannot be undone" in asked.content.decode()
    assert Application.objects.filter(pk=draft.pk).exists()

    done = client.post(delete_url, {"confirm": "1"})
    assert done.status_code == 302 and done.url == reverse("permits:my_applications")
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_the_api_deletes_a_draft_and_refuses_a_submitted_application(two_opd, cast):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    assert _api(cast.bayu).delete(f"/api/v1/applications/{draft.pk}/").status_code == 404

    response = _api(cast.ani).delete(f"/api/v1/applications/{draft.pk}/")

    assert response.status_code == 204
    assert not Application.objects.filter(pk=draft.pk).exists()
    done = submitted(two_opd, cast.ani)
    refused = _api(cast.ani).delete(f"/api/v1/applications/{done.pk}/")
    assert refused.status_code == 409 and "withdraw" in refused.json()["detail"]


# --- submitting needs a verified e-mail address ---------------------------------------------


def _unverified_draft(two_opd, cast):
    cast.ani.email_verified = False
    cast.ani.save(update_fields=["email_verified"])
    draft = lifecycle.create_draft(two_opd, cast.ani)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(draft, cast.ani, code, pdf())
    return draft


def test_the_api_refuses_to_submit_from_an_unverified_address(two_opd, cast):
    draft = _unverified_draft(two_opd, cast)

    response = _api(cast.ani).post(f"/api/v1/applications/{draft.pk}/submit/")

    assert response.status_code == 403
    assert "Verify your email address" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and draft.tracking_number is None
    assert not AuditEntry.objects.filter(action="permits.application.submitted").exists()


def test_the_page_refuses_to_submit_from_an_unverified_address(client, two_opd, cast):
    draft = _unverified_draft(two_opd, cast)
    client.force_login(cast.ani)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("permits:application_form", args=[draft.pk]), {"submit": "1"}, follow=True
    )

    assert "Verify your email address" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


# --- deemed approval (fiktif positif) -------------------------------------------------------


def _deemed(akdp, cast) -> Application:
    akdp.deemed_approval = True
    akdp.save(update_fields=["deemed_approval"])
    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    sweep(timezone.now() + timedelta(days=400))
    application.refresh_from_db()
    return application


def test_a_deemed_approval_shows_in_a_state_of_its_own(akdp, cast, client):
    application = _deemed(akdp, cast)

    assert application.status == Application.Status.DEEMED_APPROVED
    entry = AuditEntry.objects.get(action="workflows.application.deemed_approved")
    assert entry.before["status"] == "in_progress" and entry.after["status"] == "deemed_approved"
    client.force_login(cast.ani)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("permits:application_detail", args=[application.pk]))
    assert "Deemed approved" in page.content.decode()
    client.force_login(cast.fajar)
    staff = client.get(reverse("permits:task_detail", args=[the_task(application, 3).pk]))
    assert "Deemed approved" in staff.content.decode()
    body = _api(cast.ani).get(f"/api/v1/applications/{application.pk}/").json()
    assert body["status"] == "deemed_approved"
    assert application in Application.objects.filter(status__in=Application.ACTIVE_STATES)


def test_without_the_policy_a_late_application_stays_in_progress(akdp, cast):
    application = submitted(akdp, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")

    sweep(timezone.now() + timedelta(days=400))

    application.refresh_from_db()
    assert application.status == Application.Status.IN_PROGRESS


def test_a_deemed_approved_application_goes_on_through_its_steps(akdp, cast):
    application = _deemed(akdp, cast)

    engine.complete(the_task(application, 3), cast.fajar)

    application.refresh_from_db()
    assert application.status == Application.Status.DEEMED_APPROVED


def test_a_deemed_approved_application_can_no_longer_be_rejected(akdp, cast):
    from permits.actions import DecideHandler
    from permits.models import Decision

    application = _deemed(akdp, cast)
    task = the_task(application, 3)

    with pytest.raises(lifecycle.InvalidState, match="deemed approved by law"):
        DecideHandler().complete(task, cast.fajar, "no", {"verdict": "reject", "reasons": "X"})

    assert not Decision.objects.filter(application=application).exists()
