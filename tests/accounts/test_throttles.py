"""DRF throttles with real rates on the shared cache (anonymous, signed-in, the token
endpoint), changeable without a restart; HTTP Basic auth off; registration, reset and
verification mails limited per account and per address."""

import base64

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import registration
from sop_portal.outbox_models import OutgoingMail
from sop_portal.settings import REST_FRAMEWORK as DEFAULTS
from tests.factories import PASSWORD

from .conftest import TOKEN_URL

pytestmark = pytest.mark.django_db


def rates(settings, **changes):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**DEFAULTS["DEFAULT_THROTTLE_RATES"], **changes},
    }


def test_the_api_has_real_rates_by_default():
    assert DEFAULTS["DEFAULT_THROTTLE_RATES"] == {
        "anon": "120/minute",
        "user": "600/minute",
        "token": "10/minute",
    }
    assert "sop_portal.throttles.UserThrottle" in DEFAULTS["DEFAULT_THROTTLE_CLASSES"]


def test_anonymous_callers_are_throttled_per_address(api, settings):
    rates(settings, anon="3/minute")

    answers = [api.get("/api/v1/services/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert api.get("/api/v1/services/", REMOTE_ADDR="10.5.5.5").status_code == 200


def test_signed_in_callers_are_throttled_too(api, ani, settings):
    rates(settings, user="2/minute")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=ani).key}")

    answers = [api.get("/api/v1/applications/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_the_count_lives_in_the_shared_cache(api, settings):
    rates(settings, anon="1/minute")
    api.get("/api/v1/services/")

    assert cache.get("throttle_anon_127.0.0.1") is not None


def test_a_lifted_rate_lets_everything_through(api, settings):
    rates(settings, anon=None, user=None)

    assert {api.get("/api/v1/services/").status_code for _ in range(5)} == {200}


def test_the_token_endpoint_has_its_own_rate_per_address(api, ani, settings):
    rates(settings, token="3/minute")
    body = {"email": ani.email, "password": PASSWORD}

    answers = [api.post(TOKEN_URL, body, format="json").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    other = api.post(TOKEN_URL, body, format="json", REMOTE_ADDR="10.6.6.6")
    assert other.status_code == 200


def test_http_basic_auth_is_refused(api, ani):
    credentials = base64.b64encode(f"{ani.email}:{PASSWORD}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")

    response = api.get("/api/v1/applications/")

    assert response.status_code in (401, 403)


def register(client, n: int, address="203.0.113.9"):
    return client.post(
        reverse("permits:register"),
        {
            "full_name": f"Pemohon {n}",
            "email": f"pemohon{n}@contoh.id",
            "phone": "081234567890",
            "nik": f"74710{n:011d}",
            "password1": "Kendari-Sultra-2026",
            "password2": "Kendari-Sultra-2026",
            "consent": "on",
        },
        REMOTE_ADDR=address,
    )


def test_registration_is_limited_per_address(client, settings):
    settings.REGISTRATION_MAX_PER_HOUR = 2
    answers = []
    for n in range(1, 4):
        answers.append(register(client, n).status_code)
        client.logout()

    assert answers == [302, 302, 429]
    assert get_user_model().objects.filter(email__startswith="pemohon").count() == 2
    refused = register(client, 3)
    assert "Too many requests from here" in refused.content.decode()
    assert register(client, 3, address="10.7.7.7").status_code == 302


def reset(client, email, address="203.0.113.9"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_reset_mails_are_limited_per_account(client, ani, settings):
    settings.ACCOUNT_MAIL_MAX_PER_HOUR = 2

    answers = [reset(client, ani.email, f"10.8.8.{n}").status_code for n in range(3)]

    assert answers == [302, 302, 429]
    queued = OutgoingMail.objects.filter(kind="password_reset", to=ani.email)
    assert queued.count() == 2 and "/reset/" in queued.first().body
    assert "Too many requests from here" in reset(client, ani.email).content.decode()


def test_reset_mails_are_limited_per_address(client, ani, settings):
    settings.ACCOUNT_MAIL_MAX_PER_HOUR_PER_ADDRESS = 3
    for n in range(3):
        assert reset(client, f"orang{n}@contoh.id").status_code == 302

    assert reset(client, ani.email).status_code == 429
    assert not OutgoingMail.objects.filter(kind="password_reset").exists()
    assert reset(client, ani.email, address="10.9.9.1").status_code == 302


def test_an_unknown_address_counts_like_a_known_one(client, ani, settings):
    # The refusal must not tell who has an account: both are counted and refused alike.
    settings.ACCOUNT_MAIL_MAX_PER_HOUR = 1
    for email in (ani.email, "tidak-ada@contoh.id"):
        assert reset(client, email, "10.1.0.1").status_code == 302
        assert reset(client, email, "10.1.0.2").status_code == 429


def test_verification_mails_are_limited_per_account_and_address(client, settings, monkeypatch):
    settings.ACCOUNT_MAIL_MAX_PER_HOUR = 2
    settings.ACCOUNT_MAIL_MAX_PER_HOUR_PER_ADDRESS = 3
    sent = []
    monkeypatch.setattr(registration, "send_verification", lambda user, request: sent.append(user))
    from tests.factories import UserFactory

    UserFactory(email="baru@contoh.id", email_verified=False)
    url = reverse("permits:verify_resend")

    def resend(email, address):
        return client.post(url, {"email": email}, REMOTE_ADDR=address).status_code

    assert [resend("baru@contoh.id", f"10.2.0.{n}") for n in range(3)] == [302, 302, 429]
    assert len(sent) == 2
    assert [resend(f"lain{n}@contoh.id", "10.3.0.1") for n in range(4)] == [302] * 3 + [429]
