"""The decree's and the rendering job's transition tables, walked pair by pair; the atomic
claim of a job; every decree change audited whichever door it came through (page, API, admin),
the signing date included."""

import itertools
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sop_portal.models import AuditEntry
from sop_portal.states import StateMachine, TransitionRefused
from workflows import decrees
from workflows.models import Decree, RenderedDocument
from workflows.states.decrees import DECREE, RENDERING, claim

pytestmark = pytest.mark.django_db


def _cases(machine: StateMachine, allowed: bool) -> list:
    every = set(itertools.product(machine.states, machine.states))
    pairs = machine.pairs() if allowed else every - machine.pairs()
    return [(machine.label, s, t) for s, t in sorted(pairs)]


MACHINES = {DECREE.label: DECREE, RENDERING.label: RENDERING}
ALLOWED = _cases(DECREE, True) + _cases(RENDERING, True)
FORBIDDEN = _cases(DECREE, False) + _cases(RENDERING, False)


def an_object(label: str, status: str, eko):
    decree = decrees.new_decree(year=2026, by=eko)
    if label == DECREE.label:
        Decree.objects.filter(pk=decree.pk).update(status=status)
        return Decree.objects.get(pk=decree.pk)
    job = RenderedDocument.objects.create(decree=decree, inputs_hash="x" * 64)
    RenderedDocument.objects.filter(pk=job.pk).update(status=status)
    return RenderedDocument.objects.get(pk=job.pk)


def trail(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .exclude(action="decree.create")
        .values_list("action", flat=True)
    )


def test_the_tables_read_as_the_domain_says():
    assert DECREE.pairs() == {("draft", "final"), ("final", "draft")}
    assert RENDERING.pairs() == {("queued", "running"), ("running", "done"), ("running", "failed")}


@pytest.mark.parametrize(("label", "source", "target"), ALLOWED)
def test_it_makes_every_allowed_move_with_one_audit_row(eko, label, source, target):
    machine = MACHINES[label]
    obj = an_object(label, source, eko)
    machine.move(obj, target, by=eko)
    obj.refresh_from_db()
    assert obj.status == target
    assert trail(obj) == [f"{label}.{machine.find(source, target).name}"]


@pytest.mark.parametrize(("label", "source", "target"), FORBIDDEN)
def test_it_refuses_every_other_pair_and_writes_nothing(eko, label, source, target):
    obj = an_object(label, source, eko)
    with pytest.raises(TransitionRefused):
        MACHINES[label].move(obj, target, by=eko)
    obj.refresh_from_db()
    assert obj.status == source and trail(obj) == []


def test_a_job_is_claimed_once(eko):
    job = an_object(RENDERING.label, RenderedDocument.Status.QUEUED, eko)
    assert claim(job.pk).status == RenderedDocument.Status.RUNNING
    assert claim(job.pk) is None  # a second worker finds nothing to claim
    assert trail(job) == ["workflows.rendering.claim"]


# --- every door audits a decree change ---------------------------------------------------------

FORM = {
    "number": "188.4/7",
    "year": 2026,
    "title": "SOP Pelayanan",
    "menimbang": "bahwa satu;",
    "mengingat": "Undang-Undang Nomor 25 Tahun 2009;",
    "dictums": "Menetapkan.",
    "place": "Kendari",
    "signatory_position": "GUBERNUR SULAWESI TENGGARA",
    "tembusan": "",
    "status": "draft",
}


def test_the_page_saves_the_signing_date_and_audits_it(client, eko):
    client.force_login(eko)
    response = client.post(reverse("workflows:decree_create"), {**FORM, "signed_on": "2026-03-02"})
    assert response.status_code == 302
    decree = Decree.objects.get(number="188.4/7")
    assert decree.signed_on == date(2026, 3, 2)
    assert AuditEntry.objects.get(action="decree.create").after["signed_on"] == "2026-03-02"

    edit = {**FORM, "signed_on": "2026-03-09", "status": "final"}
    response = client.post(reverse("workflows:decree_edit", args=[decree.pk]), edit)
    assert response.status_code == 302
    update = AuditEntry.objects.get(action="decree.update")
    assert (update.before, update.after) == (
        {"signed_on": "2026-03-02"},
        {"signed_on": "2026-03-09"},
    )
    finalize = AuditEntry.objects.get(action="decree.finalize")
    assert (finalize.actor, finalize.after) == (eko, {"status": "final"})


def test_the_api_saves_the_signing_date_and_audits_like_the_page(eko):
    api = APIClient()
    api.force_authenticate(eko)
    created = api.post("/api/v1/decrees/", {"year": 2026, "number": "188.4/8"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    response = api.patch(
        f"/api/v1/decrees/{pk}/",
        {"signed_on": "2026-03-02", "title": "Judul Baru", "status": "final"},
        format="json",
    )
    assert response.status_code == 200, response.content
    actions = list(
        AuditEntry.objects.filter(object_type="workflows.decree", object_id=str(pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["decree.create", "decree.update", "decree.finalize"]
    update = AuditEntry.objects.get(action="decree.update")
    assert update.actor == eko
    assert update.after == {"signed_on": "2026-03-02", "title": "Judul Baru"}


def test_the_admin_saves_a_decree_through_the_same_function(client, eko):
    decree = decrees.new_decree(year=2026, number="188.4/9", by=eko)
    client.force_login(eko)
    url = reverse("admin:workflows_decree_change", args=[decree.pk])
    page = client.get(url)
    data = {
        **{k: v for k, v in page.context["adminform"].form.initial.items() if v is not None},
        "signed_on": "2026-03-02",
        "menimbang": '["bahwa satu;"]',
        "mengingat": "[]",
        "dictums": "[]",
        "tembusan": "[]",
        "annexes-TOTAL_FORMS": "0",
        "annexes-INITIAL_FORMS": "0",
    }
    data.pop("copy_mark", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    decree.refresh_from_db()
    assert decree.signed_on == date(2026, 3, 2)
    update = AuditEntry.objects.get(action="decree.update")
    assert update.after["signed_on"] == "2026-03-02" and update.actor == eko


def test_the_api_deletes_only_a_draft_and_audits_it(eko):
    api = APIClient()
    api.force_authenticate(eko)
    final = decrees.new_decree(year=2026, number="188.4/10", status="final", by=eko)
    assert api.delete(f"/api/v1/decrees/{final.pk}/").status_code == 409
    assert Decree.objects.filter(pk=final.pk).exists()
    draft = decrees.new_decree(year=2026, number="188.4/11", by=eko)
    assert api.delete(f"/api/v1/decrees/{draft.pk}/").status_code == 204
    assert not Decree.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.get(action="decree.delete")
    assert (entry.actor, entry.before["number"]) == (eko, "188.4/11")


def test_only_an_administrator_finalizes_a_decree(eko, dewi):
    from django.core.exceptions import PermissionDenied

    decree = decrees.new_decree(year=2026, by=eko)
    with pytest.raises(PermissionDenied):
        DECREE.move(decree, Decree.Status.FINAL, by=dewi)
    decree.refresh_from_db()
    assert decree.status == Decree.Status.DRAFT and trail(decree) == []
