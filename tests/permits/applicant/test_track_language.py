"""Switching the language on a tracking result shows the same result again (issue 15 item 4):
the successful lookup is kept in the session, never the code; another browser sees nothing.
Indonesian data on an English page is marked lang="id"."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from permits import lifecycle
from tests.permits.lifecycle.kit import pdf

pytestmark = pytest.mark.django_db


def _next(content: bytes) -> str:
    return lxml_html.fromstring(content).get_element_by_id("lang-next").get("value")


def test_the_language_switch_keeps_the_tracking_result(client, two_opd, cast):
    application = lifecycle.create_draft(two_opd, cast.ani)
    for requirement in ("ktp", "denah"):
        lifecycle.attach_document(application, cast.ani, requirement, pdf())
    code = lifecycle.submit(application, cast.ani)
    url = reverse("permits:track")
    found = client.post(url, {"nomor": application.tracking_number, "kode": code})
    assert found.status_code == 200
    back = _next(found.content)
    assert back == f"{url}?nomor={application.tracking_number}"
    switched = client.post(reverse("set_language"), {"language": "en", "next": back}, follow=True)
    page = lxml_html.fromstring(switched.content)
    assert page.get("lang") == "en"
    assert page.get_element_by_id("tracked-status") is not None
    # The service's Indonesian name is marked as Indonesian on the English page.
    assert page.get_element_by_id("result-title").get("lang") == "id"
    assert code not in switched.content.decode()
    stranger = Client().get(back)
    assert 'id="tracked-status"' not in stranger.content.decode()


def test_the_catalogue_marks_indonesian_data_only_in_english(client, two_opd):
    english = client.get(reverse("permits:catalogue"), HTTP_ACCEPT_LANGUAGE="en")
    names = lxml_html.fromstring(english.content).xpath("//a[@class='stretched-link']")
    assert names and all(name.get("lang") == "id" for name in names)
    client.cookies.clear()
    indonesian = client.get(reverse("permits:catalogue"), HTTP_ACCEPT_LANGUAGE="id")
    names = lxml_html.fromstring(indonesian.content).xpath("//a[@class='stretched-link']")
    assert names and all(name.get("lang") is None for name in names)


def test_a_repeat_lookup_does_not_write_the_session_again(client, two_opd, cast):
    from django.db import connection

    from tests.queries import AppQueries

    application = lifecycle.create_draft(two_opd, cast.ani)
    for requirement in ("ktp", "denah"):
        lifecycle.attach_document(application, cast.ani, requirement, pdf())
    code = lifecycle.submit(application, cast.ani)
    url = reverse("permits:track")
    tracked = {"nomor": application.tracking_number, "kode": code}

    def session_writes() -> int:
        with AppQueries(connection) as captured:
            assert client.post(url, tracked).status_code == 200
        return sum("django_session" in q["sql"] for q in captured if "SELECT" not in q["sql"])

    assert session_writes() >= 1  # the first lookup is kept in the session
    assert session_writes() == 0  # the same one again: nothing to keep
    assert (
        'id="tracked-status"'
        in client.get(f"{url}?nomor={application.tracking_number}").content.decode()
    )
