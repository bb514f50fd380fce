"""Public tracking by tracking number and access code: the timeline without personal data,
one generic answer for any wrong pair, and a throttle."""

import pytest
from django.urls import reverse

from permits import lifecycle
from tests.permits.lifecycle.kit import pdf

pytestmark = pytest.mark.django_db
GENERIC = "No application matches this tracking number and access code."


@pytest.fixture
def tracked(cast, two_opd):
    cast.ani.nik = "7401010101010001"
    cast.ani.save()
    application = lifecycle.create_draft(two_opd, cast.ani)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(application, cast.ani, code, pdf(f"{code}-ani.pdf"))
    code = lifecycle.submit(application, cast.ani)
    return application, code


def _track(client, number, code):
    return client.post(reverse("permits:track"), {"nomor": number, "kode": code})


def test_it_shows_the_timeline_for_the_right_number_and_code_without_personal_data(client, tracked):
    application, code = tracked
    response = _track(client, application.tracking_number.lower(), code.lower())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Izin Uji Dua OPD" in html and "Memeriksa kelengkapan" in html
    assert "Dinas Penanaman Modal" in html or "DPMPTSP" in html
    for personal in ("Ani", "ani@contoh.id", "7401010101010001", "ktp-ani.pdf", "/dokumen/"):
        assert personal not in html, personal
    assert response["Cache-Control"] == "private, no-store"


def test_it_answers_a_wrong_code_and_a_wrong_number_alike(client, tracked):
    application, code = tracked
    wrong_code = _track(client, application.tracking_number, "ZZZZZZZZ")
    wrong_number = _track(client, "SOP-1999-000001", code)
    for response in (wrong_code, wrong_number):
        assert response.status_code == 404
        assert GENERIC in response.content.decode()
        assert "Memeriksa kelengkapan" not in response.content.decode()


def test_it_throttles_repeated_failures_for_one_number(client, tracked, settings):
    settings.TRACKING_MAX_ATTEMPTS = 3
    application, code = tracked
    for _ in range(3):
        assert _track(client, application.tracking_number, "ZZZZZZZZ").status_code == 404
    blocked = _track(client, application.tracking_number, code)
    assert blocked.status_code == 429 and "Memeriksa kelengkapan" not in blocked.content.decode()


def test_it_prefills_the_number_from_the_receipts_qr_link(client, tracked):
    application, _code = tracked
    page = client.get(reverse("permits:track") + f"?nomor={application.tracking_number}")
    assert f'value="{application.tracking_number}"' in page.content.decode()


def test_it_does_not_track_a_draft(client, cast, two_opd):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    assert _track(client, str(draft.pk), "ABCDEFGH").status_code == 404
