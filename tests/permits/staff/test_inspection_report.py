"""The field-inspection report saves as the page shows it: the result is asked (and required)
only where the SOP step is a decision, and is never pre-selected."""

from datetime import timedelta

import pytest
from django.utils import timezone

from permits.models import Inspection
from permits.staff_forms import InspectionReportForm
from tests.permits.lifecycle.kit import pdf, submitted, the_task

from .helpers import client_for, post_task, task_url, texts, through_check

pytestmark = pytest.mark.django_db


def test_the_report_of_a_plain_inspection_step_saves_without_a_result(akdp, cast):
    application = submitted(akdp, cast.ani)
    through_check(application, cast.budi)
    post_task(cast.fajar, the_task(application, 3), {"notes": "lengkap"})
    task = the_task(application, 4)
    visit = timezone.localdate() + timedelta(days=1)
    assert post_task(cast.citra, task, {"visit_on": visit.isoformat()}).status_code == 302
    Inspection.objects.filter(task=task).update(visit_on=timezone.localdate())

    page = client_for(cast.citra).get(task_url(task))
    assert 'name="passed"' not in page.content.decode()
    # Exactly what the page sends: the file, the findings and the notes.
    done = post_task(cast.citra, task, {"report": pdf("bap.pdf"), "findings": "Sesuai"})

    assert done.status_code == 302, texts(done)
    assert Inspection.objects.get(task=task).findings == "Sesuai"


def test_a_decision_step_asks_for_the_result_without_choosing_it():
    form = InspectionReportForm({"findings": "x"}, {"report": pdf("bap.pdf")}, decision=True)

    assert not form.is_valid()
    assert "passed" in form.errors
    assert form.fields["passed"].initial is None
    assert "passed" not in InspectionReportForm(decision=False).fields
