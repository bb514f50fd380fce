"""The staff SOP pages: administrators only; the editor works without JavaScript, shows each
problem next to its step, and the review buttons move the version along."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sop_portal.models import AuditEntry
from workflows.models import SopVersion
from workflows.spreadsheet import workbook_bytes


def _url(name, version=None, *args, code="DISHUB-AKDP"):
    if version is None:
        return reverse(f"workflows:{name}", args=[code, *args])
    return reverse(f"workflows:{name}", args=[code, version.version, *args])


@pytest.fixture
def admin_client(client, eko):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(eko)
    return client


def _pages(draft):
    return [
        ("get", reverse("workflows:sop_list")),
        ("get", reverse("workflows:sop_new")),
        ("get", reverse("workflows:sop_xlsx_blank")),
        ("get", _url("sop_detail")),
        ("post", _url("sop_new_draft")),
        ("get", _url("sop_upload")),
        ("get", _url("sop_diff")),
        ("get", _url("sop_version", draft)),
        ("post", _url("sop_identity", draft)),
        ("post", _url("sop_performer_add", draft)),
        ("get", _url("sop_performer_edit", draft, "fo")),
        ("post", _url("sop_performer_move", draft, "fo")),
        ("post", _url("sop_performer_delete", draft, "fo")),
        ("post", _url("sop_step_add", draft)),
        ("get", _url("sop_step_edit", draft, 2)),
        ("get", _url("sop_step_row", draft, 2)),
        ("post", _url("sop_step_move", draft, 2)),
        ("post", _url("sop_step_delete", draft, 2)),
        ("post", _url("sop_submit", draft)),
        ("post", _url("sop_return", draft)),
        ("post", _url("sop_approve", draft)),
        ("post", _url("sop_delete_draft", draft)),
        ("get", _url("sop_xlsx", draft)),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    for method, url in _pages(draft):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


REVIEW_ACTIONS = ("sop_return", "sop_approve")


def test_staff_who_are_not_administrators_are_refused(client, draft, budi, dewi):
    """Front office: everything refused. The head reviews (return, approve) but edits
    nothing."""
    for user in (budi, dewi):
        client.force_login(user)
        for method, url in _pages(draft):
            if user == dewi and any(url == _url(name, draft) for name in REVIEW_ACTIONS):
                continue
            assert getattr(client, method)(url).status_code == 403, url
    client.force_login(budi)
    for name in REVIEW_ACTIONS:
        assert client.post(_url(name, draft)).status_code == 403
    assert client.get(_url("sop_review", draft)).status_code == 403
    assert client.get(reverse("workflows:sop_review_list")).status_code == 403
    assert draft.steps.count() == 4 and not AuditEntry.objects.exists()


def test_the_list_shows_every_sop_with_its_versions(admin_client, draft):
    response = admin_client.get(reverse("workflows:sop_list"), {"q": "akdp"})
    assert response.status_code == 200
    assert b"DISHUB-AKDP" in response.content
    assert "v2 · Draft" in response.content.decode()
    response = admin_client.get(reverse("workflows:sop_list"), {"q": "nothing-like-it"})
    assert b"DISHUB-AKDP" not in response.content


def test_the_editor_shows_a_problem_next_to_its_step(admin_client, draft):
    admin_client.post(
        _url("sop_step_edit", draft, 2),
        {
            "symbol": "decision",
            "activity": "Memeriksa kelengkapan berkas",
            "performer": "fo",
            "yes_no": "3",
            "action": "check",
        },
    )
    html = admin_client.get(_url("sop_version", draft)).content.decode()
    row = html.split('id="step-2"')[1].split("</tr>")[0]
    assert "If no, step: A decision needs both on_yes and on_no." in row
    assert "1 problem stops this version" in html


def test_an_invalid_step_form_comes_back_with_its_errors(admin_client, draft):
    response = admin_client.post(
        _url("sop_step_add", draft),
        {
            "step-symbol": "process",
            "step-activity": "",
            "step-performer": "fo",
            "step-next_no": "9",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert draft.steps.count() == 4


def test_adding_a_step_through_the_form(admin_client, draft):
    response = admin_client.post(
        _url("sop_step_add", draft),
        {
            "step-symbol": "process",
            "step-activity": "Melakukan survei",
            "step-performer": "opd",
            "step-duration_value": "2",
            "step-duration_unit": "days",
            "step-requirements": "Jadwal\nBerkas",
            "step-next_no": "4",
            "step-at": "3",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#step-3")
    step = draft.steps.get(no=3)
    assert (step.activity, step.requirements, step.next_no) == (
        "Melakukan survei",
        ["Jadwal", "Berkas"],
        4,
    )
    assert draft.steps.get(no=4).activity == "Memberikan rekomendasi teknis"


def test_the_step_row_is_edited_in_place_with_htmx(admin_client, draft):
    form = admin_client.get(_url("sop_step_edit", draft, 3), HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert form.content.decode().lstrip().startswith('<tr id="step-3">')
    saved = admin_client.post(
        _url("sop_step_edit", draft, 3),
        {
            "symbol": "process",
            "activity": "Memberi rekomendasi",
            "performer": "opd",
            "next_no": "4",
        },
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert "Memberi rekomendasi" in saved.content.decode()
    assert "<form" not in saved.content.decode().split("Memberi rekomendasi")[0]


def test_identity_performers_and_reordering_through_the_forms(admin_client, draft, dpmptsp):
    response = admin_client.post(
        _url("sop_identity", draft),
        {"name": "Pelayanan AKDP", "number": "SOP/1", "equipment": "Komputer\nPrinter"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.equipment) == ("Pelayanan AKDP", ["Komputer", "Printer"])
    admin_client.post(
        _url("sop_performer_add", draft),
        {
            "performer-key": "bo",
            "performer-title": "Back Office",
            "performer-role": "back_office",
            "performer-agency": "DPMPTSP",
        },
    )
    admin_client.post(_url("sop_performer_move", draft, "bo"), {"direction": "up"})
    keys = list(draft.performers.order_by("position").values_list("key", flat=True))
    assert keys == ["applicant", "fo", "opd", "bo", "head"]
    admin_client.post(_url("sop_step_move", draft, 3), {"direction": "up"})
    assert draft.steps.get(no=2).activity == "Memberikan rekomendasi teknis"
    response = admin_client.post(_url("sop_performer_delete", draft, "fo"), follow=True)
    assert "Steps 3 are done by this performer" in response.content.decode()


def test_review_through_the_pages(admin_client, published, draft, dewi, eko):
    admin_client.post(_url("sop_submit", draft))
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.IN_REVIEW
    page = admin_client.get(_url("sop_version", draft)).content.decode()
    assert "Approve and publish" in page and "Save identity" not in page
    response = admin_client.post(_url("sop_return", draft), {"reason": ""})
    assert response.status_code == 400
    admin_client.post(_url("sop_return", draft), {"reason": "Perbaiki nomor"})
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT
    admin_client.post(_url("sop_submit", draft))
    # Four eyes: the administrator who submitted it is refused, with the reason on the page.
    refused = admin_client.post(
        _url("sop_approve", draft), {"effective_on": "2026-05-04"}, follow=True
    )
    assert "four-eyes rule" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.IN_REVIEW
    admin_client.force_login(dewi)  # the head, on her review screen
    response = admin_client.post(
        _url("sop_approve", draft), {"effective_on": "2026-05-04", "from": "review"}
    )
    assert response["Location"] == _url("sop_review", draft)
    admin_client.force_login(eko)
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.PUBLISHED
    assert str(draft.effective_on) == "2026-05-04"
    page = admin_client.get(_url("sop_version", draft)).content.decode()
    assert "Perbaiki nomor" in page and "workflows.sop_version.approved" in page
    response = admin_client.post(_url("sop_new_draft"))
    assert response["Location"] == _url("sop_version", SopVersion(sop=draft.sop, version=3))


def test_a_locked_version_cannot_be_edited_through_the_forms(admin_client, published):
    response = admin_client.post(_url("sop_identity", published), {"name": "Diubah"}, follow=True)
    assert "no longer a draft" in response.content.decode()
    published.refresh_from_db()
    assert published.name != "Diubah"


def test_the_diff_page_highlights_changed_time_norms(admin_client, published, draft):
    admin_client.post(
        _url("sop_step_edit", draft, 3),
        {
            "symbol": "process",
            "activity": "Memberikan rekomendasi teknis",
            "performer": "opd",
            "next_no": "4",
            "duration_value": "5",
            "duration_unit": "days",
            "output": "Hasil",
            "action": "recommend",
        },
    )
    response = admin_client.get(_url("sop_diff"), {"a": 1, "b": 2})
    html = response.content.decode()
    assert "Time norms changed" in html
    assert "3 working days → <strong>5 working days</strong>" in html


def test_xlsx_download_and_upload_through_the_pages(admin_client, published):
    response = admin_client.get(_url("sop_xlsx", published))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    wb["Langkah"]["C3"] = "Mengajukan permohonan izin"
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    upload.name = "sop.xlsx"
    response = admin_client.post(_url("sop_upload"), {"workbook": upload}, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        _url("sop_version", published.sop.versions.get(version=2))
    )
    assert (
        published.sop.versions.get(version=2).steps.get(no=1).activity
        == "Mengajukan permohonan izin"
    )


def test_a_bad_upload_lists_its_problems_and_saves_nothing(admin_client, published):
    wb = load_workbook(io.BytesIO(workbook_bytes(published)))
    wb["Langkah"]["L4"] = None
    upload = io.BytesIO()
    wb.save(upload)
    upload.seek(0)
    upload.name = "sop.xlsx"
    response = admin_client.post(_url("sop_upload"), {"workbook": upload}, follow=True)
    # Parsed in the worker (eager here); the result page lists the problems.
    assert "/unggah/" in response.redirect_chain[-1][0]
    assert response.status_code == 400
    assert "Langkah!L4" in response.content.decode()
    assert published.sop.versions.count() == 1


def test_creating_a_new_sop(admin_client, db):
    response = admin_client.post(reverse("workflows:sop_new"), {"code": "UJI-1", "name": "SOP Uji"})
    assert response.status_code == 302
    assert SopVersion.objects.get(sop__code="UJI-1").name == "SOP Uji"
