"""Fixtures of the sign-in tests: an API client, the TOTP code of a device at the (frozen,
ticking) suite clock, and the second factor switched on."""

import pytest
from django_otp.oath import totp
from rest_framework.test import APIClient

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def otp_on(settings):
    settings.OTP_REQUIRED_FOR_STAFF = True


@pytest.fixture
def traveller(_suite_clock):
    """The suite's clock (time-machine), to move on: TOTP steps, throttles, cool-offs."""
    return _suite_clock


def code_of(device) -> str:
    """What the authenticator app shows now for ``device`` (RFC 6238, django-otp's own)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
