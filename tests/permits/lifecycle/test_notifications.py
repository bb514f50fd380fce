"""Notices reach the applicant on every change and officers when a task arrives, and emails
leave only once the transition committed."""

import pytest
from django.core import mail
from django.db import transaction

from permits import lifecycle
from permits.models import Notification
from tests.permits.lifecycle.kit import pdf, submitted, the_task
from workflows import engine

pytestmark = pytest.mark.django_db


def _draft(service, applicant):
    draft = lifecycle.create_draft(service, applicant)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(draft, applicant, code, pdf())
    return draft


def test_it_tells_the_applicant_and_the_front_office_after_submit(
    two_opd, cast, django_capture_on_commit_callbacks
):
    draft = _draft(two_opd, cast.ani)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lifecycle.submit(draft, cast.ani)
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ani@contoh.id", "ani@contoh.id", "budi@dpmptsp.go.id"]
    assert Notification.objects.filter(recipient=cast.budi, application=draft).count() == 1
    assert all(n.emailed_at for n in Notification.objects.all())
    assert "Dear Ani Pemohon," in mail.outbox[0].body  # the reader's language (here the msgids)


def test_it_tells_each_technical_agency_of_its_task(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    for officer in (cast.citra, cast.cahya, cast.gita):
        assert Notification.objects.filter(recipient=officer).count() == 1
    assert not Notification.objects.filter(recipient=cast.fajar).exists()


def test_it_tells_the_applicant_what_to_correct(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    engine.return_to_applicant(the_task(application, 2), cast.budi, "KTP buram", ["ktp"])
    notice = Notification.objects.filter(recipient=cast.ani).first()
    assert "KTP buram" in notice.text and "KTP" in notice.text


def test_it_sends_and_keeps_nothing_when_the_transition_rolls_back(
    two_opd, cast, django_capture_on_commit_callbacks
):
    draft = _draft(two_opd, cast.ani)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        lifecycle.submit(draft, cast.ani)
        raise RuntimeError("the request failed later")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()
