"""The applications behind a dashboard figure (``/pantau/permohonan/``) are files: an OPD's
head sees only those that reached their agency, the office's head, the complaints unit and
administrators every submitted one; each row links to a task the viewer may open. The figures
themselves stay aggregates for everyone who may monitor."""

import re

import pytest
from django.urls import reverse

from agencies.models import Role
from tests.factories import AgencyFactory, MembershipFactory
from workflows.models import Task

pytestmark = pytest.mark.django_db

QUERY = "from=2026-09-01&to=2026-10-31&figure=received"
RECEIVED = {"PANTAU-A1", "PANTAU-A2", "PANTAU-A3", "PANTAU-A4"}
AT_DISHUB = {"PANTAU-A1", "PANTAU-A2", "PANTAU-A3"}


def _listed(client, user) -> tuple[set[str], list[int]]:
    client.force_login(user)
    response = client.get(f"{reverse('monitoring:applications')}?{QUERY}")
    assert response.status_code == 200
    html = response.content.decode()
    numbers = set(re.findall(r"PANTAU-A\d", html))
    tasks = [int(pk) for pk in re.findall(r"/tugas/(\d+)/", html)]
    return numbers, tasks


def _head_of(agency):
    return MembershipFactory(agency=agency, role=Role.HEAD).user


def test_an_opd_head_sees_only_their_agencys_files(client, world):
    numbers, tasks = _listed(client, _head_of(world.dishub))
    assert numbers == AT_DISHUB
    # Each link opens a task of their own agency, never the office's.
    assert tasks and set(Task.objects.filter(pk__in=tasks).values_list("agency", flat=True)) == {
        world.dishub.pk
    }


def test_the_head_of_an_agency_the_files_never_reached_sees_none(client, world):
    numbers, tasks = _listed(client, _head_of(AgencyFactory(code="DLH", name="Dinas LH")))
    assert numbers == set() and tasks == []


def test_office_heads_the_complaints_unit_and_administrators_see_every_file(client, world):
    unit = MembershipFactory(agency=world.office, role=Role.COMPLAINTS_OFFICER).user
    admin = MembershipFactory(agency=world.office, role=Role.ADMINISTRATOR).user
    for user in (_head_of(world.office), unit, admin):
        numbers, _tasks = _listed(client, user)
        assert numbers == RECEIVED, user


def test_every_link_of_the_list_opens_for_its_viewer(client, world):
    head = _head_of(world.dishub)
    _numbers, tasks = _listed(client, head)
    for pk in tasks:
        assert client.get(reverse("permits:task_detail", args=[pk])).status_code == 200


def test_an_opd_heads_export_and_api_figures_remain_aggregates(client, world):
    client.force_login(_head_of(world.dishub))
    csv = client.get(reverse("monitoring:export"), {"tabel": "services", "format": "csv"})
    assert csv.status_code == 200
    assert "PANTAU-A" not in csv.content.decode()
