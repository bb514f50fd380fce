"""Trigram indexes for the staff search, where the PostgreSQL server has ``pg_trgm``.

``pg_trgm`` ships with PostgreSQL's contrib packages (production, CI, docker-compose), but not
with the ``pgserver`` wheel that runs the embedded development database. The search's queries
are the same either way (``icontains`` is ``UPPER(column) LIKE``); only their speed differs. So a
migration creates the extension and the index when the server offers the extension, and leaves
the index out otherwise, instead of failing a newcomer's first ``./bin/start``. The indexes are
therefore not in the models' ``Meta.indexes`` (Django's state would claim an index the
embedded database does not have); ``tests/permits/search/test_trigram_indexes.py`` checks that
the server's planner uses them where they exist.
"""

from __future__ import annotations

from django.db import migrations


def has_trigram(connection) -> bool:
    """Whether this PostgreSQL server can provide ``pg_trgm``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def trigram_index(name: str, table: str, expression: str) -> migrations.RunPython:
    """A migration operation: ``CREATE INDEX name ON table USING gin (expression
    gin_trgm_ops)`` when the server has ``pg_trgm`` (created first), nothing otherwise. The
    expression must be the one Django's lookup writes (``upper((column)::text)``)."""

    def forward(apps, schema_editor) -> None:
        if not has_trigram(schema_editor.connection):
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f"USING gin ({expression} gin_trgm_ops)"
        )

    def backward(apps, schema_editor) -> None:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forward, backward, elidable=False)
