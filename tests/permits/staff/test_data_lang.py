"""Staff pages in English mark the office's Indonesian data (service names, step activities)
``lang="id"`` so that a screen reader pronounces it as Indonesian (issue 15 item 4, WCAG 3.1.2);
in Indonesian nothing is marked."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from tests.permits.lifecycle.kit import submitted, the_task

pytestmark = pytest.mark.django_db


def _marked(client: Client, url: str) -> set[str]:
    doc = lxml_html.fromstring(client.get(url).content)
    return {" ".join(e.text_content().split()) for e in doc.xpath("//main//*[@lang='id']")}


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_inbox_and_the_task_mark_indonesian_data_in_english_only(cast, two_opd, language):
    application = submitted(two_opd, cast.ani)
    task = the_task(application, 2)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(cast.budi)
    inbox = _marked(client, reverse("permits:staff_inbox"))
    page = _marked(client, reverse("permits:task_detail", args=[task.pk]))
    if language == "en":
        assert two_opd.name in inbox and task.step.activity in inbox
        assert two_opd.name in page
    else:
        assert not inbox and not page
