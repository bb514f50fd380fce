"""/health/: the database and the broker answer (503 when the broker does not), whether a
Celery worker has been seen lately, and how long the oldest unsent outbox mail has waited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from permits.models import Notification
from sop_portal import tasking
from sop_portal.models import OutgoingMail, WorkerHeartbeat
from sop_portal.tasks import record_heartbeat

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def health(client, status: int = 200) -> dict:
    response = client.get(reverse("health"))
    assert response.status_code == status
    return response.json()


@pytest.fixture
def broker_up(monkeypatch):
    # The suite's broker is whatever REDIS_URL says (or the filesystem one); the answer of the
    # view is what is tested here, the probe itself against a real Redis in test_outbox.py.
    monkeypatch.setattr(tasking, "broker_reachable", lambda timeout=2.0: True)


def test_it_reports_the_database_ok_and_the_worker_unknown_without_a_heartbeat(client, broker_up):
    assert health(client) == {
        "database": "ok",
        "broker": "ok",
        "worker": "unknown",
        "worker_seen_at": None,
        "outbox": "ok",
        "outbox_oldest_unsent_seconds": None,
    }


def test_it_reports_the_worker_ok_after_a_heartbeat(client, broker_up):
    record_heartbeat.delay()

    body = health(client)

    assert body["worker"] == "ok"
    assert body["worker_seen_at"] is not None


def test_it_reports_the_worker_unknown_when_the_last_heartbeat_is_old(client, broker_up):
    WorkerHeartbeat.objects.create(
        hostname="worker-1", seen_at=timezone.now() - timedelta(minutes=10)
    )

    body = health(client)

    assert body["worker"] == "unknown"
    assert body["worker_seen_at"] is not None


def test_it_answers_503_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(tasking, "broker_reachable", lambda timeout=2.0: False)

    body = health(client, 503)

    assert body["database"] == "ok" and body["broker"] == "down"


def test_it_reports_the_age_of_the_oldest_unsent_mail(client, broker_up):
    ani = UserFactory()
    Notification.objects.create(recipient=ani, text="sent", emailed_at=timezone.now())
    waiting = Notification.objects.create(recipient=ani, text="waiting")
    Notification.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    mail = OutgoingMail.objects.create(to="warga@contoh.id", subject="s", body="b")
    OutgoingMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - timedelta(minutes=12)
    )

    body = health(client)

    assert body["outbox"] == "late"
    assert 12 * 60 <= body["outbox_oldest_unsent_seconds"] < 13 * 60

    OutgoingMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now())
    body = health(client)
    assert body["outbox"] == "ok"
    assert 3 * 60 <= body["outbox_oldest_unsent_seconds"] < 4 * 60
