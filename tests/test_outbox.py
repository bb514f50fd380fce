"""The outbox (``sop_portal.outbox``; the notices' box in ``permits.outbox``): every e-mail is
a row first, sent by the worker row by row and marked sent in the same step, never twice; a
broker error after commit is logged, not raised; the sweep sends what was left. The
real-broker and real-worker drills (Redis killed mid-request, worker killed mid-mailing) are in
``test_outbox_worker.py``."""

import logging
import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts import registration
from permits import lifecycle, notifications, tasks
from permits.models import Application, Notification
from permits.outbox import NOTICES
from sop_portal import outbox
from sop_portal import tasks as infra_tasks
from sop_portal.models import OutgoingMail
from tests.permits.lifecycle.kit import cast, pdf, two_opd  # noqa: F401

from .factories import UserFactory


def _old(queryset, minutes: int = 2) -> None:
    queryset.update(created_at=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.django_db
def test_a_notice_is_mailed_once_however_often_its_task_runs():
    ani = UserFactory(email="ani@contoh.id")
    (notice,) = notifications.notify([ani], None, "Berkas diterima", "/permohonan/1/")

    assert tasks.send_notification_emails([notice.pk]) == 1
    assert tasks.send_notification_emails([notice.pk]) == 0
    assert outbox.sweep() == 0

    (message,) = mail.outbox
    assert message.to == ["ani@contoh.id"] and "Berkas diterima" in message.body
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    # The same Message-ID on any resend of this row: a copy can be recognised.
    assert message.extra_headers["Message-ID"] == outbox.message_id("notice", notice)


@pytest.mark.django_db
def test_a_failed_send_leaves_the_row_for_the_next_run(monkeypatch):
    ani, bayu = UserFactory(email="ani@contoh.id"), UserFactory(email="bayu@contoh.id")
    first, second = notifications.notify([ani, bayu], None, "Pemberitahuan")
    real = EmailBackend.send_messages

    def refuse_ani(self, messages):
        if messages[0].to == ["ani@contoh.id"]:
            raise smtplib.SMTPRecipientsRefused({"ani@contoh.id": (450, b"try later")})
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_ani)
    assert outbox.deliver(NOTICES, [first.pk, second.pk]) == 1
    first.refresh_from_db(), second.refresh_from_db()
    assert first.emailed_at is None and second.emailed_at is not None

    monkeypatch.setattr(EmailBackend, "send_messages", real)
    assert outbox.deliver(NOTICES, [first.pk, second.pk]) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@contoh.id", "bayu@contoh.id"]


@pytest.mark.django_db
def test_a_run_stops_when_the_mail_server_keeps_failing(monkeypatch):
    users = [UserFactory() for _ in range(6)]
    notifications.notify(users, None, "Pemberitahuan")

    def down(self, messages):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    calls = []
    counting = outbox.Box(
        NOTICES.unsent,
        lambda row: calls.append(row) or NOTICES.message(row),
        NOTICES.mark_sent,
        "notice",
    )

    assert outbox.deliver(counting) == 0
    assert len(calls) == outbox.MAX_FAILURES_IN_A_ROW
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 6


@pytest.mark.django_db
def test_the_sweep_sends_rows_left_a_minute_not_the_fresh_ones():
    ani = UserFactory(email="ani@contoh.id")
    with transaction.atomic():  # committed without running its tasks: as if the broker was down
        left, fresh = Notification.objects.bulk_create(
            [Notification(recipient=ani, text="lama"), Notification(recipient=ani, text="baru")]
        )
        mail_left = OutgoingMail.objects.create(to="warga@contoh.id", subject="s", body="lama")
    _old(Notification.objects.filter(pk=left.pk))
    _old(OutgoingMail.objects.filter(pk=mail_left.pk))

    assert infra_tasks.sweep_outbox() == 2

    assert sorted(m.body.strip()[-4:] for m in mail.outbox if m.to == ["warga@contoh.id"]) == [
        "lama"
    ]
    assert Notification.objects.get(pk=fresh.pk).emailed_at is None
    assert Notification.objects.get(pk=left.pk).emailed_at is not None


@pytest.mark.django_db
def test_a_broker_error_after_commit_is_logged_and_the_submit_answers(
    two_opd,  # noqa: F811
    cast,  # noqa: F811
    client,
    monkeypatch,
    caplog,
    django_capture_on_commit_callbacks,
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.send_notification_emails, "apply_async", broker_down)
    draft = lifecycle.create_draft(two_opd, cast.ani)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(draft, cast.ani, code, pdf())
    client.force_login(cast.ani)

    with (
        caplog.at_level(logging.ERROR, "sop_portal.tasking"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(
            reverse("permits:application_form", args=[draft.pk]), {"submit": "1"}
        )

    assert response.status_code == 302
    assert callbacks  # the enqueue ran (and failed) after the commit
    draft.refresh_from_db()
    assert draft.status != Application.Status.DRAFT and draft.tracking_number
    notices = Notification.objects.filter(application=draft)
    assert notices.exists() and not notices.filter(emailed_at__isnull=False).exists()
    assert "the periodic sweep will catch up" in caplog.text
    assert not mail.outbox

    monkeypatch.undo()
    _old(notices)
    sent = outbox.sweep()
    assert sent == notices.count()
    assert len(mail.outbox) == sent
    assert not notices.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_row_another_worker_holds_is_skipped_not_sent_twice():
    ani, bayu = UserFactory(email="ani@contoh.id"), UserFactory(email="bayu@contoh.id")
    # Written without their task (autocommit here: notify() would mail them at once).
    held, free = Notification.objects.bulk_create(
        [Notification(recipient=ani, text="satu"), Notification(recipient=bayu, text="dua")]
    )
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            Notification.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert outbox.deliver(NOTICES, [held.pk, free.pk]) == 1
    finally:
        release.set()
        thread.join()

    assert [m.to for m in mail.outbox] == [["bayu@contoh.id"]]
    assert outbox.deliver(NOTICES, [held.pk, free.pk]) == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_verification_mail_is_an_outbox_row_sent_once(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="rina@contoh.id", email_verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        registration.send_verification(user, None)

    row = OutgoingMail.objects.get(kind="verify_email")
    assert row.to == "rina@contoh.id" and row.sent_at is not None
    (message,) = mail.outbox
    assert message.subject == row.subject and "/akun/verifikasi/" in message.body
    _old(OutgoingMail.objects.all())
    assert outbox.sweep() == 0


@pytest.mark.django_db
def test_a_notice_with_a_mail_of_its_own_is_mailed_once_as_that_mail():
    ani = UserFactory(email="ani@contoh.id")
    with transaction.atomic():  # committed without running the tasks
        mail_row = OutgoingMail.objects.create(to=ani.email, subject="Survei", body="Isi survei")
        notice = Notification.objects.create(recipient=ani, text="Survei", mail=mail_row)
    _old(Notification.objects.all())
    _old(OutgoingMail.objects.all())

    assert outbox.sweep() == 1
    assert outbox.sweep() == 0

    (message,) = mail.outbox
    assert message.body == "Isi survei"
    mail_row.refresh_from_db(), notice.refresh_from_db()
    assert mail_row.sent_at is not None and notice.emailed_at is None


@pytest.mark.django_db
def test_the_survey_invitation_is_an_outbox_mail_its_notice_points_to(
    two_opd,  # noqa: F811
    cast,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from tests.feedback.kit import finished

    with django_capture_on_commit_callbacks(execute=True):
        application = finished(two_opd, cast)
    invitation = Notification.objects.get(application=application, link__contains="/survei/")
    assert invitation.mail.kind == "survey_invitation" and invitation.mail.sent_at is not None
    assert invitation.link in invitation.mail.body
    _old(Notification.objects.all())
    _old(OutgoingMail.objects.all())
    assert outbox.sweep() == 0  # everything went out once, on commit
    assert len([m for m in mail.outbox if m.body == invitation.mail.body]) == 1
