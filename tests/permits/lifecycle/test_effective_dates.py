"""A published SOP version takes effect on its effective date (issue 12.8): an application
submitted before that day runs under the version in force, one submitted from that day under
the new one; the catalogue says which is in force and when the next one starts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from permits import lifecycle
from permits.models import Application
from workflows import effective, versions

from .kit import pdf

NEW_FROM = datetime.date(2026, 12, 7)


@pytest.fixture
def v2(akdp, cast):
    """Version 2 of the AKDP SOP, approved on 2 December to take effect on 7 December."""
    draft = versions.new_draft(akdp.sop, by=cast.eko)
    versions.submit_for_review(draft, by=cast.eko)
    return versions.approve_and_publish(draft, by=cast.dewi, effective_on=NEW_FROM)


def _submit(service, applicant) -> Application:
    application = lifecycle.create_draft(service, applicant)
    for requirement in service.requirements.filter(mandatory=True):
        lifecycle.attach_document(application, applicant, requirement.code, pdf())
    lifecycle.submit(application, applicant)
    application.refresh_from_db()
    return application


def test_an_application_on_each_side_of_the_effective_date(akdp, cast, v2):
    v1 = akdp.sop.versions.get(version=1)
    # 6 December, 23:30 WITA (15:30 UTC): still the old version.
    with time_machine.travel(datetime.datetime(2026, 12, 6, 15, 30, tzinfo=datetime.UTC)):
        before = _submit(akdp, cast.ani)
    # 7 December, 00:30 WITA (6 December 16:30 UTC): the new one.
    with time_machine.travel(datetime.datetime(2026, 12, 6, 16, 30, tzinfo=datetime.UTC)):
        after = _submit(akdp, cast.bayu)
    assert (before.sop_version, after.sop_version) == (v1, v2)
    # The earlier file keeps its version for life.
    with time_machine.travel(datetime.datetime(2026, 12, 10, 2, 0, tzinfo=datetime.UTC)):
        before.refresh_from_db()
        assert before.sop_version == v1


def test_a_draft_started_before_the_date_is_submitted_under_the_new_version(akdp, cast, v2):
    draft = lifecycle.create_draft(akdp, cast.ani)
    assert draft.sop_version.version == 1
    for requirement in akdp.requirements.filter(mandatory=True):
        lifecycle.attach_document(draft, cast.ani, requirement.code, pdf())
    with time_machine.travel(datetime.datetime(2026, 12, 8, 1, 0, tzinfo=datetime.UTC)):
        lifecycle.submit(draft, cast.ani)
    draft.refresh_from_db()
    assert draft.sop_version == v2


def test_the_catalogue_shows_what_is_in_force_and_what_is_coming(client, akdp, v2):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    page = client.get(reverse("permits:service_detail", args=[akdp.code])).content.decode()
    assert "Berlaku" in page and "versi 1" in page
    assert "Versi 2 akan berlaku sejak 7 Desember 2026" in page
    listing = client.get(reverse("permits:catalogue")).content.decode()
    assert "akan berlaku sejak 7 Desember 2026" in listing
    with time_machine.travel(datetime.datetime(2026, 12, 7, 1, 0, tzinfo=datetime.UTC)):
        page = client.get(reverse("permits:service_detail", args=[akdp.code])).content.decode()
        assert "versi 2" in page and "akan berlaku" not in page


def test_a_later_version_with_an_earlier_date_replaces_a_pending_one(akdp, cast, v2):
    draft = versions.new_draft(akdp.sop, by=cast.eko)
    versions.submit_for_review(draft, by=cast.eko)
    v3 = versions.approve_and_publish(draft, by=cast.dewi, effective_on=datetime.date(2026, 12, 4))
    assert effective.in_force(akdp.sop, datetime.date(2026, 12, 3)).version == 1
    assert effective.in_force(akdp.sop, datetime.date(2026, 12, 4)) == v3
    assert effective.in_force(akdp.sop, datetime.date(2026, 12, 8)) == v3
