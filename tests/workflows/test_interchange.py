"""The ``sop`` part of the format <-> SopVersion, without any service."""

from tests.data import valid_document
from tests.factories import ServiceFactory, build_sop_version
from workflows.interchange import create_version_from_dict, sop_to_dict
from workflows.models import Sop, SopVersion
from workflows.validation import validate_sop


def test_it_writes_a_version_in_normal_form(dpmptsp):
    version = build_sop_version(ServiceFactory(code="DISHUB-AKDP"), publish=False)
    data = sop_to_dict(version)
    assert [p["agency"] for p in data["performers"]] == [None, "DPMPTSP", "*technical*", "DPMPTSP"]
    decision = data["steps"][1]
    assert (decision["on_yes"], decision["on_no"]) == (3, 1) and "next" not in decision
    assert "next" not in data["steps"][3] and "on_yes" not in data["steps"][3]
    assert data["steps"][0]["output"] == "Hasil"
    assert data["made_on"] is None and data["warnings"] == []
    assert data["approved_by"] == {"position": "", "name": "", "nip": ""}


def test_it_creates_draft_version_n_plus_1_from_a_dict(dpmptsp, dishub, eko):
    sop = Sop.objects.create(code="DISHUB-ASK")
    data = valid_document()["sop"]
    assert validate_sop(data, technical_agencies=["DISHUB"], known_agencies={"DPMPTSP"}) == []
    first = create_version_from_dict(sop, data, actor=eko)
    second = create_version_from_dict(sop, sop_to_dict(first), actor=eko)
    assert [(v.version, v.status) for v in (first, second)] == [
        (1, SopVersion.Status.DRAFT),
        (2, SopVersion.Status.DRAFT),
    ]
    assert sop_to_dict(second) == sop_to_dict(first) == data
    assert second.created_by == eko
    assert str(second.effective_on) == "2026-03-16"
