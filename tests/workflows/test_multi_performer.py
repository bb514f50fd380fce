"""Steps of several performers and short header labels: in the format (backward compatible: one
performer stays a string), validation, the editor, the XLSX template and the engine's choice of
who gets the task."""

import io

import pytest
from openpyxl import load_workbook

from tests.data import valid_document
from tests.factories import ServiceFactory, build_sop_version
from workflows import editor
from workflows.interchange import create_version_from_dict, sop_to_dict
from workflows.models import Sop
from workflows.spreadsheet import STEP_COLUMNS, STEPS, import_workbook, workbook_bytes
from workflows.validation import validate_sop
from workflows.versions import delete_draft

pytestmark = pytest.mark.django_db


def _shared(data: dict) -> dict:
    """The valid example with its first step done by the applicant and the counter officer,
    and a short label on the second performer."""
    keys = [p["key"] for p in data["performers"]]
    data["steps"][0]["performer"] = [keys[0], keys[1]]
    data["performers"][1]["short"] = "FO"
    return data


def test_the_format_takes_a_list_of_performers_and_a_short_label(dpmptsp, dishub, eko):
    data = _shared(valid_document()["sop"])
    assert validate_sop(data, technical_agencies=["DISHUB"], known_agencies={"DPMPTSP"}) == []

    version = create_version_from_dict(Sop.objects.create(code="DISHUB-ASK"), data, actor=eko)
    first = version.steps.get(no=1)

    assert first.performer.key == data["steps"][0]["performer"][0]  # the task's performer
    assert first.also_performers == [data["steps"][0]["performer"][1]]
    assert version.performers.get(position=2).short_title == "FO"
    assert sop_to_dict(version) == data  # round trip; one performer stays a plain string
    assert isinstance(sop_to_dict(version)["steps"][1]["performer"], str)


def test_validation_refuses_unknown_or_repeated_performers():
    data = valid_document()["sop"]
    key = data["performers"][0]["key"]
    data["steps"][0]["performer"] = [key, "nobody"]
    data["steps"][1]["performer"] = [key, key]
    data["performers"][0]["short"] = "x" * 31
    problems = [
        str(p)
        for p in validate_sop(data, technical_agencies=["DISHUB"], known_agencies={"DPMPTSP"})
    ]

    assert any("nobody" in p for p in problems)
    assert any("listed twice" in p for p in problems)
    assert any("short" in p for p in problems)


def test_the_workbook_carries_shared_steps_and_short_labels(dpmptsp, dishub, eko):
    service = ServiceFactory(code="BERSAMA-XLSX")
    service.technical_agencies.add(dishub)
    draft = build_sop_version(service, publish=False)
    performers = list(draft.performers.order_by("position"))
    editor.update_step(draft.steps.get(no=1), also_performers=[performers[1].key])
    editor.update_performer(performers[1], short_title="FO")
    expected = sop_to_dict(draft)
    assert expected["steps"][0]["performer"] == [performers[0].key, performers[1].key]
    wb = load_workbook(io.BytesIO(workbook_bytes(draft)))
    assert wb[STEPS].cell(2, len(STEP_COLUMNS)).value == "also"
    delete_draft(draft)

    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    assert sop_to_dict(import_workbook(out, draft.sop, by=eko)) == expected


def test_the_editor_keeps_further_performers_in_column_order_and_the_task_goes_to_the_first(
    dpmptsp,
):
    draft = build_sop_version(ServiceFactory(code="BERSAMA"), publish=False)
    performers = list(draft.performers.order_by("position"))
    step = draft.steps.get(no=1)

    editor.update_step(step, also_performers=[performers[2].key, performers[1].key])
    step.refresh_from_db()

    assert step.also_performers == [performers[1].key, performers[2].key]
    assert step.performer == performers[0]
    with pytest.raises(Exception, match="performers"):
        editor.update_step(step, also_performers=["nobody"])
