"""The staff search benchmark: on the 100,000-application data set of ``bench/lifecycle.py``
(loaded by its loader if missing; then every fifth file marked finished, every bench applicant
given a NIK and two files in three a company with its NIB), times the staff search page
(``/petugas/cari/``) for one finished file by its applicant's NIK, a part of the applicant's
name, a part of the company's name and the company's NIB, as the head (who sees every file)
and as the DISHUB officer (the files that reached DISHUB), plus the search with no filter and a
name part that matches every file (the pager's count at its largest), next to a bare Django
view, in one process (Django's test Client). Every request of a targeted search checks that the
finished file is on the page, so a search that finds nothing cannot look fast.

Run: ``.venv/bin/python bench/search.py [--applications N] [--requests R]``; the database is
the lifecycle bench's (``BENCH_DATABASE_URL``, see README.md).
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import lifecycle  # noqa: E402
from bench._common import size_arguments, time_targets, triggers_off  # noqa: E402

HEAD = "kepala@demo.sopportal.invalid"

#: Every fifth bench file finished (completed a month after it was submitted), every applicant
#: without one a NIK (74 = Sulawesi Tenggara, then the user's id), and two bench files in three
#: a company's (a name of three words and the file's id, a NIB of 13 digits): idempotent.
FINISH = """
UPDATE permits_application
   SET status = 'completed', completed_at = submitted_at + interval '30 days'
 WHERE tracking_number LIKE 'BENCH-%' AND id % 5 = 0 AND status <> 'completed'
"""
NIKS = """
UPDATE accounts_user SET nik = '74' || lpad(id::text, 14, '0')
 WHERE nik = '' AND email LIKE '%@bench.invalid'
"""
COMPANIES = """
UPDATE permits_application
   SET data = jsonb_build_object(
       'applicant_kind', 'company',
       'company_name', 'PT ' || (ARRAY['Anoa', 'Bahari', 'Celebes', 'Konawe', 'Wakatobi',
                                       'Buton', 'Kolaka', 'Muna'])[id % 8 + 1]
                       || ' ' || (ARRAY['Sejahtera', 'Mandiri', 'Abadi', 'Jaya', 'Makmur',
                                        'Lestari', 'Sentosa', 'Utama'])[(id / 8) % 8 + 1]
                       || ' ' || id,
       'nib', '91' || lpad(id::text, 11, '0'))
 WHERE tracking_number LIKE 'BENCH-%' AND id % 3 <> 0 AND data = '{}'::jsonb
"""


def prepare() -> None:
    from django.db import connection, transaction

    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        changed = []
        for sql in (FINISH, NIKS, COMPANIES):
            cursor.execute(sql)
            changed.append(cursor.rowcount)
    if any(changed):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE permits_application")
            cursor.execute("ANALYZE accounts_user")
        print(
            "finished {:,} files, gave {:,} applicants a NIK, {:,} files a company".format(*changed)
            + f" in {time.monotonic() - started:,.1f} s"
        )


def the_finished_file():
    """A finished company file half-way through the data set that reached DISHUB, of an
    applicant with at most one page of files (so that a search by their name shows it)."""
    from django.db.models import Count

    from permits.models import Application

    busy = (
        Application.objects.order_by()
        .values("applicant")
        .annotate(files=Count("id"))
        .filter(files__gt=25)
        .values("applicant")
    )
    candidates = (
        Application.objects.filter(
            tracking_number__startswith=lifecycle.TRACKING_PREFIX,
            status=Application.Status.COMPLETED,
            applicant__email__endswith="@bench.invalid",
            tasks__agency__code="DISHUB",
            data__has_key="nib",
        )
        .exclude(applicant__in=busy)
        .select_related("applicant", "service")
        .order_by("id")
    )
    return candidates[candidates.count() // 2]


def measure(requests: int) -> list[tuple[str, str, list[float], int]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from permits.models import Application

    User = get_user_model()
    finished = the_finished_file()
    nik, name = finished.applicant.nik, finished.applicant.full_name
    company, nib = finished.data["company_name"], finished.data["nib"]
    name_part, company_part = name[2:], " ".join(company.split()[-2:])
    head, officer = Client(), Client()
    head.force_login(User.objects.get(email=HEAD))
    officer.force_login(User.objects.get(email=lifecycle.DEMO_OFFICER))
    total = Application.objects.count()
    print(
        f"{total:,} applications; looking for {finished.tracking_number} "
        f"({finished.get_status_display()}) of {name} ({nik}), {company} (NIB {nib})"
    )

    def search(expect: bool = True, **params):
        def call(client):
            response = client.get("/petugas/cari/", params)
            assert response.status_code == 200, response.status_code
            if expect:
                assert finished.tracking_number in response.content.decode(), params
            return response

        return call

    searches = [
        ("by NIK", "?q=<NIK>", search(q=nik)),
        ("by name part", f"?q={name_part}", search(q=name_part)),
        ("by company part", f"?q={company_part}", search(q=company_part)),
        ("by NIB", "?q=<NIB>", search(q=nib)),
        ("no filter", "GET /petugas/cari/", search(expect=False)),
        ("broad name part", "?q=Pemohon", search(expect=False, q="Pemohon")),
    ]
    targets = [("bare Django view", "GET /bench/bare/", head, lambda c: c.get("/bench/bare/"))]
    for who, client in (("head", head), ("DISHUB officer", officer)):
        targets += [(f"{label} ({who})", route, client, call) for label, route, call in searches]
    return time_targets(targets, requests)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser, requests=30)
    args = parser.parse_args(argv)
    url = lifecycle.bench_database_url()
    lifecycle.create_database(url)
    lifecycle.setup_django(url)
    # The monitoring facts' triggers off while loading and marking (nothing here reads the
    # facts; ``bench/dashboard.py`` rebuilds them after its own load).
    with triggers_off():
        lifecycle.load(args.applications)
        prepare()
    lifecycle.report(measure(args.requests), goal=100)


if __name__ == "__main__":
    main()
