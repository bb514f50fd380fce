"""The suite runs on its own clock, not the wall's (see the docstring of ``tests/conftest.py``):
every test starts at the suite's instant, time ticks on, nested travel returns to it, the
``now`` and ``wall_clock`` markers do what they say, and a child process started through
``tests.travelling`` (the real Celery worker) shares the test's clock."""

import datetime as dt
import subprocess
import time
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.utils import timezone

from . import travelling
from .conftest import suite_now

# Set-up (fixtures, the test database) happens after the travel: allow it some time.
SETTLING = timedelta(minutes=2)


def test_every_test_starts_at_the_suites_instant():
    now = timezone.now()

    assert suite_now() <= now < suite_now() + SETTLING
    assert abs(time.time() - now.timestamp()) < 1
    assert timezone.localdate() == suite_now().astimezone(timezone.get_current_timezone()).date()


def test_time_still_moves_forward_inside_a_test():
    before = timezone.now()
    time.sleep(0.01)

    assert timezone.now() > before


def test_the_days_date_is_the_date_in_kendari():
    # Django's TIME_ZONE is the process's zone; the travel keeps it (a fixed offset, no TZ).
    assert date.today() == timezone.localdate()
    assert time.tzname[0] == "WITA"


def test_a_test_can_travel_further_and_comes_back():
    friday = dt.datetime(2026, 12, 4, 16, 30, tzinfo=dt.timezone(timedelta(hours=8)))

    with time_machine.travel(friday, tick=False):
        assert timezone.now() == friday
    with time_machine.travel(friday + timedelta(days=30)):
        assert timezone.localdate() == date(2027, 1, 3)

    assert suite_now() <= timezone.now() < suite_now() + SETTLING


@pytest.mark.now("2026-12-31T23:30:00+08:00")
def test_the_now_marker_starts_the_test_at_its_instant():
    assert timezone.localdate() == date(2026, 12, 31)
    assert timezone.now() - dt.datetime.fromisoformat("2026-12-31T15:30:00+00:00") < SETTLING


@pytest.mark.wall_clock("checks the marker itself")
def test_the_wall_clock_marker_runs_on_the_real_clock():
    assert not time_machine.escape_hatch.is_travelling()


def test_a_child_process_started_through_travelling_shares_the_tests_clock(tmp_path):
    result = subprocess.run(
        travelling.command("-c", "import time; print(time.time())"),
        cwd=settings.BASE_DIR,
        env=travelling.child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert abs(float(result.stdout) - time.time()) < 30  # the child's start-up, at most


def test_passwords_use_the_fast_hasher_of_the_tests():
    assert get_hasher().algorithm == "md5"
