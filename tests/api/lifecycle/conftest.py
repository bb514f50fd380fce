"""Fixtures of the lifecycle API tests: the engine tests' cast and services, and API clients
signed in as one of them."""

import pytest
from rest_framework.test import APIClient

from tests.permits.lifecycle.kit import akdp, cast, two_opd  # noqa: F401


@pytest.fixture
def as_user():
    """``as_user(user)``: an API client signed in as ``user`` (anonymous with None)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
