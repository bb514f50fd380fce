"""The history of a SOP version says what happened in words, not in audit action codes."""

import pytest
from django.conf import settings
from django.urls import reverse

from workflows import editor
from workflows.versions import submit_for_review
from workflows.views import AUDIT_LABELS, audit_label

pytestmark = pytest.mark.django_db


def test_the_history_shows_translated_labels_instead_of_action_codes(client, draft, eko):
    editor.update_identity(draft, {"name": "Pelayanan Izin AKDP"}, by=eko)
    submit_for_review(draft, by=eko)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(eko)
    url = reverse("workflows:sop_version", args=[draft.sop.code, draft.version])
    page = client.get(url).content.decode()
    history = page.split('id="history"', 1)[1]
    assert "Submitted for review" in history and "Identity section changed" in history
    assert ">workflows.sop_version.submitted<" not in history


def test_every_label_is_words_and_an_unknown_code_still_reads_as_words():
    assert all("." not in str(label) for label in AUDIT_LABELS.values())
    assert audit_label("workflows.sop_version.archived") == "Archived"
