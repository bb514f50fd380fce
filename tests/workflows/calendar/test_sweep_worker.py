"""The beat sweep in a real Celery worker process (Redis when REDIS_URL is set): the warnings
that fell due go out exactly once, however often the sweep runs."""

import time
import uuid

import pytest
from django.utils import timezone

from permits.models import Notification
from sop_portal.celery import app as celery_app
from tests.permits.lifecycle.kit import submitted, the_task
from tests.test_celery_worker import WORKER_TIMEOUT, start_worker, stop
from workflows.models import ClockWarning
from workflows.tasks import sweep_clocks


@pytest.mark.worker
def test_it_sends_the_warnings_once_from_a_real_worker(transactional_db, akdp, cast, tmp_path):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    ClockWarning.objects.filter(task=task).exclude(kind="overdue").update(
        at=timezone.now() - timezone.timedelta(minutes=1)
    )
    # The worker is another process, writing in the portal's language: count the notices the
    # sweep adds, whatever their wording.
    before = list(Notification.objects.filter(recipient=cast.budi).values_list("id", flat=True))
    celery_app.conf.task_always_eager = False
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, log)
    try:
        for _ in range(3):
            sweep_clocks.apply_async(queue=queue)
        deadline = time.monotonic() + WORKER_TIMEOUT
        while ClockWarning.objects.filter(task=task, sent_at__isnull=True).count() != 1:
            if worker.poll() is not None:
                pytest.fail(f"The worker exited with {worker.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"No sweep after {WORKER_TIMEOUT} s. Worker:\n{log.read_text()}")
            time.sleep(0.25)
        sweep_clocks.apply_async(queue=queue)
        time.sleep(2)  # a late duplicate would land by now
    finally:
        stop(worker)

    assert log.read_text().count("succeeded") >= 3
    warned = Notification.objects.filter(recipient=cast.budi).exclude(id__in=before)
    assert warned.count() == 1  # both marks fell due at once: one notice, the latest
    assert ClockWarning.objects.get(task=task, kind="overdue").sent_at is None
