"""The admin cannot change what only the domain may change: published SOP versions and their
steps, issued documents, applications and tasks are read-only there, and a service with
applications is never deleted (one by one or in bulk), with a message instead of an error."""

import pytest
from django.urls import reverse
from django.utils import translation

from permits.models import IssuedDocument, Service
from tests.feedback.kit import finished
from tests.permits.lifecycle.kit import akdp, cast, submitted, two_opd  # noqa: F401
from workflows.models import SopVersion, Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client, cast):  # noqa: F811
    cast.eko.is_staff = cast.eko.is_superuser = True
    cast.eko.save()
    client.force_login(cast.eko)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _read_only(admin_client, obj, post: dict) -> str:
    """GET shows no save button; POST changes nothing (403)."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert admin_client.post(url, post).status_code == 403
    return html


def test_a_published_version_and_its_steps_are_read_only(admin_client, akdp):  # noqa: F811
    version = akdp.sop.published_version
    html = _read_only(admin_client, version, {"name": "Diubah", "sop": version.sop_id})
    assert 'name="steps-0-activity"' not in html
    version.refresh_from_db()
    assert version.name != "Diubah" and version.status == SopVersion.Status.PUBLISHED
    delete = reverse("admin:workflows_sopversion_delete", args=[version.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert SopVersion.objects.filter(pk=version.pk).exists()


def test_applications_and_tasks_are_read_only(admin_client, akdp, cast):  # noqa: F811
    application = submitted(akdp, cast.ani)
    _read_only(admin_client, application, {"status": "issued"})
    before = application.status
    task = Task.objects.filter(application=application, status=Task.Status.OPEN).first()
    _read_only(admin_client, task, {"status": "done"})
    application.refresh_from_db()
    assert application.status == before
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_issued_documents_are_read_only(admin_client, two_opd, cast):  # noqa: F811
    application = finished(two_opd, cast)
    issued = IssuedDocument.objects.get(application=application)
    _read_only(admin_client, issued, {"holder_name": "Orang Lain", "revoked": "on"})
    issued.refresh_from_db()
    assert issued.holder_name != "Orang Lain" and not issued.revoked


def test_a_service_with_applications_is_not_deleted_in_bulk(admin_client, akdp, cast):  # noqa: F811
    submitted(akdp, cast.ani)
    response = admin_client.post(
        reverse("admin:permits_service_changelist"),
        {"action": "delete_selected", "_selected_action": [akdp.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("still have applications" in m and "DISHUB-AKDP" in m for m in messages)
    assert Service.objects.filter(pk=akdp.pk).exists()


def test_a_service_with_applications_is_not_deleted_alone(admin_client, akdp, cast):  # noqa: F811
    submitted(akdp, cast.ani)
    url = reverse("admin:permits_service_delete", args=[akdp.pk])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert any("cannot be deleted" in str(m) for m in response.context["messages"])
    assert Service.objects.filter(pk=akdp.pk).exists()


def test_an_unused_service_can_still_be_deleted(admin_client, cast):  # noqa: F811
    from tests.factories import ServiceFactory

    service = ServiceFactory(code="TIDAK-DIPAKAI")
    admin_client.post(
        reverse("admin:permits_service_changelist"),
        {"action": "delete_selected", "_selected_action": [service.pk], "post": "yes"},
    )
    assert not Service.objects.filter(pk=service.pk).exists()


def test_a_draft_edited_in_the_admin_is_audited(rf, cast):  # noqa: F811
    from types import SimpleNamespace

    from django.contrib import admin

    from sop_portal.models import AuditEntry
    from tests.factories import ServiceFactory, build_sop_version

    draft = build_sop_version(ServiceFactory(code="DRAF-ADMIN"), publish=False)
    request = rf.post("/")
    request.user = cast.eko
    draft.name = "Nama Baru"  # as the admin form leaves it on the object
    form = SimpleNamespace(changed_data=["name"], cleaned_data={"name": "Nama Baru"})
    admin.site._registry[SopVersion].save_model(request, draft, form, change=True)
    draft.refresh_from_db()
    assert draft.name == "Nama Baru"
    entry = AuditEntry.objects.get(action="workflows.sop_version.identity_updated")
    assert (entry.actor, entry.after) == (cast.eko, {"name": "Nama Baru"})
