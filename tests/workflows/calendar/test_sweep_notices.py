"""The sweep's notices, written by one statement whatever their number: the same words, link
and recipients as a notice written row by row, only active people, and the emails queued in
batches once the sweep commits."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from permits import notifications
from permits.models import Notification
from sop_portal.formatting import format_moment
from tests.factories import MembershipFactory
from tests.permits.lifecycle.kit import submitted, the_task
from workflows import engine
from workflows.models import ClockWarning
from workflows.sweep import sweep

pytestmark = pytest.mark.django_db


def _after_everything():
    return timezone.now() + timedelta(days=400)


@pytest.mark.wall_clock(
    "created_at is PostgreSQL's statement_timestamp() (permits/notifications.py CLOCK_NOTICES), "
    "compared with Python's now"
)
def test_a_notice_names_the_step_the_application_and_the_due_time_in_wita(akdp, cast):
    application = submitted(akdp, cast.ani)
    task = the_task(application, 2)
    soon = ClockWarning.objects.get(task=task, kind="soon_1").at

    sweep(soon)
    sweep(_after_everything())

    due = format_moment(task.due_at)  # "2 December 2026, 08.00 WITA"
    link = reverse("permits:task_detail", args=[task.pk])
    notices = Notification.objects.filter(
        recipient=cast.budi, application=application, text__regex=r"^(Due soon|Overdue):"
    )
    assert sorted((n.text, n.link) for n in notices) == [
        (
            f"Due soon: {task.step.activity} for application {application.tracking_number} "
            f"must be done by {due}.",
            link,
        ),
        (
            f"Overdue: {task.step.activity} for application {application.tracking_number} "
            f"should have been done by {due}.",
            link,
        ),
    ]
    assert notices.first().created_at <= timezone.now()


def test_inactive_people_get_nothing_and_a_held_task_warns_its_holder_and_the_head(akdp, cast):
    first = submitted(akdp, cast.ani)
    held = engine.claim(the_task(submitted(akdp, cast.bayu), 2), cast.budi)
    away = MembershipFactory(agency=held.agency, role=held.role, is_active=False).user
    left = MembershipFactory(agency=held.agency, role=held.role, user__is_active=False).user

    sweep(_after_everything())

    overdue = Notification.objects.filter(text__startswith="Overdue")
    assert sorted((n.application_id, n.recipient.email) for n in overdue) == sorted(
        [
            (first.pk, cast.budi.email),  # the queue: Budi is its only active member
            (first.pk, cast.dewi.email),  # the agency's head, at overdue
            (held.application_id, cast.budi.email),  # the holder
            (held.application_id, cast.dewi.email),
        ]
    )
    assert not Notification.objects.filter(recipient__in=[away, left]).exists()


def test_the_emails_are_queued_in_batches_once_the_sweep_commits(
    akdp, cast, monkeypatch, django_capture_on_commit_callbacks
):
    from permits import outbox, tasks

    for _ in range(3):
        submitted(akdp, cast.ani)
    queued = []
    monkeypatch.setattr(outbox, "EMAIL_BATCH", 4)
    monkeypatch.setattr(
        tasks.send_notification_emails, "apply_async", lambda args, kwargs: queued.append(*args)
    )

    with django_capture_on_commit_callbacks(execute=True):
        sweep(_after_everything())

    notices = set(
        Notification.objects.filter(text__startswith="Overdue").values_list("pk", flat=True)
    )
    assert len(notices) == 6  # three tasks: the queue (Budi) and the head (Dewi) each
    assert [len(batch) for batch in queued] == [4, 2]
    assert {pk for batch in queued for pk in batch} == notices


def test_a_translated_template_may_reorder_its_placeholders():
    sql, params = notifications._sql_text(
        "%(due)s: %(number)s, 100%% — %(activity)s",
        {
            "activity": ("%s", ["Cek"]),
            "number": ("upper(%s)", ["sop-1"]),
            "due": ("%s", ["Besok"]),
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        assert cursor.fetchone()[0] == "Besok: SOP-1, 100% — Cek"


def test_the_marks_of_a_step_that_ended_are_dropped_unsent(akdp, cast):
    application = submitted(akdp, cast.ani)
    checked = the_task(application, 2)
    engine.complete(checked, cast.budi, outcome="yes")
    running = the_task(application, 3)

    sent = sweep(_after_everything())

    assert sent == {"soon_1": 1, "soon_2": 1, "overdue": 1}  # the running step's only
    assert not ClockWarning.objects.filter(task=checked).exists()
    assert not ClockWarning.objects.filter(task=running, sent_at__isnull=True).exists()
    warned = Notification.objects.filter(text__regex=r"^(Due soon|Overdue):")
    assert {n.text.split(" for application")[0] for n in warned} == {
        f"Overdue: {running.step.activity}"
    }


def test_two_sweeps_at_once_send_each_warning_once_and_do_not_wait(transactional_db, akdp, cast):
    import threading

    from django.db import connections

    from workflows import actions
    from workflows.sweep import sweep_steps

    submitted(akdp, cast.ani)
    later = _after_everything()
    notifier = actions.provider("clock_warnings")
    inside, release, first = threading.Event(), threading.Event(), {}

    def holding(taken):
        notifier(taken)
        inside.set()
        release.wait(20)  # the first sweep holds its marks, uncommitted

    def first_sweep():
        try:
            first["taken"] = sweep_steps(later)
        finally:
            connections.close_all()

    actions.provide("clock_warnings", holding)
    thread = threading.Thread(target=first_sweep)
    try:
        thread.start()
        assert inside.wait(20)
        started = timezone.now()
        second = sweep_steps(later)
        waited = timezone.now() - started
    finally:
        release.set()
        thread.join(20)
        actions.provide("clock_warnings", notifier)

    assert not second and waited < timedelta(seconds=5)  # skipped the locked marks
    assert first["taken"] == {"soon_1": 1, "soon_2": 1, "overdue": 1}
    overdue = Notification.objects.filter(text__startswith="Overdue")
    assert sorted(n.recipient.email for n in overdue) == sorted([cast.budi.email, cast.dewi.email])
    assert not sweep_steps(later)
