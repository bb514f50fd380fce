import pytest

from tests.permits.lifecycle.kit import akdp, cast, two_opd  # noqa: F401
from workflows import calendar


@pytest.fixture(autouse=True)
def fresh_calendar():
    """A test's rolled-back calendar rows must not linger in the process's cached calendar."""
    calendar.invalidate()
    yield
    calendar.invalidate()
