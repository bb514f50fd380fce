"""The facts path (``monitoring.facts``, kept by PostgreSQL triggers) gives the same figures as
the raw queries (``monitoring.stats`` with ``MONITORING_FACTS`` off), on generated data, for every
figure the dashboard shows, under every filter; and ``rebuild_facts`` rebuilds the same facts."""

import random
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from monitoring import facts, stats, tables
from monitoring.filters import Filters
from monitoring.models import AppFact, DurationFact, PauseFact, StepFact
from permits.models import Application
from tests.factories import AgencyFactory, ServiceFactory, UserFactory, build_sop_version, office
from workflows.calendar import ZONE
from workflows.models import PauseReason, PerformerRole, ServiceClock, StepEvent, Task

from .conftest import page_tables

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="facts live in PostgreSQL"),
]

S = Application.Status
STATUSES = [S.SUBMITTED, S.IN_PROGRESS, S.RETURNED, S.APPROVED, S.COMPLETED, S.ISSUED]
STATUSES += [S.REJECTED, S.WITHDRAWN, S.DEEMED_APPROVED, S.COMPLETED, S.COMPLETED]
REASONS = [PauseReason.APPLICANT_CORRECTION, PauseReason.EXTERNAL_WAIT]


def _when(rng: random.Random) -> datetime:
    """A moment between 1 June and 30 November 2026, WITA, any hour (days cross UTC midnight)."""
    start = datetime(2026, 6, 1, tzinfo=ZONE)
    return start + timedelta(seconds=rng.randrange(183 * 86400))


def generate(seed: int = 7, n: int = 70, fractions: bool = False) -> dict:
    """Applications of two services with their steps: random outcomes, norms, pauses (their
    events written after the step ended, as a data fix would), clocks and agencies.
    Office times in whole seconds, or with microseconds (``fractions``)."""
    rng = random.Random(seed)
    dpmptsp = office()
    agencies = [AgencyFactory(code=f"OPD{i}", name=f"Dinas {i}") for i in range(3)]
    services, versions = [], []
    for i in range(2):
        service = ServiceFactory(code=f"GEN-{i}", name=f"Layanan {i}")
        service.technical_agencies.add(*agencies)
        services.append(service)
        versions.append(build_sop_version(service))
    versions.append(build_sop_version(services[0]))  # a second version of the first service
    applicant = UserFactory()
    apps = []
    for k in range(n):
        version = versions[k % 3]
        steps = sorted(version.steps.select_related("performer"), key=lambda s: s.no)
        submitted = _when(rng)
        status = rng.choice(STATUSES)
        finished = status not in Application.ACTIVE_STATES
        at = submitted
        tasks = []
        for step in steps:
            if step.performer.role == PerformerRole.APPLICANT:
                agency = None
            elif step.performer.for_technical:
                agency = rng.choice(agencies)
            else:
                agency = dpmptsp
            took = timedelta(seconds=rng.randrange(60, 40 * 3600))
            if fractions:
                took += timedelta(microseconds=rng.randrange(1_000_000))
            last = step is steps[-1]
            done = finished or not last and rng.random() < 0.8
            paused = timedelta(seconds=rng.choice([0, 0, 0, 3600, 7200 + k]))
            tasks.append((step, agency, at, took, done, paused))
            at = at + took
            if not done:
                break
        app = Application.objects.create(
            tracking_number=f"GEN-{seed}-{k}",
            service=version.sop.service,
            sop_version=version,
            applicant=applicant,
            status=status,
            submitted_at=submitted,
            completed_at=at if finished else None,
        )
        for step, agency, opened, took, done, paused in tasks:
            task = Task.objects.create(
                application=app,
                step=step,
                agency=agency,
                role=step.performer.role,
                status=Task.Status.DONE if done else Task.Status.OPEN,
                opened_at=opened,
                completed_at=opened + took if done else None,
                due_at=opened + timedelta(hours=rng.choice([1, 8, 30]))
                if rng.random() < 0.9
                else None,
                office_time=took if done and rng.random() < 0.95 else None,
                paused_time=paused if done else None,
            )
            if done and paused:
                StepEvent.objects.create(
                    application=app,
                    task=task,
                    kind=StepEvent.Kind.PAUSED,
                    at=opened,
                    reason=rng.choice(REASONS),
                )
        if rng.random() < 0.7:
            started = submitted + timedelta(hours=rng.randrange(1, 72))
            decided = at if finished and rng.random() < 0.9 else None
            ServiceClock.objects.create(
                application=app,
                started_at=started,
                due_at=started + timedelta(days=rng.choice([3, 10, 30])),
                decided_at=decided,
            )
        apps.append(app)
    return {"services": services, "versions": versions, "agencies": [dpmptsp, *agencies]}


def change_some() -> None:
    """What happens after the fact: a step's times corrected, a done step reopened, a task moved
    to another agency, an application withdrawn and one deleted, a clock removed, a pause event
    written late and one deleted."""
    done = list(Task.objects.filter(status=Task.Status.DONE).exclude(role="applicant")[:6])
    Task.objects.filter(pk=done[0].pk).update(
        completed_at=done[0].completed_at + timedelta(days=3),
        office_time=timedelta(hours=5),
    )
    Task.objects.filter(pk=done[1].pk).update(status=Task.Status.OPEN, completed_at=None)
    other = next(t for t in done[2:] if t.agency_id) if any(t.agency_id for t in done[2:]) else None
    if other is not None:
        Task.objects.filter(pk=other.pk).update(agency=None)
    Task.objects.filter(pk=done[3].pk).update(paused_time=timedelta(hours=2))
    StepEvent.objects.create(
        application_id=done[3].application_id,
        task=done[3],
        kind=StepEvent.Kind.PAUSED,
        at=done[3].opened_at - timedelta(minutes=1),
        reason=PauseReason.EXTERNAL_WAIT,
    )
    StepEvent.objects.filter(kind=StepEvent.Kind.PAUSED).order_by("pk").first().delete()
    apps = list(Application.objects.filter(status=S.IN_PROGRESS).order_by("pk")[:2])
    if apps:
        apps[0].status = S.WITHDRAWN
        apps[0].completed_at = apps[0].submitted_at + timedelta(days=1)
        apps[0].save()
    Application.objects.filter(status=S.COMPLETED).order_by("pk").first().delete()
    ServiceClock.objects.order_by("pk").first().delete()


def both(call):
    """``call()`` on the raw queries, then on the facts."""
    with override_settings(MONITORING_FACTS=False):
        assert not facts.enabled()
        raw = call()
    with override_settings(MONITORING_FACTS=True):
        assert facts.enabled()
        fast = call()
    return raw, fast


def filters(data) -> list[Filters]:
    base = Filters(start=date(2026, 6, 1), end=date(2026, 12, 2))
    return [
        base,
        base.narrowed(service_id=data["services"][0].pk),
        base.narrowed(service_id=data["services"][1].pk),
        base.narrowed(sop_version_id=data["versions"][2].pk),
        *(base.narrowed(agency_id=a.pk) for a in data["agencies"]),
        base.narrowed(agency_id=data["agencies"][1].pk, service_id=data["services"][0].pk),
        Filters(start=date(2026, 9, 1), end=date(2026, 9, 30)),
        Filters(start=date(2026, 8, 15), end=date(2026, 8, 15)),  # one day
        Filters(start=date(2020, 1, 1), end=date(2020, 6, 30)),  # empty
    ]


FIGURES = {
    "summary": stats.summary,
    "by_service": stats.by_service,
    "by_agency": stats.by_agency,
    "by_step": stats.by_step,
    "bottlenecks": stats.bottlenecks,
    "backlog": lambda f: stats.backlog(f, date(2026, 12, 2)),
    "pauses": stats.pauses,
    "trend": stats.trend,
}


@pytest.mark.parametrize("changed", [False, True], ids=["as-written", "after-changes"])
def test_every_figure_is_the_same_on_both_paths(changed):
    data = generate()
    if changed:
        change_some()
    compared = 0
    for f in filters(data):
        for name, figure in FIGURES.items():
            raw, fast = both(lambda figure=figure, f=f: figure(f))
            assert raw == fast, (name, f)
            compared += bool(raw)
    assert compared > 50  # the data set does reach the figures
    for window in [(date(2026, 9, 4), date(2026, 12, 2)), (date(2026, 6, 1), date(2026, 11, 30))]:
        raw, fast = both(lambda w=window: stats.service_figures(*w))
        assert raw and raw == fast


def test_the_steps_have_percentiles_and_every_filter_changes_something():
    # Guards the comparison above from comparing empty or identical results.
    data = generate()
    rows = stats.by_step(filters(data)[0])
    assert sum(r.median is not None for r in rows) >= 6
    totals = {f: stats.summary(f).steps_measured for f in filters(data)}
    assert len(set(totals.values())) >= 6
    assert totals[filters(data)[-1]] == 0


def test_percentiles_of_fractional_office_times_are_within_half_a_second():
    """Real office times carry microseconds; the histogram keeps whole seconds, so a median or
    P90 is at most 0.5 s from the raw one, 1/72 of the 0.01 h the dashboard prints."""
    data = generate(seed=11, fractions=True)
    f = filters(data)[0]
    raw, fast = both(lambda: stats.by_step(f))
    assert [r.key for r in raw] == [r.key for r in fast]
    checked = 0
    for r, q in zip(raw, fast, strict=True):
        assert (r.measured, r.on_time, r.late, r.timed) == (q.measured, q.on_time, q.late, q.timed)
        for a, b in ((r.median, q.median), (r.p90, q.p90)):
            assert (a is None) == (b is None)
            if a is not None:
                assert abs(a - b) <= timedelta(seconds=0.5)
                checked += 1
    assert checked >= 6


def test_the_dashboard_page_and_exports_show_the_same_figures(client, dewi):
    data = generate()
    change_some()
    client.force_login(dewi)
    for f in filters(data)[:6]:
        query = f.querystring()
        raw, fast = both(lambda q=query: client.get(f"/pantau/?{q}").content.decode())
        assert page_tables(raw) == page_tables(fast)
        raw, fast = both(lambda q=query: client.get(f"/pantau/ekspor/?tabel=steps&format=csv&{q}"))
        assert raw.content == fast.content
    raw, fast = both(lambda: tables.dashboard(filters(data)[0])["steps"].rows)
    assert raw and [r.values for r in raw] == [r.values for r in fast]


def _table(response) -> str:
    html = response.content.decode()
    return html[html.index('<table class="table align-middle" id="transparency">') :]


def _commit_time() -> None:
    """The version moves at commit (deferred triggers); a test's transaction never commits, so
    run the deferred triggers now."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_transparency_figures_are_the_same_and_the_page_is_cached_until_they_change(
    client, django_assert_max_num_queries
):
    from django.core.cache import cache

    data = generate()
    cache.clear()
    raw, fast = both(lambda: client.get("/transparansi/"))
    page = _table(fast)
    assert _table(raw) == page
    raw, fast = both(lambda: client.get("/api/v1/transparency/").json())
    assert raw == fast and any(r["finished"] for r in raw)
    before = client.get("/api/v1/transparency/").json()
    with django_assert_max_num_queries(2):  # the facts' version (and the session machinery)
        assert _table(client.get("/transparansi/")) == page
    # A file of the first service finishes today: its figures change, and so does the page.
    app = (
        Application.objects.filter(status=S.IN_PROGRESS, service=data["services"][0])
        .exclude(service_clock=None)
        .first()
    )
    app.status = S.COMPLETED
    app.completed_at = datetime(2026, 12, 2, 9, tzinfo=ZONE)
    app.save()
    version = facts.version()
    assert client.get("/api/v1/transparency/").json() == before  # not committed yet
    _commit_time()
    assert facts.version() > version
    after = client.get("/api/v1/transparency/").json()
    assert after != before
    with override_settings(MONITORING_FACTS=False):
        assert client.get("/api/v1/transparency/").json() == after
        assert _table(client.get("/transparansi/")) == _table(
            _get_with_facts(client, "/transparansi/")
        )


def _get_with_facts(client, url):
    with override_settings(MONITORING_FACTS=True):
        return client.get(url)


def _facts_snapshot() -> dict:
    def rows(model, *key):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        return sorted(
            tuple((r[f] is None, r[f]) for f in fields)
            for r in model.objects.values(*fields)
            if any(r[k] for k in key)
        )

    return {
        "steps": rows(StepFact, "ended"),
        "durations": rows(DurationFact, "n"),
        "pauses": rows(PauseFact, "steps"),
        "apps": rows(AppFact, "n"),
    }


def test_rebuild_facts_gives_the_facts_the_triggers_kept():
    generate()
    change_some()
    kept = _facts_snapshot()
    assert kept["steps"] and kept["durations"] and kept["pauses"] and kept["apps"]
    call_command("rebuild_facts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _facts_snapshot() == kept


def test_an_empty_period_reads_no_task():
    generate()
    f = Filters(start=date(2020, 1, 1), end=date(2020, 6, 30))
    from django.db import connection as conn

    from tests.queries import AppQueries

    with AppQueries(conn) as queries:
        tables.dashboard(f)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "workflows_task" in q]
    # The survey's required sample too is read from the facts.
    assert not [q for q in sql if '"permits_application"' in q]


def test_the_cached_dashboard_changes_when_a_step_ends(client, dewi):
    data = generate()
    client.force_login(dewi)
    query = filters(data)[0].querystring()
    first = page_tables(client.get(f"/pantau/?{query}").content.decode())
    task = (
        Task.objects.filter(status=Task.Status.OPEN, application__status=S.IN_PROGRESS)
        .exclude(role="applicant")
        .first()
    )
    Task.objects.filter(pk=task.pk).update(
        status=Task.Status.DONE,
        completed_at=datetime(2026, 12, 2, 9, tzinfo=ZONE),
        due_at=datetime(2026, 12, 2, 12, tzinfo=ZONE),
        office_time=timedelta(hours=1),
    )
    assert page_tables(client.get(f"/pantau/?{query}").content.decode()) == first  # cached
    _commit_time()
    fast = page_tables(client.get(f"/pantau/?{query}").content.decode())
    assert fast != first
    with override_settings(MONITORING_FACTS=False):
        assert page_tables(client.get(f"/pantau/?{query}").content.decode()) == fast


def test_the_survey_population_is_the_same_on_both_paths():
    from feedback.stats import ikm, ikm_by_service

    data = generate()
    change_some()
    agency = data["agencies"][1]
    for f in filters(data):
        for kwargs in ({}, {"service_id": data["services"][0].pk}, {"agency_id": agency.pk}):
            raw, fast = both(lambda f=f, kw=kwargs: ikm(f.start, f.end, **kw).population)
            assert raw == fast, (f, kwargs)
        raw, fast = both(lambda f=f: ikm_by_service(f.start, f.end))
        assert {k: r.population for k, r in raw.items()} == {
            k: r.population for k, r in fast.items()
        }
    whole = filters(data)[0]
    assert both(lambda: ikm(whole.start, whole.end).population)[1] > 0
