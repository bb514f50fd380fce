"""The SOP versions API: administrators list and read every version, start drafts, move them
through review, and compare versions; everyone else is refused."""

import pytest
from rest_framework.test import APIClient

from sop_portal.models import AuditEntry
from workflows import editor
from workflows.models import SopVersion

BASE = "/api/v1/sops/DISHUB-AKDP"


@pytest.fixture
def admin_api(eko):
    client = APIClient()
    client.force_authenticate(eko)
    return client


def test_it_refuses_anonymous_users_and_staff_who_are_not_administrators(draft, budi):
    anonymous, staff = APIClient(), APIClient()
    staff.force_authenticate(budi)
    calls = [
        ("get", f"{BASE}/versions/"),
        ("post", f"{BASE}/versions/"),
        ("get", f"{BASE}/versions/2/"),
        ("post", f"{BASE}/versions/2/submit/"),
        ("post", f"{BASE}/versions/2/return/"),
        ("post", f"{BASE}/versions/2/publish/"),
        ("get", f"{BASE}/diff/?a=1&b=2"),
    ]
    for client, expected in ((anonymous, (401, 403)), (staff, (403,))):
        for method, url in calls:
            assert getattr(client, method)(url).status_code in expected, url
    assert SopVersion.objects.count() == 2


def test_it_lists_every_version_including_drafts(admin_api, draft):
    response = admin_api.get(f"{BASE}/versions/")
    assert response.status_code == 200
    assert [(v["version"], v["status"]) for v in response.json()] == [
        (2, "draft"),
        (1, "published"),
    ]


def test_a_drafts_detail_lists_its_problems(admin_api, draft):
    editor.update_step(draft.steps.get(no=2), no_no=None)
    body = admin_api.get(f"{BASE}/versions/2/").json()
    assert body["content"]["steps"][1]["on_yes"] == 3
    assert [(p["path"], p["step"]) for p in body["problems"]] == [("sop.steps[1].on_no", 2)]
    response = admin_api.post(f"{BASE}/versions/2/submit/")
    assert response.status_code == 400
    assert response.json()["problems"][0]["step"] == 2


def test_the_review_path_through_the_api(admin_api, published, eko, dewi):
    created = admin_api.post(f"{BASE}/versions/")
    assert created.status_code == 201 and created.json()["version"] == 2
    assert admin_api.post(f"{BASE}/versions/").status_code == 409
    assert admin_api.post(f"{BASE}/versions/2/submit/").json()["status"] == "in_review"
    assert admin_api.post(f"{BASE}/versions/2/return/", {}).status_code == 400
    returned = admin_api.post(f"{BASE}/versions/2/return/", {"reason": "Cek NIP"}, format="json")
    assert returned.json()["status"] == "draft"
    admin_api.post(f"{BASE}/versions/2/submit/")
    # Four eyes: the administrator who drafted and submitted it cannot approve it...
    own = admin_api.post(
        f"{BASE}/versions/2/publish/", {"effective_on": "2026-06-01"}, format="json"
    )
    assert own.status_code == 403 and "four-eyes" in own.json()["detail"]
    assert SopVersion.objects.get(sop=published.sop, version=2).status == "in_review"
    # ... the head does.
    head_api = APIClient()
    head_api.force_authenticate(dewi)
    published_now = head_api.post(
        f"{BASE}/versions/2/publish/", {"effective_on": "2026-06-01"}, format="json"
    )
    assert published_now.status_code == 200
    assert (published_now.json()["status"], published_now.json()["effective_on"]) == (
        "published",
        "2026-06-01",
    )
    published.refresh_from_db()
    assert published.status == SopVersion.Status.SUPERSEDED
    assert (
        admin_api.post(f"{BASE}/versions/2/publish/", {"effective_on": "2026-06-01"}).status_code
        == 409
    )
    assert AuditEntry.objects.filter(action="workflows.sop_version.approved", actor=dewi).exists()


def test_the_diff_between_two_versions(admin_api, draft):
    editor.update_step(draft.steps.get(no=3), duration_value=5)
    body = admin_api.get(f"{BASE}/diff/", {"a": 1, "b": 2}).json()
    changed = body["steps_changed"]
    assert [(c["after_no"], c["time_norm_changed"]) for c in changed] == [(3, True)]
    duration = next(c for c in changed[0]["changes"] if c["field"] == "duration")
    assert (duration["before"], duration["after"]) == (
        {"value": 3, "unit": "days"},
        {"value": 5, "unit": "days"},
    )
    assert admin_api.get(f"{BASE}/diff/", {"a": 1, "b": 9}).status_code == 404
    assert admin_api.get(f"{BASE}/diff/").status_code == 400
