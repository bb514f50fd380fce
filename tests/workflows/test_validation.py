"""The rules of the ``sop`` object: each rule refuses a document with its path and step."""

import pytest
from django.utils import translation

from tests.data import valid_document
from workflows.validation import Problem, validate_sop

KNOWN = {"DPMPTSP", "DISHUB", "DINKES"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def problems_of(sop, technical=("DISHUB",)):
    return validate_sop(sop, technical_agencies=list(technical), known_agencies=KNOWN)


def sop_with(change):
    sop = valid_document()["sop"]
    change(sop)
    return sop


def test_it_accepts_the_valid_example():
    assert problems_of(valid_document()["sop"]) == []


def test_it_accepts_a_minimal_sop_with_default_next_steps():
    sop = {
        "name": "Pelayanan singkat",
        "performers": [
            {"key": "applicant", "title": "Pemohon", "role": "applicant"},
            {"key": "fo", "title": "Petugas", "role": "front_office", "agency": "DPMPTSP"},
        ],
        "steps": [
            {"no": 1, "symbol": "terminator", "activity": "Mengajukan", "performer": "applicant"},
            {"no": 2, "symbol": "process", "activity": "Memproses", "performer": "fo"},
            {"no": 3, "symbol": "terminator", "activity": "Menyerahkan", "performer": "fo"},
        ],
    }
    assert problems_of(sop, technical=()) == []


def _del(key):
    return lambda d: d.pop(key)


def _step(i, **changes):
    def change(sop):
        for key, value in changes.items():
            if value is _DELETE:
                sop["steps"][i].pop(key)
            else:
                sop["steps"][i][key] = value

    return change


def _performer(i, **changes):
    def change(sop):
        sop["performers"][i].update(changes)

    return change


_DELETE = object()


def _append_performer(sop):
    sop["performers"].append(
        {"key": "cashier", "title": "Kasir", "role": "cashier", "agency": "DPMPTSP"}
    )


def _swap_last_steps(sop):
    sop["steps"][5], sop["steps"][6] = sop["steps"][6], sop["steps"][5]


# (id, change, expected path, expected step number, words of the message)
CASES = [
    ("name-missing", _del("name"), "sop.name", None, "required"),
    ("name-null", lambda s: s.update(name=None), "sop.name", None, "null"),
    ("name-blank", lambda s: s.update(name="  "), "sop.name", None, "empty"),
    ("name-too-long", lambda s: s.update(name="x" * 256), "sop.name", None, "at most 255"),
    ("performers-missing", _del("performers"), "sop.performers", None, "required"),
    ("steps-missing", _del("steps"), "sop.steps", None, "required"),
    ("unknown-sop-key", lambda s: s.update(colour="red"), "sop.colour", None, "Unknown key"),
    ("made-on-format", lambda s: s.update(made_on="02-03-2026"), "sop.made_on", None, "YYYY"),
    (
        "effective-not-real",
        lambda s: s.update(effective_on="2026-02-30"),
        "sop.effective_on",
        None,
        "not a real date",
    ),
    ("date-number", lambda s: s.update(revised_on=20260101), "sop.revised_on", None, "YYYY"),
    (
        "approved-by-unknown-key",
        lambda s: s["approved_by"].update(stamp="yes"),
        "sop.approved_by.stamp",
        None,
        "Unknown key",
    ),
    (
        "approved-by-string",
        lambda s: s.update(approved_by="Kepala"),
        "sop.approved_by",
        None,
        "object",
    ),
    ("list-is-string", lambda s: s.update(equipment="Komputer"), "sop.equipment", None, "list"),
    ("list-item-number", lambda s: s.update(warnings=["ok", 3]), "sop.warnings[1]", None, "text"),
    (
        "performers-not-list",
        lambda s: s.update(performers={"fo": {}}),
        "sop.performers",
        None,
        "list",
    ),
    (
        "performer-unknown-key",
        _performer(1, colour="blue"),
        "sop.performers[1].colour",
        None,
        "Unknown key",
    ),
    (
        "performer-title-missing",
        lambda s: s["performers"][1].pop("title"),
        "sop.performers[1].title",
        None,
        "required",
    ),
    (
        "performer-role",
        _performer(1, role="clerk"),
        "sop.performers[1].role",
        None,
        "Unknown value",
    ),
    (
        "performer-agency-unknown",
        _performer(1, agency="DISHUBX"),
        "sop.performers[1].agency",
        None,
        "Unknown agency",
    ),
    (
        "performer-key-invalid",
        _performer(3, key="back office"),
        "sop.performers[3].key",
        None,
        "letters",
    ),
    (
        "performer-key-duplicate",
        _performer(4, key="bo"),
        "sop.performers[4].key",
        None,
        "more than once",
    ),
    ("performer-unused", _append_performer, "sop.performers[5].key", None, "no step uses"),
    ("steps-not-list", lambda s: s.update(steps="1-7"), "sop.steps", None, "list"),
    ("steps-empty", lambda s: s.update(steps=[]), "sop.steps", None, "at least two"),
    (
        "step-not-object",
        lambda s: s["steps"].__setitem__(3, "Menelaah"),
        "sop.steps[3]",
        None,
        "object",
    ),
    ("step-unknown-key", _step(2, colour="red"), "sop.steps[2].colour", 3, "Unknown key"),
    ("step-activity-missing", _step(1, activity=_DELETE), "sop.steps[1].activity", 2, "required"),
    ("step-activity-blank", _step(1, activity=" "), "sop.steps[1].activity", 2, "empty"),
    ("step-no-string", _step(0, no="1"), "sop.steps[0].no", None, "whole number"),
    ("step-no-bool", _step(0, no=True), "sop.steps[0].no", None, "whole number"),
    ("step-no-zero", _step(0, no=0), "sop.steps[0].no", None, "positive"),
    ("step-numbers-gap", _step(6, no=8), "sop.steps", None, "missing: 7"),
    ("step-number-duplicate", _step(3, no=3), "sop.steps[3].no", 3, "more than once"),
    ("steps-out-of-order", _swap_last_steps, "sop.steps", None, "order"),
    ("step-symbol-unknown", _step(2, symbol="circle"), "sop.steps[2].symbol", 3, "Unknown value"),
    (
        "first-not-terminator",
        _step(0, symbol="process"),
        "sop.steps[0].symbol",
        1,
        "first step must be a terminator",
    ),
    ("no-final-terminator", _step(6, symbol="process"), "sop.steps", None, "final terminator"),
    ("next-missing-step", _step(2, next=12), "sop.steps[2].next", 3, "does not exist"),
    ("next-string", _step(2, next="4"), "sop.steps[2].next", 3, "whole number"),
    ("on-yes-missing-step", _step(1, on_yes=9), "sop.steps[1].on_yes", 2, "does not exist"),
    (
        "decision-without-on-no",
        _step(3, on_no=_DELETE),
        "sop.steps[3].on_no",
        4,
        "both on_yes and on_no",
    ),
    ("decision-same-exits", _step(3, on_no=5), "sop.steps[3].on_no", 4, "different"),
    ("decision-with-next", _step(1, next=3), "sop.steps[1].next", 2, "decision has no next"),
    ("process-with-on-yes", _step(2, on_yes=4), "sop.steps[2].on_yes", 3, "Only a decision"),
    (
        "final-terminator-with-next",
        _step(6, next=1),
        "sop.steps[6].next",
        7,
        "later terminator ends",
    ),
    (
        "last-process-without-next",
        lambda s: (s["steps"].pop(), s["steps"][5].pop("next")),
        "sop.steps[5].next",
        6,
        "no following step",
    ),
    ("unreachable-step", _step(3, on_no=7), "sop.steps[5]", 6, "No path from step 1"),
    ("never-ends", _step(5, next=6), "sop.steps[5]", 6, "never ends"),
    (
        "performer-undeclared",
        _step(2, performer="kasir"),
        "sop.steps[2].performer",
        3,
        "not declared",
    ),
    ("performer-not-text", _step(2, performer=3), "sop.steps[2].performer", 3, "performer key"),
    (
        "duration-unit",
        _step(0, duration={"value": 1, "unit": "months"}),
        "sop.steps[0].duration.unit",
        1,
        "Unknown value",
    ),
    (
        "duration-zero",
        _step(0, duration={"value": 0, "unit": "days"}),
        "sop.steps[0].duration.value",
        1,
        "positive",
    ),
    (
        "duration-negative",
        _step(0, duration={"value": -2, "unit": "days"}),
        "sop.steps[0].duration.value",
        1,
        "positive",
    ),
    (
        "duration-string",
        _step(0, duration={"value": "15", "unit": "minutes"}),
        "sop.steps[0].duration.value",
        1,
        "whole number",
    ),
    (
        "duration-float",
        _step(0, duration={"value": 1.5, "unit": "hours"}),
        "sop.steps[0].duration.value",
        1,
        "whole number",
    ),
    (
        "duration-no-unit",
        _step(0, duration={"value": 3}),
        "sop.steps[0].duration.unit",
        1,
        "required",
    ),
    (
        "duration-unknown-key",
        _step(0, duration={"value": 3, "unit": "days", "per": "x"}),
        "sop.steps[0].duration.per",
        1,
        "Unknown key",
    ),
    ("duration-string-whole", _step(0, duration="3 days"), "sop.steps[0].duration", 1, "object"),
    (
        "requirements-string",
        _step(0, requirements="Formulir"),
        "sop.steps[0].requirements",
        1,
        "list",
    ),
    ("output-number", _step(0, output=5), "sop.steps[0].output", 1, "text or a list"),
    ("output-list-of-numbers", _step(2, output=["BAP", 2]), "sop.steps[2].output[1]", 3, "text"),
    ("notes-list", _step(1, notes=["a"]), "sop.steps[1].notes", 2, "text"),
    ("action-unknown", _step(2, action="approve"), "sop.steps[2].action", 3, "Unknown value"),
    (
        "check-not-on-decision",
        _step(2, action="check"),
        "sop.steps[2].action",
        3,
        "belongs on a decision",
    ),
    (
        "decide-on-terminator",
        _step(6, action="decide"),
        "sop.steps[6].action",
        7,
        "belongs on a decision",
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "step", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_it_refuses_each_broken_rule_with_its_path_and_step(change, path, step, words):
    problems = problems_of(sop_with(change))
    matching = [p for p in problems if p.path == path and p.step == step]
    assert matching, f"no problem at {path} (step {step}) in {[str(p) for p in problems]}"
    assert any(words in p.message for p in matching), [p.message for p in matching]


def test_it_refuses_technical_performers_when_the_service_lists_no_technical_agency():
    problems = problems_of(valid_document()["sop"], technical=())
    assert [(p.path, p.step) for p in problems] == [("sop.performers[2].agency", None)]
    assert "*technical*" in problems[0].message


def test_it_lists_every_problem_of_a_document_at_once():
    sop = valid_document()["sop"]
    sop["made_on"] = "2026-13-01"
    sop["steps"][2]["duration"]["unit"] = "fortnights"
    sop["steps"][3]["on_no"] = 5
    sop["performers"][1]["agency"] = "NOWHERE"
    paths = {p.path for p in problems_of(sop)}
    assert {
        "sop.made_on",
        "sop.steps[2].duration.unit",
        "sop.steps[3].on_no",
        "sop.performers[1].agency",
    } <= paths


def test_it_does_not_crash_on_any_json_value():
    assert [p.path for p in problems_of(["steps"])] == ["sop"]
    for value in (None, [], "sop", 3, True, {"steps": [None, 1, [], {}]}, {"performers": [1]}):
        assert problems_of(value), value


def test_a_problem_reads_path_step_and_message():
    assert str(Problem("sop.steps[2].on_yes", "Step 9 does not exist.", 3)) == (
        "sop.steps[2].on_yes (step 3): Step 9 does not exist."
    )
    assert str(Problem("sop.name", "Must not be empty.")) == "sop.name: Must not be empty."
    assert str(Problem("", "Not valid JSON.")) == "Not valid JSON."
