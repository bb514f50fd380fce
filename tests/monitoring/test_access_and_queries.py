"""Who sees the monitoring pages (heads, the complaints and reporting unit, administrators;
a 404 for applicants and OPD officers) and their constant query counts as data grows."""

from datetime import timedelta

import pytest

from agencies.models import Role
from permits.models import Application
from tests.factories import MembershipFactory, ServiceFactory, UserFactory, build_sop_version
from workflows.models import Task

from .world import at

pytestmark = pytest.mark.django_db

QUERY = "from=2026-09-01&to=2026-10-31"
PAGES = [
    "/pantau/",
    f"/pantau/permohonan/?{QUERY}&figure=received",
    f"/pantau/ekspor/?{QUERY}&tabel=steps&format=csv",
    "/pantau/tabel-7/",
    "/api/v1/monitoring/summary/",
    "/api/v1/monitoring/steps/",
]


@pytest.mark.parametrize("url", PAGES)
def test_applicants_and_opd_officers_get_a_404(client, world, ani, citra, url):
    for user in (ani, citra):
        client.force_login(user)
        assert client.get(url).status_code == 404, (user, url)


@pytest.mark.parametrize("url", PAGES[:4])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_complaints_officer_head_and_administrator_see_the_dashboard(
    client, world, dewi, eko, dpmptsp
):
    officer = MembershipFactory(agency=dpmptsp, role=Role.COMPLAINTS_OFFICER).user
    for user in (dewi, eko, officer):
        client.force_login(user)
        assert client.get("/pantau/").status_code == 200


def _more_data(world, n: int) -> None:
    """``n`` more finished applications in the period, half of them under a second service."""
    other = ServiceFactory(code="UJI-PANTAU-2", name="Izin Uji Pantau Dua")
    other.technical_agencies.add(world.dishub)
    other_version = build_sop_version(other)
    for i in range(n):
        version = world.service.sop.published_version if i % 2 else other_version
        app = Application.objects.create(
            tracking_number=f"PANTAU-X{i}",
            service=version.sop.service,
            sop_version=version,
            applicant=UserFactory(),
            status=Application.Status.COMPLETED,
            submitted_at=at(9, 2 + i % 20),
            completed_at=at(10, 1 + i % 20),
        )
        for step in version.steps.select_related("performer"):
            opened = at(9, 2 + i % 20, 9)
            Task.objects.create(
                application=app,
                step=step,
                agency=world.dishub if step.performer.for_technical else step.performer.agency,
                role=step.performer.role,
                status=Task.Status.DONE,
                opened_at=opened,
                completed_at=opened + timedelta(hours=i % 5),
                due_at=opened + timedelta(hours=2),
                office_time=timedelta(hours=i % 5),
                paused_time=timedelta(0),
            )


@pytest.mark.parametrize(
    "url",
    [
        f"/pantau/?{QUERY}",
        f"/pantau/permohonan/?{QUERY}&figure=completed",
        f"/pantau/ekspor/?{QUERY}&tabel=steps&format=xlsx",
        f"/api/v1/monitoring/steps/?{QUERY}",
        f"/api/v1/monitoring/trend/?{QUERY}",
    ],
)
def test_pages_answer_in_constant_queries(client, world, dewi, url, django_assert_max_num_queries):
    client.force_login(dewi)
    client.get(url)  # warm the calendar and the session
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    _more_data(world, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
