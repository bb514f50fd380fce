"""The public tracking page (``/lacak/``) and the tracking API share one lookup and one
throttle: failed guesses from one address count against it whichever door they come through,
and both doors answer a wrong number and a wrong code alike."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from permits import lifecycle
from tests.permits.lifecycle.kit import cast, pdf, two_opd  # noqa: F401

pytestmark = pytest.mark.django_db
GENERIC = "No application matches this tracking number and access code."
API = "/api/v1/tracking/"


@pytest.fixture
def tracked(cast, two_opd):  # noqa: F811
    application = lifecycle.create_draft(two_opd, cast.ani)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(application, cast.ani, code, pdf(f"{code}.pdf"))
    code = lifecycle.submit(application, cast.ani)
    return application, code


@pytest.fixture
def limit(settings):
    settings.TRACKING_MAX_ATTEMPTS = 3
    return 3


def _page(client, number, code):
    return client.post(reverse("permits:track"), {"nomor": number, "kode": code})


def _api(number, code, address="127.0.0.1"):
    client = APIClient(REMOTE_ADDR=address)
    return client.post(API, {"tracking_number": number, "access_code": code}, format="json")


def test_it_finds_the_same_application_through_both_doors(client, tracked):
    application, code = tracked
    assert _page(client, application.tracking_number, code).status_code == 200
    response = _api(application.tracking_number.lower(), code.lower())
    assert response.status_code == 200
    assert response.json()["tracking_number"] == application.tracking_number


def test_it_answers_a_wrong_number_and_a_wrong_code_alike_through_both_doors(client, tracked):
    application, code = tracked
    for number, guess in ((application.tracking_number, "ZZZZZZZZ"), ("SOP-1999-000001", code)):
        page, api = _page(client, number, guess), _api(number, guess)
        assert page.status_code == api.status_code == 404
        assert GENERIC in page.content.decode()
        assert api.json() == {"detail": GENERIC}


def test_guesses_on_the_page_count_against_the_api(client, tracked, limit):
    application, code = tracked
    for _ in range(limit):
        assert _page(client, application.tracking_number, "ZZZZZZZZ").status_code == 404
    # Even the right pair is refused now, through the other door.
    assert _api(application.tracking_number, code).status_code == 429


def test_guesses_through_the_api_count_against_the_page(client, tracked, limit):
    application, code = tracked
    for _ in range(limit):
        assert _api(application.tracking_number, "ZZZZZZZZ").status_code == 404
    refused = _page(client, application.tracking_number, code)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()


def test_guesses_at_different_numbers_share_one_counter_per_address(tracked, limit):
    application, code = tracked
    for i in range(limit):
        assert _api(f"SOP-1999-00000{i}", "ZZZZZZZZ").status_code == 404
    assert _api(application.tracking_number, code).status_code == 429


def test_another_address_is_not_held_up(tracked, limit):
    application, code = tracked
    for _ in range(limit):
        _api(application.tracking_number, "ZZZZZZZZ", address="10.0.0.1")
    assert _api(application.tracking_number, code, address="10.0.0.2").status_code == 200


def test_a_signed_in_caller_is_throttled_too(tracked, limit, cast):  # noqa: F811
    application, code = tracked
    client = APIClient()
    client.force_authenticate(cast.bayu)
    body = {"tracking_number": application.tracking_number, "access_code": "ZZZZZZZZ"}
    for _ in range(limit):
        assert client.post(API, body, format="json").status_code == 404
    body["access_code"] = code
    assert client.post(API, body, format="json").status_code == 429


def test_complaint_tracking_and_application_tracking_share_the_counter(client, tracked, limit):
    application, code = tracked
    for _ in range(limit):
        response = client.post(
            reverse("feedback:complaint_track"), {"nomor": "ADU-1999-0001", "kode": "ZZZZ"}
        )
        assert response.status_code == 404
    assert _api(application.tracking_number, code).status_code == 429
