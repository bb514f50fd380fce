"""The completeness check (issue 12 item 7): the documents in the requirement's order, no verdict
preselected, each verdict its own fieldset named after the document, each reason box labelled
with it, and a missing verdict refused with a message that says which document."""

import pytest
from lxml import html as lxml_html

from tests.form_errors import error_page
from tests.permits.lifecycle.kit import submitted, the_task
from workflows.models import Task

from .helpers import check_all, client_for, post_task, task_url

pytestmark = pytest.mark.django_db


def _check_form(content: bytes):
    return lxml_html.fromstring(content).get_element_by_id("action-form")


def test_it_lists_the_documents_in_the_requirement_order_with_nothing_chosen(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    response = client_for(cast.budi).get(task_url(the_task(application, 2)))
    form = _check_form(response.content)
    # The SOP lists KTP before Denah lokasi; A–Z would put Denah first.
    legends = [" ".join(legend.text_content().split()) for legend in form.xpath(".//legend")]
    assert legends == ["KTP", "Denah lokasi"]
    assert form.xpath(".//input[@type='radio'][@checked]") == []
    for code, name in (("ktp", "KTP"), ("denah", "Denah lokasi")):
        fieldset = form.xpath(f".//fieldset[.//input[@name='doc_{code}']]")
        assert len(fieldset) == 1 and len(fieldset[0].xpath(".//input[@type='radio']")) == 2
        label = form.xpath(f".//label[@for='id_reason_{code}']")[0]
        assert label.text_content().strip() == f"Reason — {name}"


def test_it_refuses_a_check_without_a_verdict_and_names_the_document(two_opd, cast):
    application = submitted(two_opd, cast.ani)
    data = check_all(application)
    del data["doc_denah"]
    response = post_task(cast.budi, the_task(application, 2), data)
    page = error_page(response.content)
    assert page.links == [("Choose a verdict for Denah lokasi.", "id_doc_denah_0")]
    # The group's fieldset is described by the message.
    assert response.status_code in (200, 400)
    form = _check_form(response.content)
    fieldset = form.xpath(".//fieldset[.//input[@name='doc_denah']]")[0]
    assert fieldset.get("aria-describedby") == "id_doc_denah_error"
    # What was chosen is kept.
    assert form.xpath(".//input[@name='doc_ktp'][@value='accept'][@checked]")
    assert application.tasks.get(step__no=2).status == Task.Status.OPEN
