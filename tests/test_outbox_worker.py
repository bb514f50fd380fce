"""The outbox under faults, with a real broker and a real worker: a private Redis server this
test starts and kills (never the suite's), a Celery worker process, and a mail sink of files
(``tests.mail_sink``). Afterwards every notice is mailed once, none twice."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from kombu import pools as kombu_pools

from accounts.models import User
from permits import lifecycle, notifications
from permits.models import Notification
from sop_portal import tasking
from sop_portal.celery import app as celery_app
from tests.permits.lifecycle.kit import cast, pdf, two_opd  # noqa: F401
from workflows import actions

from . import mail_sink, travelling
from .test_celery_worker import database_url

TIMEOUT = 90  # seconds for a worker to start and do its part on a busy machine

# redis-server: installed by bin/test (bin/_common.sh check_redis_server).
pytestmark = pytest.mark.worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own on a free port, started and killed at will."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


def _reset_broker_connections() -> None:
    # Celery keeps a connection pool and a producer pool per app: drop them, so the next
    # enqueue connects afresh to the configured URL (a restarted server, a new URL).
    kombu_pools.reset()  # kombu's registry of pools per connection (one per URL)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path, monkeypatch):
    server = PrivateRedis(tmp_path)
    server.start()
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_transport_options)
    conf.broker_url = server.url
    conf.broker_transport_options = {"socket_connect_timeout": 3}
    conf.task_always_eager = False
    _reset_broker_connections()
    yield server
    server.kill()
    conf.broker_url, conf.broker_transport_options = saved
    _reset_broker_connections()


def start_worker(server: PrivateRedis, sink: Path, log: Path, **mail_env: str):
    env = travelling.child_env() | {
        "DATABASE_URL": database_url(transaction.get_connection().settings_dict),
        "DJANGO_SETTINGS_MODULE": "sop_portal.settings",
        "CELERY_BROKER_URL": server.url,
        "EMAIL_BACKEND": "tests.mail_sink.FileSinkBackend",
        "SOP_TEST_MAIL_SINK": str(sink),
        # The drill's rows are seconds old: the sweep takes them at once.
        "OUTBOX_RETRY_AFTER": "0",
    }
    env.pop("SOP_TEST_MAIL_HANG_AT", None)
    env |= {f"SOP_TEST_MAIL_{key.upper()}": value for key, value in mail_env.items()}
    command = travelling.command(
        "celery", "-A", "sop_portal", "worker", "--pool=solo", "-Q", "celery",
        "-n", f"outbox-{server.port}-{time.monotonic_ns()}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
    )  # fmt: skip
    with log.open("ab") as output:
        return subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def wait_for(condition, worker: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"The worker exited with {worker.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"No {what} after {TIMEOUT} s. Worker:\n{log.read_text()}")
        time.sleep(0.2)


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def expected_counts(notices) -> dict[str, int]:
    counts: dict[str, int] = {}
    for email in notices.values_list("recipient__email", flat=True):
        counts[email] = counts.get(email, 0) + 1
    return counts


def test_a_broker_killed_mid_request_loses_no_mail(
    transactional_db,
    broker,
    two_opd,  # noqa: F811
    cast,  # noqa: F811
    client,
    tmp_path,
):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(draft, cast.ani, code, pdf())
    client.force_login(cast.ani)

    def kill_the_broker(**kwargs) -> None:
        broker.kill()  # inside the request's transaction: its commit then meets no broker

    actions.connect("application_submitted", kill_the_broker)
    try:
        response = client.post(
            reverse("permits:application_form", args=[draft.pk]), {"submit": "1"}
        )
    finally:
        actions._listeners["application_submitted"].remove(kill_the_broker)

    assert broker.process.poll() is not None  # it was killed during the request
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    draft.refresh_from_db()
    assert draft.tracking_number and draft.tracking_number in page.content.decode()
    notices = Notification.objects.filter(application=draft)
    assert notices.count() >= 2  # the applicant's receipt and the front office's new task
    assert not notices.filter(emailed_at__isnull=False).exists()
    health = client.get(reverse("health"))
    assert health.status_code == 503 and health.json()["broker"] == "down"

    broker.start()
    _reset_broker_connections()
    assert client.get(reverse("health")).json()["broker"] == "ok"
    sink, log = tmp_path / "sink", tmp_path / "worker.log"
    worker = start_worker(broker, sink, log)
    try:
        assert tasking.enqueue(celery_app.tasks["sop_portal.tasks.sweep_outbox"])
        wait_for(lambda: not notices.filter(emailed_at__isnull=True).exists(), worker, log, "mail")
        # A second sweep (and beat would run many) sends nothing more.
        tasking.enqueue(celery_app.tasks["sop_portal.tasks.sweep_outbox"])
        wait_for(lambda: log.read_text().count("succeeded") >= 2, worker, log, "second sweep")
    finally:
        stop(worker)

    assert mail_sink.count_by_recipient(sink) == expected_counts(notices)


def test_a_worker_killed_mid_mailing_loses_none_and_sends_none_twice(
    transactional_db, broker, tmp_path
):
    users = User.objects.bulk_create(
        [User(email=f"warga{n:03}@contoh.id", full_name=f"Warga {n}") for n in range(200)]
    )
    sink, log = tmp_path / "sink", tmp_path / "worker.log"
    worker = start_worker(broker, sink, log, delay="0.01", hang_at="80")
    try:
        with transaction.atomic():
            notices = notifications.notify(users, None, "Pengumuman layanan")
        wait_for((sink / mail_sink.HANGING).exists, worker, log, "hang")
        os.kill(worker.pid, signal.SIGKILL)  # in the middle of sending the 81st
        worker.wait()
    finally:
        if worker.poll() is None:
            stop(worker)

    ids = [n.pk for n in notices]
    rows = Notification.objects.filter(pk__in=ids)
    assert len(mail_sink.messages(sink)) == 80
    assert rows.filter(emailed_at__isnull=False).count() == 80  # each marked as it was sent
    # acks_late: the killed task's message was not acknowledged before it ran.
    assert broker.client().hlen("unacked") == 1

    (sink / mail_sink.HANGING).unlink()
    worker = start_worker(broker, sink, log, delay="0.01")
    try:
        tasking.enqueue(celery_app.tasks["sop_portal.tasks.sweep_outbox"])
        wait_for(lambda: not rows.filter(emailed_at__isnull=True).exists(), worker, log, "mail")
    finally:
        stop(worker)

    counts = mail_sink.count_by_recipient(sink)
    assert len(counts) == 200 and set(counts.values()) == {1}
    assert set(counts) == {u.email for u in users}
