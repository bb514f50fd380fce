"""Infrastructure views."""

from datetime import timedelta

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone

from . import outbox, tasking
from .models import WorkerHeartbeat

#: An outbox row waiting longer than this is reported late (the sweep runs every minute).
OUTBOX_LATE = timedelta(minutes=10)


def health(request) -> JsonResponse:
    """Liveness for load balancers and operators: the database answers, the broker accepts a
    connection (503 when either does not: the portal would take changes it cannot hand to the
    worker), when a Celery worker last ran its heartbeat (beat sends one every minute), and how
    long the oldest unsent outbox mail has waited."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"database": "down"}, status=503)
    broker_ok = tasking.broker_reachable()
    now = timezone.now()
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    worker_ok = last is not None and now - last < timedelta(minutes=5)
    oldest = outbox.oldest_unsent()
    waited = max(now - oldest, timedelta(0)) if oldest else None
    return JsonResponse(
        {
            "database": "ok",
            "broker": "ok" if broker_ok else "down",
            "worker": "ok" if worker_ok else "unknown",
            "worker_seen_at": last.isoformat() if last else None,
            "outbox": "late" if waited and waited > OUTBOX_LATE else "ok",
            "outbox_oldest_unsent_seconds": round(waited.total_seconds()) if waited else None,
        },
        status=200 if broker_ok else 503,
    )
