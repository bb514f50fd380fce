"""A service's renewal and amendment SOPs (issue 13 leftover): the public services API and the
XLSX template name each SOP's kind and serve the renewal/amendment ones too, not only the main
SOP."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ServiceFactory, build_sop_version
from workflows import spreadsheet
from workflows.models import Sop

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewal(akdp):
    """AKDP's own renewal SOP (version 1, published), built on a scratch service and moved."""
    scratch = ServiceFactory(code="SCRATCH-RENEWAL", name="Perpanjangan Izin AKDP")
    version = build_sop_version(scratch)
    sop = scratch.sop
    scratch.sop = None
    scratch.save(update_fields=["sop"])
    sop.code = "DISHUB-AKDP:renewal"
    sop.save(update_fields=["code"])
    akdp.renewal_sop = sop
    akdp.save(update_fields=["renewal_sop"])
    version.refresh_from_db()
    return version


def test_the_service_lists_each_of_its_sops_by_kind(api, akdp, renewal):
    body = api.get("/api/v1/services/DISHUB-AKDP/").json()
    kinds = [(s["purpose"], s["name"]) for s in body["sops"]]
    assert kinds == [
        ("new", "Pelayanan Izin Penyelenggaraan Angkutan AKDP"),
        ("renewal", "Pelayanan Perpanjangan Izin AKDP"),
    ]
    assert body["sops"][1]["url"].endswith("/api/v1/services/DISHUB-AKDP/sop/?purpose=renewal")


def test_the_sop_endpoint_serves_the_renewal_sop(api, akdp, renewal):
    main = api.get("/api/v1/services/DISHUB-AKDP/sop/").json()
    assert (main["purpose"], main["name"]) == (
        "new",
        "Pelayanan Izin Penyelenggaraan Angkutan AKDP",
    )
    shown = api.get("/api/v1/services/DISHUB-AKDP/sop/", {"purpose": "renewal"})
    assert shown.status_code == 200
    assert (shown.json()["purpose"], shown.json()["name"]) == (
        "renewal",
        "Pelayanan Perpanjangan Izin AKDP",
    )
    assert [s["no"] for s in shown.json()["steps"]] == [1, 2, 3, 4]
    # No amendment SOP of its own: 404; an unknown kind: 400 with the field named.
    assert api.get("/api/v1/services/DISHUB-AKDP/sop/", {"purpose": "amendment"}).status_code == 404
    bad = api.get("/api/v1/services/DISHUB-AKDP/sop/", {"purpose": "extension"})
    assert bad.status_code == 400 and "purpose" in bad.json()


def _identity(content: bytes) -> dict:
    ws = load_workbook(io.BytesIO(content))[spreadsheet.IDENTITY]
    return {row[0]: row[2] for row in ws.iter_rows(min_row=2, values_only=True)}


def test_the_xlsx_template_says_which_sop_it_is(client, eko, akdp, renewal):
    client.force_login(eko)
    main = client.get(reverse("workflows:sop_xlsx", args=["DISHUB-AKDP", 1]))
    assert _identity(main.content)["purpose"] == "new"
    response = client.get(reverse("workflows:sop_xlsx", args=["DISHUB-AKDP:renewal", 1]))
    assert response.status_code == 200
    identity = _identity(response.content)
    assert (identity["purpose"], identity["name"]) == (
        "renewal",
        "Pelayanan Perpanjangan Izin AKDP",
    )
    blank = client.get(reverse("workflows:sop_xlsx_blank"))
    assert "purpose" in _identity(blank.content)


def test_a_renewal_workbook_is_refused_on_the_main_sop(akdp, renewal):
    content = spreadsheet.workbook_bytes(renewal)
    data = spreadsheet.sop_from_workbook(io.BytesIO(content), renewal.sop)
    assert data["name"] == "Pelayanan Perpanjangan Izin AKDP"
    with pytest.raises(spreadsheet.InvalidWorkbook) as refused:
        spreadsheet.sop_from_workbook(io.BytesIO(content), Sop.objects.get(code="DISHUB-AKDP"))
    problem = refused.value.problems[0]
    last_row = 2 + len(spreadsheet.IDENTITY_KEYS)  # after the identity fields
    assert (problem.sheet, problem.cell) == (spreadsheet.IDENTITY, f"C{last_row}")
    assert "renewal" in problem.message
