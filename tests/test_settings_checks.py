"""The system checks refuse an unsafe production configuration, in ``manage.py`` and at WSGI
start-up, and let a good one (and the development defaults) through."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from sop_portal import embedded_db

GOOD_PRODUCTION = {
    "SOP_PORTAL_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://portal:secret@db.invalid:5432/portal",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "ALLOWED_HOSTS": "portal.example.go.id",
    "PORTAL_BASE_URL": "https://portal.example.go.id",
}


def run_python(args: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """Run Python in the project with only ``env`` set, so the caller's environment (CI sets
    DATABASE_URL and REDIS_URL) does not leak into the configuration under test."""
    base = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "SOP_PORTAL_VAR_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, *args],
        env=base | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_with(**changes: str | None) -> dict[str, str]:
    env = GOOD_PRODUCTION | changes
    return {key: value for key, value in env.items() if value is not None}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"SECRET_KEY": None}, "sop_portal.E001"),
        ({"SECRET_KEY": settings.DEV_SECRET_KEY}, "sop_portal.E001"),
        ({"SECRET_KEY": "short"}, "sop_portal.E001"),
        ({"DEBUG": "true"}, "sop_portal.E002"),
        ({"DATABASE_URL": None}, "sop_portal.E003"),
        ({"REDIS_URL": None}, "sop_portal.E004"),
        ({"ALLOWED_HOSTS": None}, "sop_portal.E005"),
        ({"PORTAL_BASE_URL": None}, "sop_portal.E006"),
    ],
)
def test_it_refuses_an_unsafe_production_configuration(changes, code, tmp_path):
    result = run_python(["manage.py", "check", "--deploy"], production_with(**changes), tmp_path)

    assert result.returncode != 0
    assert code in result.stderr
    assert result.stderr.count("sop_portal.E0") == 1, result.stderr


def test_it_accepts_a_good_production_configuration_without_warnings(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], GOOD_PRODUCTION, tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_runs_with_the_development_defaults_on_the_embedded_postgresql(tmp_path):
    try:
        result = run_python(["manage.py", "check", "--database", "default"], {}, tmp_path)
        again = run_python(
            ["-c", "from django.conf import settings; print(settings.DATABASES['default'])"],
            {"DJANGO_SETTINGS_MODULE": "sop_portal.settings"},
            tmp_path,
        )
    finally:
        stopped = embedded_db.stop(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert stopped, "the embedded PostgreSQL was not running in the var directory"
    assert "django.db.backends.postgresql" in again.stdout
    assert str(tmp_path / "pgdata") in again.stdout


@pytest.mark.parametrize(
    "url", ["sqlite:///var/portal.sqlite3", "mysql://portal:secret@db.invalid/portal"]
)
def test_it_refuses_a_database_other_than_postgresql(url, tmp_path):
    result = run_python(["manage.py", "check"], {"DATABASE_URL": url}, tmp_path)

    assert result.returncode != 0
    assert "SOP Portal runs on PostgreSQL only" in result.stderr


def test_it_refuses_to_start_the_web_server_in_production_with_the_development_secret(tmp_path):
    result = run_python(
        ["-c", "import sop_portal.wsgi"], production_with(SECRET_KEY=None), tmp_path
    )

    assert result.returncode != 0
    assert "sop_portal.E001" in result.stderr


def test_it_starts_the_web_server_with_a_good_production_configuration(tmp_path):
    result = run_python(
        ["-c", "import sop_portal.wsgi; print(sop_portal.wsgi.application)"],
        GOOD_PRODUCTION,
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert "WSGIHandler" in result.stdout


@pytest.mark.parametrize("program", ["worker", "beat"])
def test_it_refuses_to_start_celery_in_production_with_the_development_secret(program, tmp_path):
    result = run_python(
        ["-m", "celery", "-A", "sop_portal", program], production_with(SECRET_KEY=None), tmp_path
    )

    assert result.returncode != 0
    assert "sop_portal.E001" in result.stderr + result.stdout
