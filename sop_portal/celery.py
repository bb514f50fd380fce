"""The Celery application; tasks are thin callers of domain functions and take ids."""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")

app = Celery("sop_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def ensure_broker_folders(transport_options: Mapping[str, object]) -> None:
    """Create the folders of kombu's ``filesystem://`` broker, which fails on a missing one.

    Empty options (the Redis broker) create nothing."""
    for option in BROKER_FOLDER_OPTIONS:
        folder = transport_options.get(option)
        if folder:
            Path(str(folder)).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _create_broker_folders(sender: Celery, **kwargs) -> None:
    # Runs once per process when the configuration is first read, in the web process that
    # sends tasks as well as in the worker and beat, so a fresh checkout needs no set-up.
    if sender.conf.broker_url.startswith("filesystem://"):
        ensure_broker_folders(sender.conf.broker_transport_options or {})


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_unsafe_configuration(**kwargs) -> None:
    # The worker and beat refuse an unsafe production configuration as the web server does
    # (sop_portal.wsgi). Celery runs Django's checks at start-up but only logs their result, and
    # it logs and ignores exceptions raised here, so stop with SystemExit.
    import django
    from django.apps import apps
    from django.core.checks import run_checks

    if not apps.ready:  # a second setup would reconfigure logging under Celery's feet
        django.setup()
    errors = [message for message in run_checks() if message.is_serious()]
    if errors:
        # Written here: the celery command does not print the message of a SystemExit.
        print("System check identified errors, refusing to start:", file=sys.stderr)
        for error in errors:
            print(f"  {error}", file=sys.stderr)
        raise SystemExit(1)
