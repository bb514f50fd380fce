"""The SOP version's transition table, walked pair by pair (every allowed move moves and leaves
one audit row; every other pair is refused and writes nothing), and the doors that must not
publish without review: the API, the admin."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from sop_portal.models import AuditEntry
from sop_portal.states import TransitionRefused
from tests.factories import ServiceFactory, build_sop_version
from workflows import versions
from workflows.models import SopVersion
from workflows.states.sop import SOP_VERSION

pytestmark = pytest.mark.django_db

STATES = list(SopVersion.Status.values)
ALLOWED = sorted(SOP_VERSION.pairs())
FORBIDDEN = sorted(set(itertools.product(STATES, STATES)) - SOP_VERSION.pairs())
EFFECTIVE = datetime.date(2026, 4, 1)
#: What each transition needs to hear besides the actor.
CONTEXT = {"return": {"note": "Lengkapi NIP"}, "approve": {"effective_on": EFFECTIVE}}


@pytest.fixture
def service(dishub):
    service = ServiceFactory(code="DISHUB-AKDP")
    service.technical_agencies.add(dishub)
    return service


def a_version(service, status: str) -> SopVersion:
    version = build_sop_version(service, publish=False)
    SopVersion.objects.filter(pk=version.pk).update(status=status)
    return SopVersion.objects.get(pk=version.pk)


def trail(version: SopVersion) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_type="workflows.sopversion", object_id=str(version.pk)
        ).values_list("action", flat=True)
    )


def test_the_table_reads_as_the_review_rule_says():
    assert ALLOWED == [
        ("draft", "in_review"),
        ("draft", "published"),
        ("in_review", "draft"),
        ("in_review", "published"),
        ("published", "superseded"),
    ]
    assert SOP_VERSION.find("draft", "published").name == "publish_unreviewed"


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_it_makes_every_allowed_move_with_one_audit_row(service, eko, source, target):
    version = a_version(service, source)
    name = SOP_VERSION.find(source, target).name
    SOP_VERSION.move(version, target, by=eko, name=name, **CONTEXT.get(name, {}))
    version.refresh_from_db()
    assert version.status == target
    assert trail(version) == [f"workflows.sop_version.{name}"]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_it_refuses_every_other_pair_and_writes_nothing(service, eko, source, target):
    version = a_version(service, source)
    with pytest.raises(TransitionRefused):
        SOP_VERSION.move(version, target, by=eko, note="x", effective_on=EFFECTIVE)
    version.refresh_from_db()
    assert version.status == source
    assert trail(version) == []


def test_guards_refuse_and_write_nothing(service, eko, dewi):
    in_review = a_version(service, SopVersion.Status.IN_REVIEW)
    with pytest.raises(Exception, match="Say why"):
        SOP_VERSION.move(in_review, "draft", by=eko, note="  ")
    with pytest.raises(Exception, match="takes effect"):
        SOP_VERSION.move(in_review, "published", by=eko, name="approve")
    draft = a_version(service, SopVersion.Status.DRAFT)
    with pytest.raises(PermissionDenied):  # only an administrator publishes without review
        versions.publish(draft, by=dewi)
    for version, status in ((in_review, "in_review"), (draft, "draft")):
        version.refresh_from_db()
        assert version.status == status and trail(version) == []


def test_the_import_publish_is_recorded_as_a_publish_without_review(service, eko):
    old = build_sop_version(service)
    draft = build_sop_version(service, publish=False)
    versions.publish(draft, by=eko)
    entry = AuditEntry.objects.get(action="workflows.sop_version.published")
    assert (entry.actor, entry.after["without_review"]) == (eko, True)
    old.refresh_from_db()
    assert old.status == SopVersion.Status.SUPERSEDED and trail(old) == [
        "workflows.sop_version.superseded"
    ]


def test_the_api_publishes_only_after_review(service, eko, dewi):
    draft = build_sop_version(service, publish=False)
    api = APIClient()
    api.force_authenticate(eko)
    url = f"/api/v1/sops/{service.sop.code}/versions/{draft.version}/publish/"
    response = api.post(url, {"effective_on": "2026-04-01"}, format="json")
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT
    assert not AuditEntry.objects.filter(action="workflows.sop_version.published").exists()

    api.post(f"/api/v1/sops/{service.sop.code}/versions/{draft.version}/submit/")
    api.force_authenticate(dewi)  # a second pair of eyes: the head
    assert api.post(url, {"effective_on": "2026-04-01"}, format="json").status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.effective_on) == (SopVersion.Status.PUBLISHED, EFFECTIVE)


def test_the_admin_has_no_publish_without_review(client, service, eko):
    draft = build_sop_version(service, publish=False)
    client.force_login(eko)
    changelist = reverse("admin:workflows_sopversion_changelist")
    page = client.get(changelist).content.decode()
    assert "publish_versions" not in page and "approve_versions" in page
    client.post(changelist, {"action": "approve_versions", "_selected_action": [draft.pk]})
    client.post(changelist, {"action": "publish_versions", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT
    assert not AuditEntry.objects.filter(action="workflows.sop_version.published").exists()
