"""Counting the portal's own queries. Without ``REDIS_URL`` (the embedded defaults of
``./bin/test``) the shared cache is a PostgreSQL table (``DatabaseCache``), so every throttle or
cached fragment would add queries that a Redis cache (CI, production) does not make; a query
count measures the portal's data access, so the cache table's statements are left out."""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection as default_connection
from django.test.utils import CaptureQueriesContext


def cache_tables() -> tuple[str, ...]:
    return tuple(
        f'"{cache["LOCATION"]}"'
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("DatabaseCache")
    )


class AppQueries(CaptureQueriesContext):
    """``CaptureQueriesContext`` without the database cache's own statements (and the
    savepoints its writes open, when nothing else ran inside them)."""

    @property
    def captured_queries(self):
        tables = cache_tables()
        queries = super().captured_queries
        if not tables:
            return queries
        cache = {i for i, q in enumerate(queries) if any(t in q["sql"] for t in tables)}
        dropped = set(cache)
        opened: dict[str, int] = {}
        for i, query in enumerate(queries):
            sql = query["sql"]
            if sql.startswith("SAVEPOINT "):
                opened[sql.split(" ", 1)[1]] = i
            elif sql.startswith(("RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")):
                start = opened.pop(sql.rsplit(" ", 1)[1], None)
                inside = set(range(start + 1, i)) if start is not None else set()
                if inside and inside <= cache:
                    dropped |= {start, i}
        return [q for i, q in enumerate(queries) if i not in dropped]


@contextmanager
def assert_queries(num: int, connection=None, info=None, *, exact: bool):
    """pytest-django's ``django_assert_(max_)num_queries`` counting :class:`AppQueries`."""
    context = AppQueries(connection or default_connection)
    with context:
        yield context
    performed = len(context)
    if performed != num if exact else performed > num:
        sqls = "\n\n".join(q["sql"] for q in context.captured_queries)
        limit = "" if exact else "or less "
        pytest.fail(
            f"Expected to perform {num} queries {limit}but {performed} were done"
            + (f"\n{info}" if info else "")
            + f"\n\nQueries:\n========\n\n{sqls}"
        )
