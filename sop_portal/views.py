"""Infrastructure views."""

from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from .models import WorkerHeartbeat


def health(request) -> JsonResponse:
    """Liveness for load balancers and operators: the database answers, and when a Celery
    worker last ran its heartbeat (beat sends one every minute)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    worker_ok = last is not None and timezone.now() - last < timedelta(minutes=5)
    return JsonResponse(
        {
            "database": "ok",
            "worker": "ok" if worker_ok else "unknown",
            "worker_seen_at": last.isoformat() if last else None,
        }
    )
