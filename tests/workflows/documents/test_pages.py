"""Access to the document pages: administrators only, published SOP PDFs public."""

import pytest
from django.urls import reverse

from tests.factories import build_sop_version
from workflows import decrees

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login_page(client, eko):
    decree = decrees.new_decree(year=2026, by=eko)

    for url in (
        reverse("workflows:decree_list"),
        reverse("workflows:decree_detail", args=[decree.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_refuses_staff_who_are_not_administrators(client, budi, eko, small_sop):
    decree = decrees.new_decree(year=2026, by=eko)
    client.force_login(budi)

    assert client.get(reverse("workflows:decree_list")).status_code == 403
    assert client.get(reverse("workflows:decree_detail", args=[decree.pk])).status_code == 403
    assert client.get(reverse("workflows:sop_preview", args=[small_sop.pk])).status_code == 403


def test_it_lets_an_administrator_draft_a_decree_and_choose_annexes(client, eko, small_sop):
    client.force_login(eko)

    form = client.get(reverse("workflows:decree_create"))
    assert "bahwa berdasarkan pertimbangan" in form.content.decode()
    response = client.post(
        reverse("workflows:decree_create"),
        {
            "number": "188.4/7",
            "year": 2026,
            "title": "SOP Pelayanan",
            "menimbang": "bahwa satu;\nbahwa dua;",
            "mengingat": "Undang-Undang Nomor 25 Tahun 2009;",
            "dictums": "Menetapkan.\nBerlaku.",
            "place": "Kendari",
            "signatory_position": "GUBERNUR SULAWESI TENGGARA",
            "tembusan": "",
            "status": "draft",
        },
    )
    assert response.status_code == 302
    decree = decrees.Decree.objects.get(number="188.4/7")
    assert decree.menimbang == ["bahwa satu;", "bahwa dua;"]

    client.post(reverse("workflows:decree_annexes", args=[decree.pk]), {"versions": [small_sop.pk]})
    assert [a.version for a in decree.annexes.all()] == [small_sop]
    page = client.get(reverse("workflows:decree_detail", args=[decree.pk])).content.decode()
    assert small_sop.name in page and "Render the PDF" in page


def test_it_serves_a_published_sop_pdf_to_anyone_but_drafts_only_to_administrators(
    client, eko, small_sop, akdp
):
    response = client.get(reverse("workflows:sop_pdf", args=[small_sop.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    draft = build_sop_version(akdp, publish=False)
    assert client.get(reverse("workflows:sop_pdf", args=[draft.pk])).status_code == 302
    client.force_login(eko)
    assert client.get(reverse("workflows:sop_pdf", args=[draft.pk])).status_code == 200
