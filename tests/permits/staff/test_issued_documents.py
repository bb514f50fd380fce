"""Issued documents: the permit and the rejection letter as PDF, who may download them, and the
public verification page their QR code opens."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from permits import actions
from permits.issued_documents import issued_document_pdf, verification_url
from permits.models import IssuedDocument, Recommendation
from permits.standing import revoke
from tests.conftest import SIGNING_PASSPHRASE
from tests.permits.lifecycle.kit import submitted

from .helpers import client_for

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def permit(two_opd, cast) -> IssuedDocument:
    application = submitted(two_opd, cast.ani)
    Recommendation.objects.create(
        task=application.tasks.first(),
        application=application,
        verdict=Recommendation.Verdict.RECOMMEND_WITH_CONDITIONS,
        conditions="Beroperasi pukul 06.00-18.00",
    )
    return actions.issue(
        application, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE
    )


@pytest.fixture
def rejection(two_opd, cast) -> IssuedDocument:
    application = submitted(two_opd, cast.bayu)
    return actions.issue(
        application,
        cast.dewi,
        IssuedDocument.Kind.REJECTION,
        "Lokasi berada di kawasan lindung",
        passphrase=SIGNING_PASSPHRASE,
    )


def test_it_prints_the_permit_with_number_holder_service_and_conditions(permit):
    text = text_of(issued_document_pdf(permit))
    assert permit.number in text
    assert "Ani Pemohon" in text
    assert "Izin Uji Dua OPD" in text.replace("\n", " ")
    assert "Beroperasi pukul 06.00-18.00" in text
    assert "a.n. Gubernur Sulawesi Tenggara" in text
    assert "Kepala DPMPTSP" in text
    assert "WITA" in text


def test_it_prints_the_rejection_letter_with_its_reasons(rejection):
    text = " ".join(text_of(issued_document_pdf(rejection)).split())
    assert rejection.number in text
    assert "Bayu Pemohon" in text
    assert "Lokasi berada di kawasan lindung" in text
    assert "tidak dapat disetujui" in text


def test_it_lets_the_applicant_and_staff_download_and_nobody_else(permit, cast):
    url = reverse("permits:issued_document_download", args=[permit.pk])
    mine = client_for(cast.ani).get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert permit.number in text_of(b"".join(mine.streaming_content))
    assert client_for(cast.budi).get(url).status_code == 200
    assert client_for(cast.bayu).get(url).status_code == 404
    # DISHUB has no task on this application yet.
    assert client_for(cast.citra).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_it_says_a_document_is_authentic_without_personal_data(permit):
    url = verification_url(permit, "http://testserver")
    response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert permit.number in page and "Ani Pemohon" in page and "Izin Uji Dua OPD" in page
    assert "alert-success" in page
    assert permit.application.applicant.email not in page
    assert permit.application.tracking_number not in page


def test_it_says_when_a_document_was_revoked(permit, cast):
    revoke(
        permit, cast.dewi, "Izin dipindahtangankan", "Pergub 12/2024 pasal 30", date(2026, 12, 2)
    )
    page = Client().get(verification_url(permit, "http://testserver")).content.decode()
    assert "alert-danger" in page and permit.number in page


def test_it_says_not_found_for_an_unknown_token(db):
    response = Client().get(reverse("permits:verify", args=["tidak-ada"]))
    assert response.status_code == 404
    assert "alert-danger" in response.content.decode()
