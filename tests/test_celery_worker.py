"""A real Celery worker process takes a task from the configured broker (Redis when REDIS_URL
is set, as in CI; else the embedded filesystem broker) and writes to the test database."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from sop_portal.celery import app as celery_app
from sop_portal.models import WorkerHeartbeat
from sop_portal.tasks import record_heartbeat

from . import travelling

WORKER_TIMEOUT = 60  # seconds for the worker to start, take the task and commit


def database_url(settings_dict: dict) -> str:
    """The URL of the database this process uses (the test database once pytest-django has
    created it), for a child process that reads ``DATABASE_URL``."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def start_worker(queue: str, log: Path) -> subprocess.Popen:
    # On the test's clock (tests.travelling): the worker sees the same "now" as the test.
    env = travelling.child_env() | {
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "sop_portal.settings",
    }
    command = travelling.command(
        "celery",
        "-A",
        "sop_portal",
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    )
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.mark.worker
def test_it_runs_a_task_in_a_real_worker(transactional_db, tmp_path):
    celery_app.conf.task_always_eager = False
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, log)
    try:
        record_heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + WORKER_TIMEOUT
        while not WorkerHeartbeat.objects.filter(hostname=socket.gethostname()).exists():
            if worker.poll() is not None:
                pytest.fail(f"The worker exited with {worker.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"No heartbeat after {WORKER_TIMEOUT} s. Worker:\n{log.read_text()}")
            time.sleep(0.25)
    finally:
        stop(worker)


def test_it_queues_a_task_on_the_embedded_broker_of_a_fresh_checkout(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL"}
    }
    env |= {
        # The database of this run, so no second embedded PostgreSQL starts in tmp_path.
        "DATABASE_URL": database_url(connection.settings_dict),
        "SOP_PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "sop_portal.settings",
    }
    send = (
        "import django; django.setup(); from sop_portal.tasks import record_heartbeat; "
        "record_heartbeat.apply_async(queue='fresh')"
    )

    result = subprocess.run(
        [sys.executable, "-c", send],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "var" / "celery-broker").glob("*.fresh.msg"))
