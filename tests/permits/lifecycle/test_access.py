"""One access rule per object kind: who sees which application, task and document."""

import pytest

from permits import lifecycle
from permits.models import Application, ApplicationDocument
from tests.factories import UserFactory
from tests.permits.lifecycle.kit import submitted, the_task
from workflows import engine
from workflows.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(two_opd, akdp, cast):
    """Ani's two-agency application at the recommendation step, Bayu's AKDP one at the
    front office, and Ani's unsubmitted draft."""
    ani_file = submitted(two_opd, cast.ani)
    engine.complete(the_task(ani_file, 2), cast.budi, outcome="yes")
    bayu_file = submitted(akdp, cast.bayu)
    draft = lifecycle.create_draft(akdp, cast.ani)
    return ani_file, bayu_file, draft


def visible(user):
    return set(Application.objects.visible_to(user))


def test_it_shows_an_applicant_only_their_own_applications(files, cast):
    ani_file, bayu_file, draft = files
    assert visible(cast.ani) == {ani_file, draft}
    assert visible(cast.bayu) == {bayu_file}
    assert set(ApplicationDocument.objects.visible_to(cast.bayu)) == set(bayu_file.documents.all())
    assert set(Task.objects.visible_to(cast.bayu)) == set(bayu_file.tasks.all())
    assert not Task.objects.actionable_by(cast.bayu).exists()


def test_it_shows_office_staff_every_submitted_application(files, cast):
    ani_file, bayu_file, _draft = files
    assert visible(cast.budi) == visible(cast.dewi) == visible(cast.eko) == {ani_file, bayu_file}
    assert [t.step.no for t in Task.objects.actionable_by(cast.budi)] == [2]  # Bayu's check
    assert not Task.objects.actionable_by(cast.dewi).exists()


def test_it_shows_an_opd_officer_only_files_with_a_task_of_their_agency(files, cast):
    ani_file, _bayu_file, _draft = files
    assert visible(cast.citra) == visible(cast.gita) == {ani_file}
    assert [t.agency.code for t in Task.objects.visible_to(cast.citra)] == ["DISHUB"]
    assert [t.agency.code for t in Task.objects.actionable_by(cast.gita)] == ["DLH"]
    assert set(ApplicationDocument.objects.visible_to(cast.gita)) == set(ani_file.documents.all())
    stranger = UserFactory(email="orang@contoh.id")
    assert not visible(stranger)
    assert not ApplicationDocument.objects.visible_to(stranger).exists()


def test_it_hides_a_task_claimed_by_a_colleague_from_the_actionable_list(files, cast):
    ani_file, _bayu, _draft = files
    task = the_task(ani_file, 3, "DISHUB")
    engine.claim(task, cast.citra)
    assert list(Task.objects.actionable_by(cast.citra)) == [task]
    assert not Task.objects.actionable_by(cast.cahya).exists()
    assert list(Task.objects.visible_to(cast.cahya)) == [task]
