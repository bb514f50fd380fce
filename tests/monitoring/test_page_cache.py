"""The rendered monitoring figures are computed once per facts version (``monitoring.page_cache``):
a repeated dashboard or transparency request reads no fact, task or application, the copy kept
in the process follows the version, and a step that ends gives a new page."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings

from monitoring import page_cache
from tests.queries import AppQueries
from workflows.calendar import ZONE
from workflows.models import Task

from .conftest import page_tables
from .test_facts import S, _commit_time, _table, filters, generate

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="facts live in PostgreSQL"),
]

FIGURE_TABLES = ('"monitoring_', '"workflows_task"', '"permits_application"', '"feedback_')


def _figure_queries(client, url) -> list[str]:
    with AppQueries(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in FIGURE_TABLES)]


def test_a_repeated_dashboard_request_reads_no_figure(client, dewi):
    data = generate()
    client.force_login(dewi)
    url = f"/pantau/?{filters(data)[0].querystring()}"
    first = page_tables(client.get(url).content.decode())
    assert first["steps"]
    # The facts' version alone (a sequence, not a fact table) is read.
    assert _figure_queries(client, url) == []
    assert page_tables(client.get(url).content.decode()) == first
    # The process's copy forgotten, the shared cache still answers without the figures.
    page_cache.forget()
    assert _figure_queries(client, url) == []


def test_a_repeated_transparency_request_reads_no_figure(client):
    generate()
    first = _table(client.get("/transparansi/"))
    assert _figure_queries(client, "/transparansi/") == []
    client.get("/api/v1/transparency/")
    assert _figure_queries(client, "/api/v1/transparency/") == []
    assert _table(client.get("/transparansi/")) == first


def test_the_transparency_page_is_kept_per_language(client):
    generate()
    english = client.get("/transparansi/", headers={"accept-language": "en"})
    indonesian = client.get("/transparansi/", headers={"accept-language": "id"})
    assert _table(english) != _table(indonesian)
    assert _table(client.get("/transparansi/", headers={"accept-language": "en"})) == _table(
        english
    )


def test_a_step_that_ends_gives_a_new_dashboard(client, dewi):
    data = generate()
    client.force_login(dewi)
    url = f"/pantau/?{filters(data)[0].querystring()}"
    first = page_tables(client.get(url).content.decode())
    task = (
        Task.objects.filter(status=Task.Status.OPEN, application__status=S.IN_PROGRESS)
        .exclude(role="applicant")
        .first()
    )
    task.status = Task.Status.DONE
    task.completed_at = datetime(2026, 12, 2, 9, tzinfo=ZONE)
    task.due_at = datetime(2026, 12, 2, 12, tzinfo=ZONE)
    task.office_time = timedelta(hours=1)
    task.save()
    assert page_tables(client.get(url).content.decode()) == first  # not committed yet
    _commit_time()
    changed = page_tables(client.get(url).content.decode())
    assert changed != first
    assert changed["summary"] != first["summary"]
    with override_settings(MONITORING_FACTS=False):
        assert page_tables(client.get(url).content.decode()) == changed


def test_the_process_copy_follows_the_key_and_the_setting(settings):
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value

        return run

    assert page_cache.get_or_set("monitoring:test:1", compute("a")) == "a"
    assert page_cache.get_or_set("monitoring:test:1", compute("b")) == "a"
    assert page_cache.get_or_set("monitoring:test:2", compute("c")) == "c"  # a new version
    assert page_cache.get_or_set(None, compute("d")) == "d"  # no facts: never kept
    settings.MONITORING_CACHE_SECONDS = 0
    assert page_cache.get_or_set("monitoring:test:1", compute("e")) == "e"  # caching off
    assert calls == ["a", "c", "d", "e"]


def test_the_process_copy_keeps_a_bounded_number(monkeypatch):
    monkeypatch.setattr(page_cache, "LOCAL_ENTRIES", 3)
    page_cache.forget()
    for i in range(5):
        page_cache.get_or_set(f"monitoring:bound:{i}", lambda i=i: i)
    assert len(page_cache._local) == 3


def test_a_repeated_dashboard_request_is_one_query(client, dewi, django_assert_num_queries):
    data = generate()
    client.force_login(dewi)
    url = f"/pantau/?{filters(data)[0].querystring()}"
    client.get(url)
    # The user, their memberships and the facts' version, in one round trip.
    with django_assert_num_queries(1) as queries:
        assert client.get(url).status_code == 200
    assert "monitoring_facts_version" in queries.captured_queries[0]["sql"]


def test_the_version_read_with_the_user_is_the_current_one(client, dewi):
    from agencies.access import value_read_along
    from monitoring import facts

    data = generate()
    client.force_login(dewi)
    url = f"/pantau/?{filters(data)[0].querystring()}"
    client.get(url)
    with connection.cursor() as cursor:  # a sequence moves at once, whatever the transaction
        cursor.execute("SELECT nextval('monitoring_facts_version')")
        now = cursor.fetchone()[0]
    seen = []
    page_cache.forget()
    original = facts.version

    def spy() -> int:
        seen.append((value_read_along(facts.VERSION_ALONG), original()))
        return seen[-1][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(facts, "version", spy)
        client.get(url)
    assert seen and seen[0] == (now, now)
    # Outside a request (tasks, the shell) nothing is read along: the database answers.
    assert value_read_along(facts.VERSION_ALONG) is None
    assert facts.version() == now
