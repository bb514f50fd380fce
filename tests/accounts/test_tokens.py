"""API tokens expire (8 hours for staff, 30 days for others, by default) and are revoked when
the password changes or is reset."""

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from sop_portal.settings import API_TOKEN_LIFETIME, API_TOKEN_LIFETIME_STAFF
from tests.factories import PASSWORD

from .conftest import TOKEN_URL

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sandi-Baru-Kendari-77"


def obtain(api, user, password=PASSWORD) -> str:
    response = api.post(TOKEN_URL, {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def status_with(api, key: str) -> int:
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    try:
        return api.get("/api/v1/applications/").status_code
    finally:
        api.credentials()


def test_the_lifetimes_by_default():
    assert API_TOKEN_LIFETIME_STAFF == 8 * 3600
    assert API_TOKEN_LIFETIME == 30 * 24 * 3600


def test_an_applicants_token_works_for_thirty_days(api, ani, _suite_clock):
    key = obtain(api, ani)
    _suite_clock.shift(dt.timedelta(days=30) - dt.timedelta(minutes=1))
    assert status_with(api, key) == 200

    _suite_clock.shift(dt.timedelta(minutes=2))
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    refused = api.get("/api/v1/applications/")

    assert refused.status_code in (401, 403)  # 403: session auth comes first
    assert "expired" in refused.json()["detail"]
    assert not Token.objects.filter(key=key).exists()


def test_a_staff_token_works_for_a_working_day(api, citra, _suite_clock):
    key = obtain(api, citra)
    _suite_clock.shift(dt.timedelta(hours=8) - dt.timedelta(minutes=1))
    assert status_with(api, key) == 200

    _suite_clock.shift(dt.timedelta(minutes=2))
    assert status_with(api, key) in (401, 403)


def test_the_endpoint_says_when_the_token_expires(api, ani):
    response = api.post(TOKEN_URL, {"email": ani.email, "password": PASSWORD}, format="json")

    token = Token.objects.get(user=ani)
    expires = dt.datetime.fromisoformat(response.json()["expires"])
    assert expires == token.created + dt.timedelta(days=30)


def test_the_same_live_token_is_returned_and_a_new_one_after_expiry(api, ani, _suite_clock):
    first = obtain(api, ani)
    assert obtain(api, ani) == first

    _suite_clock.shift(dt.timedelta(days=31))
    second = obtain(api, ani)

    assert second != first
    assert status_with(api, second) == 200


def test_a_changed_password_revokes_every_token(api, ani):
    key = obtain(api, ani)

    ani.set_password(NEW_PASSWORD)
    ani.save()

    assert status_with(api, key) in (401, 403)
    assert not Token.objects.filter(user=ani).exists()


def test_the_password_change_page_revokes_the_tokens(api, client, ani):
    key = obtain(api, ani)
    client.force_login(ani)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert status_with(api, key) in (401, 403)


def test_a_password_reset_revokes_the_tokens(api, client, ani):
    key = obtain(api, ani)
    uid = urlsafe_base64_encode(force_bytes(ani.pk))
    token = default_token_generator.make_token(ani)
    # Django moves the reset token into the session and redirects to a "set-password" URL.
    landing = client.get(reverse("password_reset_confirm", args=[uid, token]))
    response = client.post(
        landing.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert status_with(api, key) in (401, 403)
    assert obtain(api, ani, NEW_PASSWORD) != key


def test_saving_other_fields_keeps_the_tokens(api, ani):
    key = obtain(api, ani)

    ani.phone = "081299990000"
    ani.save()

    assert status_with(api, key) == 200


def test_a_hash_upgrade_at_sign_in_keeps_the_tokens(api, client, ani, settings):
    key = obtain(api, ani)
    # The stored MD5 hash is upgraded to the first hasher when the password is checked.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    assert client.login(username=ani.email, password=PASSWORD)

    ani.refresh_from_db()
    assert ani.password.startswith("pbkdf2_sha256$")
    assert status_with(api, key) == 200
