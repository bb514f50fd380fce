"""The difference between two versions: identity, performers, steps and time norms."""

from workflows import editor
from workflows.diff import diff_versions
from workflows.versions import new_draft


def test_two_copies_do_not_differ(published):
    draft = new_draft(published.sop)
    diff = diff_versions(published, draft)
    assert diff.is_empty and diff.steps_unchanged == 4


def test_it_lists_what_changed_between_versions(published, draft, dpmptsp):
    editor.update_identity(draft, {"name": "Pelayanan Baru", "equipment": "Komputer"})
    fo = draft.performers.get(key="fo")
    editor.update_performer(fo, title="Petugas Loket")
    editor.add_performer(draft, key="bo", title="Back Office", role="back_office", agency=dpmptsp)
    editor.add_step(
        draft,
        at=4,
        symbol="process",
        activity="Menyusun draf keputusan",
        performer=draft.performers.get(key="bo"),
        duration_value=1,
        duration_unit="days",
    )
    editor.update_step(draft.steps.get(no=3), duration_value=5, notes="Dengan survei")
    editor.update_step(draft.steps.get(no=2), activity="Memverifikasi berkas")

    diff = diff_versions(published, draft)

    assert {c.field: (c.before, c.after) for c in diff.identity} == {
        "number": ("SOP/DISHUB-AKDP/1", "SOP/DISHUB-AKDP/2"),
        "name": (published.name, "Pelayanan Baru"),
        "equipment": ([], ["Komputer"]),
    }
    assert [p["key"] for p in diff.performers_added] == ["bo"]
    assert diff.performers_removed == []
    assert [(k, [(c.field, c.after) for c in ch]) for k, ch in diff.performers_changed] == [
        ("fo", [("title", "Petugas Loket")])
    ]
    assert [s["activity"] for s in diff.steps_added] == ["Menyusun draf keputusan"]
    assert diff.steps_removed == []
    changed = {
        c.after["no"]: {ch.field: (ch.before, ch.after) for ch in c.changes}
        for c in diff.steps_changed
    }
    # Step 2 was renamed: matched by number, its activity changed.
    assert changed[2] == {"activity": ("Memeriksa kelengkapan berkas", "Memverifikasi berkas")}
    assert changed[3]["duration"] == ({"value": 3, "unit": "days"}, {"value": 5, "unit": "days"})
    assert changed[3]["notes"] == ("", "Dengan survei")
    # The signing step moved from 4 to 5: its number changed, nothing else.
    assert changed[5] == {"no": (4, 5)}
    assert [c.after["no"] for c in diff.time_norms_changed] == [3]


def test_it_lists_removed_steps(published, draft):
    editor.delete_step(draft.steps.get(no=3))
    diff = diff_versions(published, draft)
    assert [s["activity"] for s in diff.steps_removed] == ["Memberikan rekomendasi teknis"]
    assert diff.steps_added == []
