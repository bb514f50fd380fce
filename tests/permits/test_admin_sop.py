"""The admin: SOP JSON import page, per-version download, the review actions, and the
catalogue, SOP and task lists with their search and filters."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from permits.interchange import import_document
from permits.models import Service
from tests.data import valid_document
from tests.factories import ServiceFactory, build_sop_version
from workflows.models import SopVersion

IMPORT_URL = "admin:permits_service_import_sop"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client, eko, dishub):
    client.force_login(eko)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(doc, name="sop.json") -> SimpleUploadedFile:
    raw = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def test_the_service_list_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:permits_service_changelist"))
    assert response.status_code == 200
    assert reverse(IMPORT_URL).encode() in response.content


def test_it_imports_an_uploaded_document_and_says_so(admin_client, eko):
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload(valid_document()), "publish": "on"}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:permits_service_changelist")
    version = Service.objects.get(code="DISHUB-ASK").sop.versions.get()
    assert version.status == SopVersion.Status.PUBLISHED
    assert version.published_by == eko
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Imported DISHUB-ASK: SOP version 1 (Published)."]


def test_it_shows_every_problem_of_a_bad_upload_and_writes_nothing(admin_client):
    doc = valid_document()
    doc["service"]["kind"] = "izin"
    doc["sop"]["steps"][3]["on_no"] = 5
    response = admin_client.post(reverse(IMPORT_URL), {"file": upload(doc)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The document was refused" in page
    assert "<code>service.kind</code>" in page
    assert "<code>sop.steps[3].on_no</code> (step 4)" in page
    assert not Service.objects.exists()
    assert not SopVersion.objects.exists()


def test_it_shows_where_an_uploaded_file_is_not_json(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {"file": upload(b'{"format": ')})
    assert response.status_code == 200
    assert "Not valid JSON" in response.content.decode()
    assert not Service.objects.exists()


def test_it_asks_for_a_file(admin_client):
    response = admin_client.post(reverse(IMPORT_URL), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_the_import_page_and_download_are_for_staff_only(client, ani, dishub, dpmptsp):
    version = import_document(valid_document())
    client.force_login(ani)
    for url in (
        reverse(IMPORT_URL),
        reverse("admin:workflows_sopversion_download", args=[version.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_it_downloads_a_version_as_a_json_attachment(admin_client, dpmptsp):
    version = import_document(valid_document())
    response = admin_client.get(reverse("admin:workflows_sopversion_download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == "attachment; filename=DISHUB-ASK-v1.json"
    assert json.loads(response.content) == valid_document()
    listing = admin_client.get(reverse("admin:workflows_sopversion_changelist"))
    assert reverse("admin:workflows_sopversion_download", args=[version.pk]).encode() in (
        listing.content
    )


def _action(admin_client, name, version):
    return admin_client.post(
        reverse("admin:workflows_sopversion_changelist"),
        {"action": name, "_selected_action": [version.pk]},
        follow=True,
    )


def test_the_review_actions_submit_then_approve_and_publish(
    admin_client, client, django_user_model, dpmptsp
):
    draft = import_document(valid_document())
    response = _action(admin_client, "submit_versions", draft)
    assert "1 version submitted for review." in [str(m) for m in response.context["messages"]]
    # Four eyes: who submitted it does not approve it; a second administrator does.
    _action(admin_client, "approve_versions", draft)
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.IN_REVIEW
    reviewer = django_user_model.objects.create_superuser(
        email="reviewer@contoh.id", password="x", full_name="Peninjau"
    )
    client.force_login(reviewer)
    response = _action(client, "approve_versions", draft)
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.PUBLISHED
    assert "1 version published." in [str(m) for m in response.context["messages"]]


def test_the_submit_action_shows_the_problems_of_an_invalid_draft(admin_client):
    service = ServiceFactory(code="DPMPTSP-SKET")  # no technical agency, yet a *technical* step
    draft = build_sop_version(service, publish=False)
    response = _action(admin_client, "submit_versions", draft)
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0] == "DPMPTSP-SKET v1 was not changed: 1 problem(s)."
    assert messages[1].startswith("sop.performers[2].agency: *technical*")
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT


def test_a_published_version_is_read_only_in_the_admin(admin_client, dpmptsp):
    published = import_document(valid_document(), publish=True)
    draft = import_document(valid_document())
    url = "admin:workflows_sopversion_change"
    locked_page = admin_client.get(reverse(url, args=[published.pk])).content.decode()
    draft_page = admin_client.get(reverse(url, args=[draft.pk])).content.decode()
    assert 'name="name"' in draft_page and 'name="steps-0-activity"' in draft_page
    assert 'name="name"' not in locked_page and 'name="steps-0-activity"' not in locked_page
    assert "Download JSON" in locked_page


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("admin:permits_service_changelist", {"q": "ASK", "kind__exact": "permit"}),
        ("admin:permits_requirement_changelist", {"q": "ktp", "mandatory__exact": "1"}),
        ("admin:permits_application_changelist", {"q": "ani@contoh.id", "status": "draft"}),
        ("admin:workflows_sop_changelist", {"q": "DISHUB"}),
        ("admin:workflows_sopversion_changelist", {"q": "Sewa", "status__exact": "draft"}),
        ("admin:workflows_task_changelist", {"q": "Memeriksa", "status__exact": "open"}),
    ],
)
def test_the_admin_lists_search_and_filter(admin_client, dpmptsp, name, query):
    import_document(valid_document())
    response = admin_client.get(reverse(name), query)
    assert response.status_code == 200


def test_the_service_and_sop_pages_open(admin_client, dpmptsp):
    version = import_document(valid_document())
    service = Service.objects.get()
    for url in (
        reverse("admin:permits_service_change", args=[service.pk]),
        reverse("admin:workflows_sop_change", args=[version.sop_id]),
        reverse(IMPORT_URL),
    ):
        assert admin_client.get(url).status_code == 200, url
