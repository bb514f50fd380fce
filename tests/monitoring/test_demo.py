"""The demo history: enough consistent rows for the dashboards not to be empty."""

from datetime import timedelta

import pytest

from monitoring import stats
from monitoring.demo import PREFIX, seed_history
from monitoring.filters import Filters, today
from permits.models import Application
from tests.permits.lifecycle.kit import akdp, cast, two_opd  # noqa: F401
from workflows.models import PerformerRole, Task

pytestmark = pytest.mark.django_db


def test_it_seeds_finished_and_running_applications_once(akdp):  # noqa: F811
    created = seed_history()
    assert created == 190
    apps = Application.objects.filter(tracking_number__startswith=PREFIX)
    finished = apps.filter(status=Application.Status.COMPLETED).count()
    assert 120 <= finished <= 170
    done = Task.objects.filter(application__in=apps, status=Task.Status.DONE)
    assert not done.filter(office_time__isnull=True).exists()
    assert not done.filter(completed_at__lt=models_opened()).exists()
    office = done.exclude(role=PerformerRole.APPLICANT).filter(due_at__isnull=False)
    late = sum(t.completed_at > t.due_at for t in office)
    assert 0 < late < office.count()
    assert done.filter(paused_time__gt=timedelta(0)).exclude(role=PerformerRole.APPLICANT).exists()
    f = Filters(today() - timedelta(days=250), today())
    summary = stats.summary(f)
    assert summary.received == 190 and summary.steps_measured > 0
    assert seed_history() == 0


def models_opened():
    from django.db.models import F

    return F("opened_at")
