"""The documents API: decree drafts, rendering jobs, SOP version PDFs."""

import pytest
from rest_framework.test import APIClient

from tests.factories import build_sop_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(eko):
    client = APIClient()
    client.force_authenticate(eko)
    return client


def test_it_creates_a_decree_from_the_template_and_renders_it(
    admin_api, small_sop, django_capture_on_commit_callbacks
):
    response = admin_api.post(
        "/api/v1/decrees/", {"year": 2026, "annexes": [small_sop.pk]}, format="json"
    )
    assert response.status_code == 201, response.content
    decree = response.json()
    assert decree["menimbang"][0].startswith("bahwa") and decree["annexes"] == [small_sop.pk]

    with django_capture_on_commit_callbacks(execute=True):
        job = admin_api.post(f"/api/v1/decrees/{decree['id']}/render/").json()
    polled = admin_api.get(f"/api/v1/document-jobs/{job['id']}/").json()
    assert polled["status"] == "done" and polled["download_url"]
    pdf = admin_api.get(polled["download_url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_it_refuses_a_draft_annex(admin_api, akdp):
    draft = build_sop_version(akdp, publish=False)

    response = admin_api.post(
        "/api/v1/decrees/", {"year": 2026, "annexes": [draft.pk]}, format="json"
    )

    assert response.status_code == 400


def test_it_keeps_decrees_from_non_administrators(budi):
    client = APIClient()
    assert client.get("/api/v1/decrees/").status_code in (401, 403)
    client.force_authenticate(budi)
    assert client.get("/api/v1/decrees/").status_code == 403


def test_it_serves_published_sop_pdfs_publicly_and_hides_drafts(small_sop, akdp):
    client = APIClient()
    assert client.get(f"/api/v1/sop-versions/{small_sop.pk}/pdf/").status_code == 200
    draft = build_sop_version(akdp, publish=False)
    assert client.get(f"/api/v1/sop-versions/{draft.pk}/pdf/").status_code == 404
