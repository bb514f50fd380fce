"""Public tracking by number and access code, verification of issued documents, and API
tokens."""

import pytest

from tests.permits.lifecycle.kit import submitted

from .kit import submit_by_api

pytestmark = pytest.mark.django_db


def test_it_tracks_an_application_without_personal_data(as_user, cast, two_opd):
    application, body = submit_by_api(as_user(cast.ani), two_opd)
    response = as_user().post(
        "/api/v1/tracking/",
        {"tracking_number": body["tracking_number"], "access_code": body["access_code"].lower()},
        format="json",
    )
    assert response.status_code == 200
    tracked = response.json()
    assert tracked["status"] == application.status
    assert tracked["held_by"][0]["agency"] == "DPMPTSP" or tracked["held_by"][0]["agency"]
    text = response.content.decode()
    assert cast.ani.email not in text and cast.ani.full_name not in text
    assert cast.budi.full_name not in text


def test_it_gives_one_generic_answer_to_a_wrong_number_or_code(as_user, cast, two_opd):
    application = submitted(two_opd, cast.ani)
    wrong_code = as_user().post(
        "/api/v1/tracking/",
        {"tracking_number": application.tracking_number, "access_code": "XXXXXX"},
        format="json",
    )
    wrong_number = as_user().post(
        "/api/v1/tracking/", {"tracking_number": "NOPE", "access_code": "XXXXXX"}, format="json"
    )
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.json() == wrong_number.json()
    assert application.tracking_number not in wrong_code.content.decode()


def test_it_says_an_unknown_verification_token_is_not_found(as_user):
    assert as_user().get("/api/v1/verify/not-a-token/").status_code == 404


def test_it_issues_a_token_for_email_and_password_and_accepts_it(api, cast):
    cast.ani.set_password("rahasia-123")
    cast.ani.save()
    wrong = api.post(
        "/api/v1/auth/token/", {"email": cast.ani.email, "password": "salah"}, format="json"
    )
    assert wrong.status_code == 400
    response = api.post(
        "/api/v1/auth/token/", {"email": cast.ani.email, "password": "rahasia-123"}, format="json"
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/applications/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get("/api/v1/applications/").status_code in (401, 403)
