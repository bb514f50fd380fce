"""/health/: the database answers, and whether a Celery worker has been seen lately."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sop_portal.models import WorkerHeartbeat
from sop_portal.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def health(client) -> dict:
    response = client.get(reverse("health"))
    assert response.status_code == 200
    return response.json()


def test_it_reports_the_database_ok_and_the_worker_unknown_without_a_heartbeat(client):
    assert health(client) == {"database": "ok", "worker": "unknown", "worker_seen_at": None}


def test_it_reports_the_worker_ok_after_a_heartbeat(client):
    record_heartbeat.delay()

    body = health(client)

    assert body["worker"] == "ok"
    assert body["worker_seen_at"] is not None


def test_it_reports_the_worker_unknown_when_the_last_heartbeat_is_old(client):
    WorkerHeartbeat.objects.create(
        hostname="worker-1", seen_at=timezone.now() - timedelta(minutes=10)
    )

    body = health(client)

    assert body["worker"] == "unknown"
    assert body["worker_seen_at"] is not None
