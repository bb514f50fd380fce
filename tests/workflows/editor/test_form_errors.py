"""The administrator's forms (new SOP, step, performer, decree) come back with the error
summary, its links and messages tied to existing ids (issue 15 item 1)."""

import pytest
from django.urls import reverse

from tests.form_errors import error_page

from .test_pages import _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, eko):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(eko)
    return client


def test_the_new_sop_form(admin_client):
    response = admin_client.post(reverse("workflows:sop_new"), {"code": "", "name": ""})
    page = error_page(response.content)
    assert page.links and all(target.startswith("id_") for _, target in page.links)


def test_the_step_form_on_its_own_page(admin_client, draft):
    response = admin_client.post(_url("sop_step_edit", draft, 2), {"activity": ""})
    page = error_page(response.content)
    assert ("This field is required.", "id_activity") in page.links
    assert "This field is required." in page.described["id_activity"]


def test_the_added_step_form_with_its_prefix(admin_client, draft):
    response = admin_client.post(
        _url("sop_step_add", draft),
        {"step-symbol": "process", "step-activity": "", "step-performer": "fo"},
    )
    assert response.status_code == 400
    page = error_page(response.content)
    assert ("This field is required.", "id_step-activity") in page.links


def test_the_step_row_edited_with_htmx_brings_its_own_summary(admin_client, draft):
    response = admin_client.post(
        _url("sop_step_edit", draft, 3), {"activity": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.count("data-error-summary") == 1
    assert 'href="#id_activity"' in html and 'id="id_activity_error"' in html


def test_the_performer_form(admin_client, draft):
    response = admin_client.post(_url("sop_performer_add", draft), {"key": ""})
    page = error_page(response.content)
    assert page.links


def test_the_decree_form(admin_client):
    response = admin_client.post(reverse("workflows:decree_create"), {"year": "x"})
    page = error_page(response.content)
    assert page.links
    assert all(text for text in page.described.values())
