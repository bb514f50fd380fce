"""The cached tracking result and inbox body (``permits.fragments``): a change shows at once,
nothing crosses from one person or agency to another, each language has its own, and a repeat
costs fewer queries than the first (and no more as rows grow)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from permits import lifecycle
from tests.permits.lifecycle.kit import cast, pdf, submitted, the_task, two_opd  # noqa: F401
from tests.permits.staff.helpers import client_for, through_check
from tests.queries import AppQueries

pytestmark = pytest.mark.django_db
TRACK = reverse("permits:track")
INBOX = reverse("permits:staff_inbox")


@pytest.fixture
def tracked(cast, two_opd):  # noqa: F811
    application = lifecycle.create_draft(two_opd, cast.ani)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(application, cast.ani, code, pdf(f"{code}.pdf"))
    return application, lifecycle.submit(application, cast.ani)


def _visitor(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _track(client, application, code):
    return client.post(TRACK, {"nomor": application.tracking_number, "kode": code})


def _counted(call) -> tuple[int, object]:
    with AppQueries(connection) as captured:
        response = call()
    return len(captured), response


def _rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-task="(\d+)"', response.content.decode())]


# --- tracking -------------------------------------------------------------------------------


def test_a_finished_step_shows_on_the_tracking_result_at_once(tracked, cast):  # noqa: F811
    application, code = tracked
    visitor = _visitor()
    before = _track(visitor, application, code).content.decode()
    assert _track(visitor, application, code).content.decode().count("step-timeline__item") == (
        before.count("step-timeline__item")
    )
    through_check(application, cast.budi)
    after = _track(visitor, application, code).content.decode()
    technical = the_task(application, 3, "DISHUB").step.activity
    assert 'aria-current="step"' in after
    assert after != before and technical in after
    assert after.count("step-timeline__item--done_on_time") + after.count(
        "step-timeline__item--done"
    ) > before.count("step-timeline__item--done_on_time") + before.count(
        "step-timeline__item--done"
    )


def test_the_access_code_is_checked_on_every_lookup_even_when_cached(tracked):
    application, code = tracked
    assert _track(_visitor(), application, code).status_code == 200
    stranger = _track(_visitor(), application, "ZZZZZZZZ")
    assert stranger.status_code == 404
    assert "step-timeline" not in stranger.content.decode()


def test_a_repeat_lookup_is_served_from_the_cache_with_fewer_queries(tracked):
    application, code = tracked
    visitor = _visitor()
    first, first_page = _counted(lambda: _track(visitor, application, code))
    again, again_page = _counted(lambda: _track(visitor, application, code))
    assert again < first
    # The same result, whoever asks next with the right code.
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", again_page.content.decode()) == strip.sub("", first_page.content.decode())


def test_a_repeat_lookup_makes_one_query_that_reads_only_the_number_and_code_hash(tracked):
    application, code = tracked
    visitor = _visitor()
    _track(visitor, application, code)
    with AppQueries(connection) as captured:
        assert _track(visitor, application, code).status_code == 200
    (lookup,) = [query["sql"] for query in captured.captured_queries]
    assert '"permits_application"."access_code_hash"' in lookup
    assert "permits_service" not in lookup and '"permits_application"."status",' not in lookup


def test_a_wrong_code_makes_the_same_one_query_as_a_right_one(tracked):
    application, code = tracked
    with AppQueries(connection) as captured:
        assert _track(_visitor(), application, "ZZZZZZZZ").status_code == 404
    assert len(captured) == 1


def test_each_language_has_its_own_tracking_result(tracked):
    application, code = tracked
    english = _track(_visitor("en"), application, code).content.decode()
    indonesian = _track(_visitor("id"), application, code).content.decode()
    assert '<h3 class="section-title h5" id="tracked-steps-title">Steps</h3>' in english
    assert '<h3 class="section-title h5" id="tracked-steps-title">Langkah</h3>' in indonesian


# --- inbox ----------------------------------------------------------------------------------


def test_a_claim_shows_in_the_inbox_at_once_for_the_claimer_and_the_colleague(two_opd, cast):  # noqa: F811
    application = submitted(two_opd, cast.ani)
    through_check(application, cast.budi)
    task = the_task(application, 3, "DISHUB")
    citra, cahya = client_for(cast.citra), client_for(cast.cahya)
    queue = {"scope": "queue"}
    assert task.pk in _rows(citra.get(INBOX, queue)) and task.pk in _rows(cahya.get(INBOX, queue))
    claim = reverse("permits:task_claim", args=[task.pk])
    assert claim in cahya.get(INBOX, queue).content.decode()
    citra.post(claim, {"next": "inbox"})
    mine = citra.get(INBOX, queue).content.decode()
    theirs = cahya.get(INBOX, queue).content.decode()
    release = reverse("permits:task_release", args=[task.pk])
    assert release in mine and claim not in mine
    assert cast.citra.full_name in theirs
    assert release not in theirs and claim not in theirs  # held by a colleague: no button
    # "For me to act on" leaves out what a colleague holds.
    assert task.pk not in _rows(cahya.get(INBOX))
    assert task.pk in _rows(citra.get(INBOX))


def test_two_agencies_never_see_each_others_cached_rows(two_opd, cast):  # noqa: F811
    both = submitted(two_opd, cast.ani)
    through_check(both, cast.budi)
    dishub, dlh = the_task(both, 3, "DISHUB"), the_task(both, 3, "DLH")
    for params in ({"scope": "queue"}, {}):
        citra_rows = _rows(client_for(cast.citra).get(INBOX, params))
        gita_rows = _rows(client_for(cast.gita).get(INBOX, params))
        assert citra_rows == [dishub.pk] and gita_rows == [dlh.pk]


def test_each_language_has_its_own_inbox(two_opd, cast):  # noqa: F811
    submitted(two_opd, cast.ani)
    english = client_for(cast.budi, "en").get(INBOX).content.decode()
    indonesian = client_for(cast.budi, "id").get(INBOX).content.decode()
    assert ">Claim</button>" in english and ">Ambil</button>" in indonesian
    assert ">Claim</button>" not in indonesian


def test_each_request_carries_its_own_csrf_token_in_the_cached_rows(two_opd, cast):  # noqa: F811
    task = the_task(submitted(two_opd, cast.ani), 2)
    client_for(cast.budi).get(INBOX)  # fills the cache from another session of Budi's
    budi = Client(enforce_csrf_checks=True)
    budi.force_login(cast.budi)
    budi.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = budi.get(INBOX).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the claim form carries this request's token"
    claim = reverse("permits:task_claim", args=[task.pk])
    response = budi.post(claim, {"csrfmiddlewaretoken": token[1], "next": "inbox"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee == cast.budi


def test_the_inbox_makes_fewer_queries_on_a_repeat_and_no_more_as_rows_grow(two_opd, cast):  # noqa: F811
    for _ in range(3):
        submitted(two_opd, cast.ani)
    budi = client_for(cast.budi)
    budi.get(INBOX)  # the per-catalogue-version caches (the service list)
    submitted(two_opd, cast.ani)  # a new task: the cached body is outdated
    miss, _page = _counted(lambda: budi.get(INBOX))
    hit, _page = _counted(lambda: budi.get(INBOX))
    for _ in range(17):
        submitted(two_opd, cast.bayu)
    assert _counted(lambda: budi.get(INBOX))[0] == miss
    assert _counted(lambda: budi.get(INBOX))[0] == hit < miss


def test_a_cached_row_turns_overdue_at_its_due_time_within_the_hour(two_opd, cast):  # noqa: F811
    task = the_task(submitted(two_opd, cast.ani), 2)
    task.due_at = timezone.now() + timedelta(minutes=20)  # 10:20 WITA, the suite's hour
    task.save(update_fields=["due_at"])
    budi = client_for(cast.budi)
    assert "Overdue" not in budi.get(INBOX).content.decode()
    assert "Overdue" not in budi.get(INBOX).content.decode()  # a hit
    with time_machine.travel(timezone.now() + timedelta(minutes=25), tick=False):
        assert "Overdue" in budi.get(INBOX).content.decode()
