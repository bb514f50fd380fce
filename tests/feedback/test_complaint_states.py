"""The complaint's transition table, walked pair by pair: every allowed move moves and leaves
one audit row; every other pair is refused and writes nothing."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from feedback import complaints
from feedback.models import Complaint
from feedback.states import COMPLAINT
from sop_portal.models import AuditEntry
from sop_portal.states import TransitionRefused

pytestmark = pytest.mark.django_db

STATES = list(Complaint.Status.values)
ALLOWED = sorted(COMPLAINT.pairs())
FORBIDDEN = sorted(set(itertools.product(STATES, STATES)) - COMPLAINT.pairs())


def a_complaint(status: str) -> Complaint:
    filed = complaints.file_complaint(category="service_time", text="Izin saya lama sekali.")
    Complaint.objects.filter(pk=filed.complaint.pk).update(status=status)
    return Complaint.objects.get(pk=filed.complaint.pk)


def trail(complaint: Complaint) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="feedback.complaint", object_id=str(complaint.pk))
        .exclude(action="feedback.complaint.filed")
        .values_list("action", flat=True)
    )


def test_the_table_reads_as_the_domain_says():
    assert ALLOWED == [
        ("answered", "closed"),
        ("answered", "in_progress"),
        ("closed", "in_progress"),
        ("in_progress", "answered"),
        ("in_progress", "closed"),
        ("received", "answered"),
        ("received", "closed"),
        ("received", "in_progress"),
    ]


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_it_makes_every_allowed_move_with_one_audit_row(cast, rina, source, target):
    complaint = a_complaint(source)
    COMPLAINT.move(complaint, target, by=rina)
    complaint.refresh_from_db()
    assert complaint.status == target
    name = COMPLAINT.find(source, target).name
    assert trail(complaint) == [f"feedback.complaint.{name}"]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_it_refuses_every_other_pair_and_writes_nothing(cast, rina, source, target):
    complaint = a_complaint(source)
    with pytest.raises(TransitionRefused):
        COMPLAINT.move(complaint, target, by=rina)
    complaint.refresh_from_db()
    assert complaint.status == source
    assert trail(complaint) == []


def test_only_staff_handling_the_complaint_move_it(cast, rina):
    complaint = a_complaint(Complaint.Status.RECEIVED)
    for outsider in (cast.citra, cast.ani, None):
        with pytest.raises(PermissionDenied):
            COMPLAINT.move(complaint, Complaint.Status.CLOSED, by=outsider)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RECEIVED and trail(complaint) == []


def test_assigning_a_new_complaint_starts_work_in_one_audited_step(cast, rina):
    complaint = a_complaint(Complaint.Status.RECEIVED)
    dishub = cast.citra.memberships.get().agency
    complaints.assign(complaint, dishub, by=rina)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assigned_agency) == (Complaint.Status.IN_PROGRESS, dishub)
    assert trail(complaint) == ["feedback.complaint.assigned"]


def test_a_second_public_reply_keeps_it_answered_and_is_recorded(cast, rina):
    complaint = a_complaint(Complaint.Status.IN_PROGRESS)
    complaints.reply(complaint, "Jawaban pertama.", by=rina)
    complaint.refresh_from_db()
    first_answer = complaint.answered_at
    complaints.reply(complaint, "Jawaban kedua.", by=rina)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED
    assert complaint.answered_at == first_answer  # the response clock stopped at the first
    assert trail(complaint) == ["feedback.complaint.replied", "feedback.complaint.replied"]
