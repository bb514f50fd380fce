"""Fixtures of the SOP editor tests: a service with a published SOP and a draft of version 2,
in English so that messages can be asserted."""

import pytest
from django.utils import translation

from tests.factories import ServiceFactory, build_sop_version


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def service(dishub, dpmptsp):
    service = ServiceFactory(code="DISHUB-AKDP", name="Izin Angkutan AKDP")
    service.technical_agencies.add(dishub)
    return service


@pytest.fixture
def published(service):
    return build_sop_version(service)


@pytest.fixture
def draft(published, service):
    """Version 2, a draft: 1 submit (terminator) -> 2 check (decision: yes 3, no 1) -> 3
    recommend (process) -> 4 sign (final terminator)."""
    return build_sop_version(service, publish=False)


def exits(version) -> list[tuple]:
    """(no, activity, next, on_yes, on_no) of every step, in order."""
    return list(
        version.steps.order_by("no").values_list("no", "activity", "next_no", "yes_no", "no_no")
    )
