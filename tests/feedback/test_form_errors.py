"""The public forms come back with an error summary, messages tied to their fields, and the
"Error:" title (issue 15 item 1)."""

import pytest
from django.urls import reverse

from tests.form_errors import error_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_complaint_form_links_each_error_to_its_field(english):
    response = english.post(reverse("feedback:complaint_new"), {"category": "", "text": ""})
    page = error_page(response.content)
    assert page.links == [
        ("This field is required.", "id_category"),
        ("This field is required.", "id_text"),
    ]
    # The text box is described by its help text and its error, both on the page.
    assert "Do not write ID numbers" in page.described["id_text"]
    assert "This field is required." in page.described["id_text"]


def test_the_complaint_tracking_form_says_what_is_missing(english):
    response = english.post(reverse("feedback:complaint_track"), {"nomor": "", "kode": ""})
    page = error_page(response.content)
    assert [target for _, target in page.links] == ["id_nomor", "id_kode"]
    assert "This field is required." in page.described["id_nomor"]


def test_the_application_tracking_form_says_what_is_wrong(english):
    missing = error_page(english.post(reverse("permits:track"), {"nomor": "SOP-1"}).content)
    assert missing.links == [("This field is required.", "id_kode")]
    assert "This field is required." in missing.described["id_kode"]
    response = english.post(reverse("permits:track"), {"nomor": "SOP-2026-999999", "kode": "X"})
    assert response.status_code == 404
    unknown = error_page(response.content)
    assert [target for _, target in unknown.links] == ["id_nomor"]
    # A refused code is not written back into the page.
    assert 'value="X"' not in response.content.decode()


def test_a_form_without_errors_has_no_summary_and_a_plain_title(english):
    html = english.get(reverse("feedback:complaint_new")).content.decode()
    assert "data-error-summary" not in html
    assert "<title>Error:" not in html and "<title>File a complaint" in html


def test_the_title_prefix_is_indonesian_in_indonesian(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    response = client.post(reverse("feedback:complaint_track"), {"nomor": "", "kode": ""})
    error_page(response.content, prefix="Kesalahan:")
