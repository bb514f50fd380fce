"""Run a Python module or a snippet in a child process on the test's clock, not the wall's:
``python -m tests.travelling celery -A sop_portal worker …`` (or ``-c CODE``) starts the child
travelled by the offset in ``SOP_PORTAL_TEST_CLOCK_OFFSET`` (seconds from the real clock, as
:func:`child_env` computes it in the test process), ticking, so a real worker sees the same
"now" as the test that started it. Without the variable the child runs on the real clock."""

import datetime as dt
import os
import runpy
import sys

import time_machine

OFFSET_VARIABLE = "SOP_PORTAL_TEST_CLOCK_OFFSET"


def clock_offset() -> float:
    """Seconds between this process's (possibly travelled) clock and the wall's."""
    import time

    if not time_machine.escape_hatch.is_travelling():
        return 0.0
    return time.time() - time_machine.escape_hatch.time.time()


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (else this process's environment) plus the clock offset for a child process
    started through this module."""
    return (dict(os.environ) if env is None else dict(env)) | {
        OFFSET_VARIABLE: repr(clock_offset())
    }


def command(*args: str) -> list[str]:
    """The command line that runs ``python *args`` through this module."""
    return [sys.executable, "-m", "tests.travelling", *args]


def main(argv: list[str]) -> None:
    offset = os.environ.get(OFFSET_VARIABLE)
    if offset:
        real = dt.datetime.now(dt.UTC)  # not travelling yet: the wall's clock
        time_machine.travel(real + dt.timedelta(seconds=float(offset)), tick=True).start()
    if argv[:1] == ["-c"]:
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
        return
    module, *rest = argv
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
