"""Two people completing the same task at the same moment: exactly one succeeds. Runs on
PostgreSQL with two real transactions (skipped on SQLite, which has no row locks; CI runs
PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from permits import numbering
from tests.permits.lifecycle.kit import submitted, the_task
from workflows import engine
from workflows.models import Task

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks (CI runs it)"
    ),
]


def _race(*callables):
    """Run the callables in threads with their own connections, released together."""
    barrier = threading.Barrier(len(callables))
    results: list[object] = [None] * len(callables)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(callables)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_it_lets_exactly_one_of_two_simultaneous_completions_win(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    colleague = cast.budi.__class__.objects.get(pk=cast.budi.pk)

    results = _race(
        lambda: engine.complete(Task.objects.get(pk=task.pk), cast.budi, outcome="yes"),
        lambda: engine.complete(Task.objects.get(pk=task.pk), colleague, outcome="yes"),
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], engine.TaskAlreadyDone)
    assert "already completed" in str(errors[0])
    assert Task.objects.filter(application=application, step__no=3).count() == 1


def test_it_joins_two_agencies_finishing_at_the_same_moment_once(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    dishub, dlh = the_task(application, 3, "DISHUB"), the_task(application, 3, "DLH")

    results = _race(
        lambda: engine.complete(dishub, cast.citra, data={"verdict": "recommend"}),
        lambda: engine.complete(dlh, cast.gita, data={"verdict": "recommend"}),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Task.objects.filter(application=application, step__no=4).count() == 1


def test_it_never_draws_the_same_number_twice(db):
    results = _race(*[lambda: numbering.draw("permit")[0] for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 4
