"""Handing work to the Celery worker without letting the broker break a committed request.

A task is enqueued once its transaction has committed (``transaction.on_commit``): by then the
user's change is in the database, so a broker that is down or unreachable must not turn the
answer into a 500 (the change would stand while the user is told it failed, and a retry would
say "already done"). The error is logged and swallowed; whatever the task was for is found
again by a periodic sweep reading the database (the outbox sweep, ``sop_portal.outbox``)."""

import logging
from collections.abc import Iterable
from typing import Any

from celery import Task
from django.db import transaction

from .celery import app

log = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send ``task(*args, **kwargs)`` to the broker; True when it was queued, False (logged)
    when the broker refused or could not be reached."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        # Deliberately broad: kombu raises OperationalError for a refused connection, but a
        # timeout, DNS failure or a half-open socket surface as other types depending on the
        # transport. None of them may reach the request, which has committed already.
        log.exception("Could not queue %s; the periodic sweep will catch up.", task.name)
        return False
    return True


def enqueue_many(task: Task, calls: Iterable[tuple]) -> int:
    """Queue ``task(*args)`` for each ``args`` of ``calls``, stopping at the first broker
    error (the next would fail the same way, each after its retries). Returns how many were
    queued."""
    queued = 0
    for args in calls:
        if not enqueue(task, *args):
            break
        queued += 1
    return queued


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """:func:`enqueue` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


def broker_reachable(timeout: float = 2.0) -> bool:
    """Whether the broker accepts a connection now (``/health/``)."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
            # The Redis transport connects lazily: a channel makes it talk to the server.
            connection.default_channel  # noqa: B018
    except Exception:
        return False
    return True
