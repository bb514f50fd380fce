"""The load benchmark: a mixed office day (bench/locustfile.py) against gunicorn on the bench
data of ``bench/lifecycle.py``, in steps of concurrent users, headless, on 127.0.0.1 only.

Run: ``.venv/bin/python bench/load.py [--users 50,100,200] [--seconds 60] [--workers 4]``.
For each step it starts locust (a subprocess, so gevent's monkey-patching stays out of this
process), waits for the run to end and prints the requests per second, the median, p95 and p99
response times and the errors, overall and for the slowest pages. Bounded: at most
``--max-users`` users (500) and ``--seconds`` per step (at most 600).
"""

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import lifecycle  # noqa: E402

HOST = "127.0.0.1"
GOAL_P95_MS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare(applications: int) -> dict[str, str]:
    """The bench data loaded; the locustfile's settings (services, tracking numbers)."""
    url = lifecycle.bench_database_url()
    lifecycle.create_database(url)
    lifecycle.setup_django(url)
    lifecycle.load(applications)
    from django.db.models import Count

    from permits.models import Application, Service

    public = [s for s in Service.objects.annotate(n=Count("requirements")) if s.published_sop]
    smallest = min(public, key=lambda s: (s.n, s.code))
    tracked = Application.objects.filter(
        tracking_number__startswith=lifecycle.TRACKING_PREFIX
    ).count()
    print(f"smallest service: {smallest.code} ({smallest.n} requirements); {tracked:,} tracked")
    return {
        "DATABASE_URL": url,
        "BENCH_SESSIONS": signed_in_sessions(),
        "BENCH_SERVICE": smallest.code,
        "BENCH_SERVICES": ",".join(s.code for s in public),
        "BENCH_TRACKING": str(tracked),
    }


#: Who signs in, as ``bench/locustfile.py`` names them.
SIGNED_IN = (
    "pemohon@demo.sopportal.invalid",
    "opd.dishub@demo.sopportal.invalid",
    "fo@demo.sopportal.invalid",
    "kepala@demo.sopportal.invalid",
)


def signed_in_sessions() -> str:
    """A session per signed-in user, made ahead through the portal's own sign-in (the
    password checked by the configured hasher, the session in the configured store), as
    ``email=sessionid,...``. People sign in once for their working day (a staff session lasts
    ``STAFF_SESSION_SECONDS``), so the office day's steady state has no sign-ins in it: a
    sign-in burst is its own question (the per-account throttle and the hasher's cost), not
    the page mix's. Without this every user signed in within the ramp and the step's p95 was
    the hasher's queue."""
    from django.conf import settings
    from django.test import Client

    pairs = []
    for email in SIGNED_IN:
        client = Client()
        if not client.login(username=email, password=os.environ.get("BENCH_PASSWORD", "demo12345")):
            raise SystemExit(f"cannot sign in as {email} (demo data missing?)")
        pairs.append(f"{email}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
    return ",".join(pairs)


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, app_dir: Path = ROOT
) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "sop_portal.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--timeout=60",
        "--log-level=warning",
    ]
    env = {**env, "PYTHONPATH": str(app_dir)}
    process = subprocess.Popen(command, cwd=app_dir, env=env, start_new_session=True)
    # Ready when the catalogue answers (the workers have loaded Django), within 2 minutes.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(1)
    stop(process)
    raise SystemExit("gunicorn did not answer within 120 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_step(env: dict[str, str], port: int, users: int, seconds: int, out: Path) -> Path:
    prefix = out / f"u{users}"
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        f"--host=http://{HOST}:{port}",
        f"--users={users}",
        # All users started within the first fifth of the step (at least 1 a second).
        f"--spawn-rate={max(1, users * 5 // seconds)}",
        f"--run-time={seconds}s",
        f"--csv={prefix}",
        "--only-summary",
        # The figures are the steady state: counted from when every user has arrived.
        "--reset-stats",
        "--loglevel=WARNING",
        "--stop-timeout=20",
    ]
    # locust's own summary and warnings go to a log beside the CSV (printed on an error only).
    with open(f"{prefix}.log", "w") as log:
        done = subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=log, stderr=log)
    if not Path(f"{prefix}_stats.csv").exists():
        sys.stderr.write(Path(f"{prefix}.log").read_text())
        raise SystemExit(f"locust failed (exit {done.returncode})")
    return Path(f"{prefix}_stats.csv")


def read_stats(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else float("nan")


def report(users: int, rows: list[dict[str, str]]) -> dict[str, float]:
    total = next(row for row in rows if row["Name"] == "Aggregated")
    figures = {
        "users": users,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "median": _ms(total["50%"]),
        "p95": _ms(total["95%"]),
        "p99": _ms(total["99%"]),
    }
    print(
        f"{users:>6} {figures['rps']:>7.1f} {figures['requests']:>9} {figures['errors']:>7}"
        f" {figures['median']:>8.0f} {figures['p95']:>7.0f} {figures['p99']:>7.0f}"
        f"  {'ok' if figures['errors'] == 0 and figures['p95'] < GOAL_P95_MS else 'over'}"
    )
    pages = sorted(
        (row for row in rows if row["Name"] != "Aggregated"),
        key=lambda row: -(_ms(row["95%"]) if row["95%"] != "N/A" else 0),
    )
    for row in pages:
        print(
            f"{'':>6}   {row['Type']:<5}{row['Name']:<22} n={row['Request Count']:<6}"
            f" err={row['Failure Count']:<4} median={row['50%']:>5} p95={row['95%']:>5}"
            f" p99={row['99%']:>5}"
        )
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="50,100,200", help="steps of users (50,100,200)")
    parser.add_argument("--seconds", type=int, default=60, help="seconds per step (60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--max-users", type=int, default=500)
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=ROOT,
        help="the portal's code the server runs (e.g. an exported older commit, for a before)",
    )
    parser.add_argument(
        "--applications",
        type=int,
        default=int(os.environ.get("BENCH_APPLICATIONS", 100_000)),
        help="bench applications to load first (env BENCH_APPLICATIONS, 100000)",
    )
    args = parser.parse_args(argv)
    steps = [int(u) for u in args.users.split(",") if u]
    if max(steps) > args.max_users or not 10 <= args.seconds <= 600:
        raise SystemExit("bounded: users <= --max-users, 10 <= --seconds <= 600")
    env = {
        **os.environ,
        **prepare(args.applications),
        "DEBUG": "false",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        # The bench measures the pages, not the per-address limits of one test machine.
        "API_THROTTLE_ANON": "100000/minute",
    }
    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.app_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="sop-load-") as out:
            print(f"\ngunicorn: {args.workers} workers on {HOST}:{port}; {args.seconds} s/step")
            print(
                f"{'users':>6} {'rps':>7} {'requests':>9} {'errors':>7} {'median':>8} "
                f"{'p95':>7} {'p99':>7}  (ms; goal p95 < {GOAL_P95_MS} ms, 0 errors)"
            )
            held = 0
            for users in steps:
                stats = run_step(env, port, users, args.seconds, Path(out))
                figures = report(users, read_stats(stats))
                if figures["errors"] == 0 and figures["p95"] < GOAL_P95_MS:
                    held = users
            print(f"\nheld the goal up to {held} users" if held else "\nno step met the goal")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
