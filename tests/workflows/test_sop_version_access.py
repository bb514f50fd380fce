"""One rule for SOP versions, whatever the door: the services API's JSON (the list of
versions and the interchange document), the PDF page and the PDF API give the same answer
for a draft, a version in review, the published and a superseded version. Published and
superseded versions are public (a citizen reads the procedure their older permit went
through); drafts and versions in review are for administrators only."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ServiceFactory, build_sop_version
from workflows import access, documents
from workflows.models import SopVersion

pytestmark = pytest.mark.django_db

PUBLIC = {"published", "superseded"}


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    """The rule is under test, not the renderer."""
    monkeypatch.setattr(documents, "sop_pdf", lambda version: b"%PDF-1.7 sop")


@pytest.fixture
def versions(dishub) -> dict[str, SopVersion]:
    service = ServiceFactory(code="UJI-VERSI", name="Izin Uji Versi")
    service.technical_agencies.add(dishub)
    old = build_sop_version(service)
    current = build_sop_version(service)
    SopVersion.objects.filter(pk=old.pk).update(status=SopVersion.Status.SUPERSEDED)
    review = build_sop_version(service, publish=False)
    SopVersion.objects.filter(pk=review.pk).update(status=SopVersion.Status.IN_REVIEW)
    draft = build_sop_version(service, publish=False)
    by_status = {"superseded": old, "published": current, "in_review": review, "draft": draft}
    for name, version in by_status.items():
        version.refresh_from_db()
        assert version.status == name
    return by_status


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _doors(client: Client, version: SopVersion) -> dict[str, bool]:
    """Whether each door serves ``version`` to ``client``."""
    code = version.sop.service.code
    listed = client.get(reverse("api-service-sop-versions", args=[code]))
    listed_numbers = (
        {row["version"] for row in listed.json()["results"]} if listed.status_code == 200 else set()
    )
    document = client.get(
        reverse("api-service-sop-document", args=[code]), {"version": version.version}
    )
    page = client.get(reverse("workflows:sop_pdf", args=[version.pk]))
    api = client.get(reverse("sop-version-pdf", args=[version.pk]))
    return {
        "JSON list": version.version in listed_numbers,
        "JSON document": document.status_code == 200,
        "PDF page": page.status_code == 200,
        "PDF API": api.status_code == 200,
    }


@pytest.mark.parametrize("status", ["draft", "in_review", "published", "superseded"])
@pytest.mark.parametrize("who", ["anonymous", "applicant", "OPD officer"])
def test_every_door_gives_the_public_the_same_answer(versions, status, who, ani, citra):
    user = {"anonymous": None, "applicant": ani, "OPD officer": citra}[who]
    doors = _doors(_client(user), versions[status])
    expected = status in PUBLIC
    assert doors == dict.fromkeys(doors, expected), doors


@pytest.mark.parametrize("status", ["draft", "in_review", "published", "superseded"])
def test_administrators_read_every_version_through_every_door(versions, status, eko):
    doors = _doors(_client(eko), versions[status])
    assert all(doors.values()), doors


def test_a_superseded_pdf_is_the_old_procedure_not_a_404(client, versions):
    response = client.get(reverse("workflows:sop_pdf", args=[versions["superseded"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"v{versions['superseded'].version}.pdf" in response["Content-Disposition"]


def test_the_rule_is_one_function(versions, ani, eko):
    for status, version in versions.items():
        assert access.may_see_version(ani, version) is (status in PUBLIC)
        assert access.may_see_version(eko, version) is True
    visible = set(access.sop_versions_visible_to(ani).values_list("status", flat=True))
    assert visible == PUBLIC
