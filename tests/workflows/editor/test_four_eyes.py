"""Four eyes on SOP review (issue 12.8): whoever drafted, edited or submitted a version cannot
approve it — through the domain function, the page and the API; the head reviews on a screen
with the changes and the PDF."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Role
from tests.factories import MembershipFactory
from workflows import editor
from workflows.models import SopVersion
from workflows.states.sop import NotReviewer, SameAuthor
from workflows.versions import approve_and_publish, new_draft, submit_for_review

EFFECTIVE = datetime.date(2026, 12, 7)


@pytest.fixture
def fitri(dpmptsp):
    """A second administrator."""
    return MembershipFactory(
        user__email="fitri@dpmptsp.go.id",
        user__full_name="Fitri Administrator",
        agency=dpmptsp,
        role=Role.ADMINISTRATOR,
    ).user


@pytest.fixture
def in_review(published, eko):
    """Version 2, drafted and submitted by Eko."""
    draft = new_draft(published.sop, by=eko)
    submit_for_review(draft, by=eko)
    return draft


def _status(version) -> str:
    version.refresh_from_db()
    return version.status


def test_the_drafter_cannot_approve_their_own_version(in_review, eko, dewi):
    with pytest.raises(SameAuthor):
        approve_and_publish(in_review, by=eko, effective_on=EFFECTIVE)
    assert _status(in_review) == SopVersion.Status.IN_REVIEW
    approve_and_publish(in_review, by=dewi, effective_on=EFFECTIVE)
    assert _status(in_review) == SopVersion.Status.PUBLISHED


def test_an_administrator_who_edited_the_draft_cannot_approve_it(published, eko, fitri, dewi):
    draft = new_draft(published.sop, by=eko)
    editor.update_identity(draft, {"name": "Pelayanan AKDP (revisi)"}, by=fitri)
    submit_for_review(draft, by=eko)
    with pytest.raises(SameAuthor):
        approve_and_publish(draft, by=fitri, effective_on=EFFECTIVE)
    assert _status(draft) == SopVersion.Status.IN_REVIEW


def test_another_administrator_may_approve(in_review, fitri):
    approve_and_publish(in_review, by=fitri, effective_on=EFFECTIVE)
    assert _status(in_review) == SopVersion.Status.PUBLISHED


def test_staff_who_do_not_review_cannot_approve(in_review, budi):
    with pytest.raises(NotReviewer):
        approve_and_publish(in_review, by=budi, effective_on=EFFECTIVE)
    assert _status(in_review) == SopVersion.Status.IN_REVIEW


@override_settings(SOP_FOUR_EYES=False)
def test_the_rule_can_be_switched_off(in_review, eko):
    approve_and_publish(in_review, by=eko, effective_on=EFFECTIVE)
    assert _status(in_review) == SopVersion.Status.PUBLISHED


def test_the_drafter_is_refused_on_the_page(client, in_review, eko):
    client.force_login(eko)
    url = reverse("workflows:sop_approve", args=[in_review.sop.code, in_review.version])
    response = client.post(url, {"effective_on": "2026-12-07"}, follow=True)
    assert "four-eyes rule" in response.content.decode()
    assert _status(in_review) == SopVersion.Status.IN_REVIEW
    review = client.get(reverse("workflows:sop_review", args=[in_review.sop.code, 2]))
    page = review.content.decode()
    assert 'id="four-eyes"' in page and "Approve and publish" not in page


def test_the_drafter_is_refused_by_the_api(in_review, eko):
    api = APIClient()
    api.force_authenticate(eko)
    url = f"/api/v1/sops/{in_review.sop.code}/versions/2/publish/"
    response = api.post(url, {"effective_on": "2026-12-07"}, format="json")
    assert response.status_code == 403
    assert "four-eyes" in response.json()["detail"]
    assert _status(in_review) == SopVersion.Status.IN_REVIEW


def test_the_head_reviews_on_a_screen_with_the_changes_and_the_pdf(client, in_review, dewi):
    client.force_login(dewi)
    listing = client.get(reverse("workflows:sop_review_list")).content.decode()
    assert reverse("workflows:sop_review", args=["DISHUB-AKDP", 2]) in listing
    response = client.get(reverse("workflows:sop_review", args=["DISHUB-AKDP", 2]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Changes against version 1 (in force)" in page
    assert "Approve and publish" in page and "Return for revision" in page
    pdf_url = reverse("workflows:sop_pdf", args=[in_review.pk])
    assert pdf_url in page
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The head approves from the screen and comes back to it.
    approved = client.post(
        reverse("workflows:sop_approve", args=["DISHUB-AKDP", 2]),
        {"effective_on": "2026-12-07", "from": "review"},
    )
    assert approved["Location"] == reverse("workflows:sop_review", args=["DISHUB-AKDP", 2])
    assert _status(in_review) == SopVersion.Status.PUBLISHED


def test_a_bad_effective_date_on_the_review_screen_is_a_400(client, in_review, dewi):
    client.force_login(dewi)
    response = client.post(
        reverse("workflows:sop_approve", args=["DISHUB-AKDP", 2]),
        {"effective_on": "7 Desember", "from": "review"},
    )
    assert response.status_code == 400
    assert _status(in_review) == SopVersion.Status.IN_REVIEW
