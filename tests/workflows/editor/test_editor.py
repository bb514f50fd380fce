"""The editor's writes on a draft: identity, performers, steps; numbering and exits stay
consistent, non-drafts are refused, every write is audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sop_portal.models import AuditEntry
from workflows import editor
from workflows.models import SopPerformer, SopStep, SopVersionLocked, Symbol
from workflows.versions import content_problems

from .conftest import exits


def _step(version, no) -> SopStep:
    return version.steps.get(no=no)


def _performer(version, key) -> SopPerformer:
    return version.performers.get(key=key)


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# --- identity --------------------------------------------------------------------------------


def test_it_updates_the_identity_and_records_what_changed(draft, eko):
    editor.update_identity(
        draft,
        {
            "name": "  Pelayanan Izin AKDP  ",
            "effective_on": datetime.date(2026, 3, 1),
            "equipment": "Komputer\n\n Printer \n",
        },
        by=eko,
    )
    draft.refresh_from_db()
    assert draft.name == "Pelayanan Izin AKDP"
    assert draft.effective_on == datetime.date(2026, 3, 1)
    assert draft.equipment == ["Komputer", "Printer"]
    entry = AuditEntry.objects.get(action="workflows.sop_version.identity_updated")
    assert entry.actor == eko
    assert entry.after == {
        "name": "Pelayanan Izin AKDP",
        "effective_on": "2026-03-01",
        "equipment": ["Komputer", "Printer"],
    }


def test_it_refuses_an_empty_sop_name(draft):
    with pytest.raises(ValidationError) as exc:
        editor.update_identity(draft, {"name": " "})
    assert "name" in exc.value.message_dict
    assert not AuditEntry.objects.exists()


def test_it_refuses_every_write_on_a_published_version(published, eko):
    step, performer = _step(published, 2), _performer(published, "fo")
    writes = [
        lambda: editor.update_identity(published, {"name": "Lain"}, by=eko),
        lambda: editor.add_performer(published, key="x", title="X", role="other"),
        lambda: editor.update_performer(performer, title="Lain"),
        lambda: editor.move_performer(performer, 1),
        lambda: editor.delete_performer(_performer(published, "head")),
        lambda: editor.add_step(published, symbol="process", activity="Baru", performer=performer),
        lambda: editor.update_step(step, activity="Lain"),
        lambda: editor.move_step(step, 1),
        lambda: editor.delete_step(_step(published, 3)),
    ]
    for write in writes:
        with pytest.raises(SopVersionLocked):
            write()
    published.refresh_from_db()
    assert published.name.startswith("Pelayanan") and published.steps.count() == 4
    assert not AuditEntry.objects.exists()


# --- performers ------------------------------------------------------------------------------


def test_it_adds_a_performer_as_the_last_column(draft, dpmptsp, eko):
    performer = editor.add_performer(
        draft, key="bo", title="Petugas Back Office", role="back_office", agency=dpmptsp, by=eko
    )
    keys = list(draft.performers.order_by("position").values_list("key", flat=True))
    assert keys == ["applicant", "fo", "opd", "head", "bo"]
    assert performer.position == 5
    assert _actions() == ["workflows.sop_performer.added"]


def test_it_refuses_a_duplicate_or_malformed_performer_key(draft):
    with pytest.raises(ValidationError) as exc:
        editor.add_performer(draft, key="fo", title="Lagi", role="front_office")
    assert "more than once" in exc.value.message_dict["key"][0]
    with pytest.raises(ValidationError) as exc:
        editor.add_performer(draft, key="front office", title="Lagi", role="front_office")
    assert "key" in exc.value.message_dict


def test_it_refuses_an_agency_together_with_the_technical_agencies(draft, dishub):
    with pytest.raises(ValidationError) as exc:
        editor.update_performer(_performer(draft, "opd"), agency=dishub)
    assert "agency" in exc.value.message_dict


def test_it_renames_a_performer_and_its_steps_follow(draft):
    editor.update_performer(_performer(draft, "fo"), key="loket", title="Petugas Loket")
    assert _step(draft, 2).performer.key == "loket"
    assert content_problems(draft) == []
    entry = AuditEntry.objects.get(action="workflows.sop_performer.updated")
    assert (entry.before["key"], entry.after["key"]) == ("fo", "loket")


def test_it_reorders_performers(draft):
    editor.move_performer(_performer(draft, "head"), -1)
    editor.move_performer(_performer(draft, "applicant"), -1)  # already first: nothing
    keys = list(draft.performers.order_by("position").values_list("key", flat=True))
    assert keys == ["applicant", "fo", "head", "opd"]
    assert _actions() == ["workflows.sop_performer.moved"]


def test_it_deletes_only_an_unused_performer(draft):
    with pytest.raises(ValidationError) as exc:
        editor.delete_performer(_performer(draft, "fo"))
    assert "Steps 2" in exc.value.messages[0]
    extra = editor.add_performer(draft, key="bo", title="Back Office", role="back_office")
    editor.move_performer(extra, -1)
    editor.delete_performer(extra)
    assert list(draft.performers.order_by("position").values_list("key", "position")) == [
        ("applicant", 1),
        ("fo", 2),
        ("opd", 3),
        ("head", 4),
    ]
    assert _actions()[-1] == "workflows.sop_performer.deleted"


# --- steps -----------------------------------------------------------------------------------


def test_it_inserts_a_step_and_shifts_later_numbers_and_their_exits(draft, eko):
    step = editor.add_step(
        draft,
        at=3,
        symbol=Symbol.PROCESS,
        activity="Melakukan survei lapangan",
        performer=_performer(draft, "opd"),
        duration_value=2,
        duration_unit="days",
        requirements="Berkas lengkap\nJadwal survei",
        output="Berita acara survei",
        next_no=4,
        by=eko,
    )
    assert step.no == 3 and step.requirements == ["Berkas lengkap", "Jadwal survei"]
    assert exits(draft) == [
        (1, "Mengajukan permohonan", 2, None, None),
        (2, "Memeriksa kelengkapan berkas", None, 4, 1),  # yes still leads to the recommendation
        (3, "Melakukan survei lapangan", 4, None, None),
        (4, "Memberikan rekomendasi teknis", 5, None, None),
        (5, "Menandatangani keputusan izin", None, None, None),
    ]
    entry = AuditEntry.objects.get(action="workflows.sop_step.added")
    assert entry.after["activity"] == "Melakukan survei lapangan" and entry.actor == eko


def test_it_appends_a_step_at_the_end_by_default(draft):
    step = editor.add_step(
        draft, symbol="terminator", activity="Menyerahkan izin", performer=_performer(draft, "fo")
    )
    assert step.no == 5


def test_it_checks_a_steps_fields(draft, published):
    foreign = _performer(published, "fo")
    with pytest.raises(ValidationError) as exc:
        editor.add_step(
            draft,
            symbol="circle",
            activity=" ",
            performer=foreign,
            duration_value=3,
            next_no=0,
            action="fly",
        )
    assert set(exc.value.message_dict) == {
        "symbol",
        "activity",
        "performer",
        "duration_value",
        "next_no",
        "action",
    }
    assert draft.steps.count() == 4


def test_it_updates_a_step_and_drops_exits_that_its_symbol_does_not_have(draft, eko):
    editor.update_step(_step(draft, 3), symbol=Symbol.DECISION, yes_no=4, no_no=2, by=eko)
    assert exits(draft)[2] == (3, "Memberikan rekomendasi teknis", None, 4, 2)
    editor.update_step(_step(draft, 3), symbol=Symbol.PROCESS, next_no=4)
    assert exits(draft)[2] == (3, "Memberikan rekomendasi teknis", 4, None, None)
    entry = AuditEntry.objects.filter(action="workflows.sop_step.updated").order_by("id").first()
    assert entry.before == {"symbol": "process", "next_no": 4, "yes_no": None, "no_no": None}
    assert entry.after == {"symbol": "decision", "next_no": None, "yes_no": 4, "no_no": 2}


def test_a_decision_with_one_exit_is_reported_at_its_step(draft):
    editor.update_step(_step(draft, 2), no_no=None)
    problems = content_problems(draft)
    assert [(p.path, p.step) for p in problems] == [("sop.steps[1].on_no", 2)]
    assert "both on_yes and on_no" in problems[0].message


def test_it_moves_a_step_and_every_exit_keeps_its_target(draft, eko):
    editor.move_step(_step(draft, 3), -1, by=eko)
    assert exits(draft) == [
        (1, "Mengajukan permohonan", 3, None, None),
        (2, "Memberikan rekomendasi teknis", 4, None, None),
        (3, "Memeriksa kelengkapan berkas", None, 2, 1),
        (4, "Menandatangani keputusan izin", None, None, None),
    ]
    # Same flow, different order: still valid.
    assert content_problems(draft) == []
    entry = AuditEntry.objects.get(action="workflows.sop_step.moved")
    assert (entry.before, entry.after) == ({"no": 3}, {"no": 2})


def test_moving_the_first_step_up_changes_nothing(draft):
    before = exits(draft)
    editor.move_step(_step(draft, 1), -1)
    editor.move_step(_step(draft, 4), 1)
    assert exits(draft) == before
    assert not AuditEntry.objects.exists()


def test_it_deletes_a_step_and_sends_its_callers_to_its_exit(draft, eko):
    editor.delete_step(_step(draft, 3), by=eko)
    assert exits(draft) == [
        (1, "Mengajukan permohonan", 2, None, None),
        (2, "Memeriksa kelengkapan berkas", None, 3, 1),
        (3, "Menandatangani keputusan izin", None, None, None),
    ]
    editor.delete_performer(_performer(draft, "opd"))  # its only step is gone
    assert content_problems(draft) == []
    entry = AuditEntry.objects.get(action="workflows.sop_step.deleted")
    assert entry.before["activity"] == "Memberikan rekomendasi teknis"
    assert entry.after == {"redirected": [2], "to": 4}


def test_it_refuses_to_delete_a_decision_other_steps_lead_to(draft):
    with pytest.raises(ValidationError) as exc:
        editor.delete_step(_step(draft, 2))
    assert "Steps 1 lead to this step" in exc.value.messages[0]
    assert draft.steps.count() == 4 and not AuditEntry.objects.exists()


def test_it_follows_an_implicit_next_when_deleting(draft):
    editor.update_step(_step(draft, 1), next_no=None)  # "the following step"
    editor.update_step(_step(draft, 2), symbol="process", next_no=3)
    editor.delete_step(_step(draft, 2))
    assert exits(draft)[0][2] == 2  # goes on to what followed the deleted step
    assert [p.message for p in content_problems(draft)] == [
        'Performer "fo" is declared but no step uses it.'
    ]
