"""Shared fixtures: a fixed cast of users per role (Ani the applicant, Budi at the front office,
Citra the OPD officer, Dewi the head, Eko the administrator) and Celery run eagerly, except in
the tests that start a real worker.

How time works in the suite
---------------------------
No test reads the clock on the wall. An autouse fixture (``_suite_clock``) travels with
time-machine to one fixed instant before every test, with ``tick=True``: time still moves
forward inside the test (deadlines of a few seconds, ordering by ``created_at``), but every
test starts at the same moment, whatever the hour the suite is run. The instant is, by
default, an ordinary working moment, Wednesday 2 December 2026 at 10:00 WITA (02:00 UTC); the
environment variable ``SOP_PORTAL_TEST_NOW`` (ISO 8601 *with* an offset) runs the whole suite
"at" another instant, e.g.::

    SOP_PORTAL_TEST_NOW=2026-12-02T05:45:00+08:00 ./bin/test   # early morning WITA
    SOP_PORTAL_TEST_NOW=2026-12-04T16:30:00+08:00 ./bin/test   # Friday, just before closing
    SOP_PORTAL_TEST_NOW=2026-12-31T23:30:00+08:00 ./bin/test   # New Year's Eve

What is moved: ``time.time``, ``datetime.now``, ``date.today``, ``timezone.now`` and
``localdate``, so also ``auto_now`` fields, sessions, signed links (``django.core.signing``),
throttles and the live server of the browser journeys (a thread of this process). The process's
time zone stays Django's (``TIME_ZONE``, Asia/Makassar): the travel uses a fixed offset, not a
zone, so time-machine leaves ``TZ`` alone. Monotonic clocks (timeouts) are not moved.

What cannot be moved, and how the suite deals with it:

- the real Celery worker (``worker`` tests) is another process: ``tests.travelling`` starts it
  travelled to the test's own instant (the same offset from the wall clock);
- Chromium keeps the wall clock: its cookies still live as long as they should, since Django
  sends ``Max-Age`` (relative, and it wins over the travelled ``Expires``), checked with the
  journeys run nine months back; the portal's pages run no clock-reading JavaScript;
- PostgreSQL's clock (``now()``, ``statement_timestamp()``): the domain reads it in one place,
  the sweep's notices (``permits/notifications.py``, ``CLOCK_NOTICES``); a test that compares
  such a value with Python's time is marked ``wall_clock`` (it runs on the real clock);
- file modification times (the code reads none).

A test that needs its own instant travels inside (``with time_machine.travel(...)``, nested
travel works and returns to the suite's instant) or takes the marker
``@pytest.mark.now("2026-12-04T16:30:00+08:00")``. ``tests/test_no_wall_clock.py`` keeps all of
this true.

Passwords are hashed with MD5 in tests (``pytest_configure``): the real hasher (PBKDF2) costs
about half a second per user and the suite makes thousands of them."""

import datetime as dt
import os
import uuid

import pytest
import time_machine
from django.utils import translation

from agencies.models import Role
from signing import demo as signing_demo
from sop_portal.celery import app as celery_app

from .factories import AgencyFactory, MembershipFactory, UserFactory, office

# An ordinary working moment: a Wednesday morning in Kendari, office open.
DEFAULT_NOW = "2026-12-02T10:00:00+08:00"
NOW_VARIABLE = "SOP_PORTAL_TEST_NOW"


def instant(value: str) -> dt.datetime:
    """An ISO 8601 instant with its offset (a naive one would depend on the machine's zone)."""
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise pytest.UsageError(f"{value!r}: give the instant with its offset, e.g. {DEFAULT_NOW}")
    # A fixed offset, never a ZoneInfo: time-machine would then change the process's TZ.
    return moment.astimezone(dt.timezone(moment.utcoffset()))


def suite_now() -> dt.datetime:
    """The instant every test starts at: ``SOP_PORTAL_TEST_NOW``, else :data:`DEFAULT_NOW`."""
    return instant(os.environ.get(NOW_VARIABLE) or DEFAULT_NOW)


def pytest_configure(config):
    from django.conf import settings

    # Before any user is made: the default PBKDF2 costs ~0.45 s a password; MD5 a microsecond.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    suite_now()  # a malformed SOP_PORTAL_TEST_NOW stops the run at once
    config.addinivalue_line(
        "markers", "now(instant): the test starts at this ISO 8601 instant (with its offset)"
    )
    config.addinivalue_line(
        "markers",
        "wall_clock(reason): runs on the real clock; only for a comparison with a clock the "
        "suite cannot move (PostgreSQL's), say which in the reason",
    )


def pytest_report_header(config):
    return f"clock: every test starts at {suite_now().isoformat()} ({NOW_VARIABLE})"


@pytest.fixture(autouse=True)
def _suite_clock(request):
    """Every test starts at the suite's instant (or its ``now`` marker's), time ticking on;
    a ``wall_clock`` test is left on the real clock (no travel at all: even a travel to the
    real instant lags it by the microseconds the travel takes to start)."""
    if marker := request.node.get_closest_marker("wall_clock"):
        assert marker.args, "wall_clock needs a reason: which clock the test cannot move"
        yield None
        return
    marker = request.node.get_closest_marker("now")
    destination = instant(*marker.args) if marker else suite_now()
    with time_machine.travel(destination, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _eager_celery(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


#: The passphrase of the suite's demo signers (typed by the head when signing).
SIGNING_PASSPHRASE = signing_demo.DEMO_PASSPHRASE


@pytest.fixture(scope="session")
def signing_keystore(tmp_path_factory):
    """One demo CA per test process, with the PKCS#12 files of the heads made on first use.
    Made at the suite's instant, not the wall clock's: the certificates' validity (from a day
    before) must hold at the instant the tests sign and validate, whatever today's date."""
    from types import SimpleNamespace

    directory = tmp_path_factory.mktemp("keystore")
    with time_machine.travel(suite_now(), tick=False):
        authority = signing_demo.load_or_create_authority(directory)
        # The cast's head (Dewi signs every permit in the suite), as every kit spells her.
        dewi = SimpleNamespace(email="dewi@dpmptsp.go.id", full_name="Dewi Kepala", nip="")
        signing_demo.create_signer_file(directory, authority, dewi)
    return directory, authority


@pytest.fixture(autouse=True)
def _signing(settings, signing_keystore):
    """Signing with the local backend and the suite's demo CA, no timestamp authority."""
    directory, _authority = signing_keystore
    settings.ESIGN_BACKEND = "local"
    settings.ESIGN_KEYSTORE_DIR = directory
    settings.ESIGN_TRUST_ROOTS = [str(directory / signing_demo.CA_CERT)]
    settings.ESIGN_TSA_URL = ""


def enrol_signer(user, keystore) -> None:
    """Give ``user`` a demo signing key in the suite's keystore (kept for the session)."""
    from signing.local import key_file

    directory, authority = keystore
    if not key_file(user).exists():
        signing_demo.create_signer_file(directory, authority, user)


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Throttles (the one tracking throttle counts failures per client address, and every
    test client is 127.0.0.1) live in the cache: each test gets a key prefix of its own, so it
    starts from zero. Not ``cache.clear()``: on Redis that flushes the whole database, the
    Celery broker's queues of the tests running beside it included."""
    default = settings.CACHES["default"]
    settings.CACHES = {"default": {**default, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    yield


@pytest.fixture(autouse=True)
def _language(request, settings):
    """Each test runs in one known language, so no language leaks from a previous request on
    the same worker: English (the msgids) by default, so tests read the source texts;
    Indonesian, the portal's real default, for tests marked ``indonesian``."""
    language = "id" if request.node.get_closest_marker("indonesian") else "en"
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        yield


@pytest.fixture
def dpmptsp(db):
    return office()


@pytest.fixture
def dishub(db):
    return AgencyFactory(code="DISHUB", name="Dinas Perhubungan")


@pytest.fixture
def ani(db):
    return UserFactory(email="ani@contoh.id", full_name="Ani Pemohon")


@pytest.fixture
def budi(dpmptsp):
    return MembershipFactory(
        user__email="budi@dpmptsp.go.id",
        user__full_name="Budi Front Office",
        agency=dpmptsp,
        role=Role.FRONT_OFFICE,
    ).user


@pytest.fixture
def citra(dishub):
    return MembershipFactory(
        user__email="citra@dishub.go.id",
        user__full_name="Citra OPD",
        agency=dishub,
        role=Role.TECHNICAL_OFFICER,
    ).user


@pytest.fixture
def dewi(dpmptsp):
    return MembershipFactory(
        user__email="dewi@dpmptsp.go.id",
        user__full_name="Dewi Kepala",
        agency=dpmptsp,
        role=Role.HEAD,
    ).user


@pytest.fixture
def eko(dpmptsp):
    user = MembershipFactory(
        user__email="eko@dpmptsp.go.id",
        user__full_name="Eko Administrator",
        agency=dpmptsp,
        role=Role.ADMINISTRATOR,
    ).user
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


# --- figures a test reports (the API fuzz run's request counts), shown after the run ----------
# A test adds ("figure", text) to ``record_property``; user properties travel with the report
# from pytest-xdist's workers, where a print would be lost.
_FIGURES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _FIGURES.extend(value for key, value in report.user_properties if key == "figure")


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("figures")
        for line in sorted(_FIGURES):
            terminalreporter.write_line(line)


@pytest.fixture
def django_assert_num_queries():
    """pytest-django's fixture, counting the portal's queries only (``tests.queries``)."""
    from functools import partial

    from tests.queries import assert_queries

    return partial(assert_queries, exact=True)


@pytest.fixture
def django_assert_max_num_queries():
    """pytest-django's fixture, counting the portal's queries only (``tests.queries``)."""
    from functools import partial

    from tests.queries import assert_queries

    return partial(assert_queries, exact=False)
