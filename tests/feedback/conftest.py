import pytest

from agencies.models import Agency, Role
from tests.factories import MembershipFactory
from tests.permits.lifecycle.kit import akdp, cast, two_opd  # noqa: F401


@pytest.fixture
def rina(cast):  # noqa: F811
    """Rina, of the complaints, policy and reporting unit at DPMPTSP."""
    return MembershipFactory(
        user__email="rina@dpmptsp.go.id",
        user__full_name="Rina Pengaduan",
        agency=Agency.objects.get(code="DPMPTSP"),
        role=Role.COMPLAINTS_OFFICER,
    ).user
