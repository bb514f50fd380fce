"""Each reader's notices and e-mails are written in their own language when sent (issue 15
item 4): an applicant who reads the portal in English gets English, the office Indonesian."""

import pytest
from django.core import mail

from permits import lifecycle
from permits.models import Notification
from tests.permits.lifecycle.kit import pdf

pytestmark = pytest.mark.django_db


def _submit(service, applicant):
    draft = lifecycle.create_draft(service, applicant)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(draft, applicant, code, pdf())
    lifecycle.submit(draft, applicant)
    return draft


@pytest.mark.indonesian  # the portal's real default: Indonesian, one reader in English
def test_an_english_reader_gets_english_and_the_office_indonesian(
    two_opd, cast, django_capture_on_commit_callbacks
):
    cast.ani.language = "en"
    cast.ani.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        application = _submit(two_opd, cast.ani)
    number = application.tracking_number
    ani = [n.text for n in Notification.objects.filter(recipient=cast.ani).order_by("id")]
    assert ani[0] == (
        f"We have received your application {number} for {two_opd.name}. "
        "We will let you know at every step."
    )
    budi = Notification.objects.get(recipient=cast.budi).text
    assert number in budi and not budi.startswith("New task")
    mails = {m.to[0]: m for m in mail.outbox}
    assert mails["ani@contoh.id"].body.startswith("Dear Ani Pemohon,")
    assert f"Application {number}" in mails["ani@contoh.id"].subject
    # The office's mail carries its Indonesian notice ("Yth." once locale/pending/h2.po is in).
    assert budi in mails["budi@dpmptsp.go.id"].body
