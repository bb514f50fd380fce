"""Fixtures of the applicant page tests: the lifecycle cast and services, pages in English."""

import pytest
from django.conf import settings

from tests.permits.lifecycle.kit import akdp, cast, two_opd  # noqa: F401


@pytest.fixture(autouse=True)
def _english(client):
    """The pages are asserted on their English msgids, whatever the translations say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
