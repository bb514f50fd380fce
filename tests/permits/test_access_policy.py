"""One access policy for applications and what hangs off them (documents, issued documents,
personal data), in ``permits.access``, on one definition of office-wide staff
(``agencies.access.office_wide``): every door — the API, the staff file download, the issued
document download, the NIK on a page — gives the same answer for the same person."""

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from agencies.access import office_wide
from agencies.models import Agency, Membership, Role
from permits import access
from permits.actions import issue
from permits.models import Application, IssuedDocument
from tests.conftest import SIGNING_PASSPHRASE
from tests.factories import MembershipFactory, UserFactory
from tests.permits.lifecycle.kit import akdp, cast, submitted, the_task, two_opd  # noqa: F401
from workflows import engine

pytestmark = pytest.mark.django_db

NIK = "7401010101010001"


def _agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def _other_opd() -> Agency:
    return (
        Agency.objects.filter(kind=Agency.Kind.TECHNICAL, is_active=True)
        .exclude(code__in=["DISHUB", "DLH"])
        .first()
    )


@pytest.fixture
def people(cast):  # noqa: F811
    """Everyone whose answer the doors must agree on."""
    return {
        "the applicant": cast.ani,
        "another applicant": cast.bayu,
        "front office (office)": cast.budi,
        "head (office)": cast.dewi,
        "administrator": cast.eko,
        "officer of DISHUB": cast.citra,
        "officer of another OPD": MembershipFactory(
            agency=_other_opd(), role=Role.TECHNICAL_OFFICER
        ).user,
        "administrator in an OPD": MembershipFactory(
            agency=_other_opd(), role=Role.ADMINISTRATOR
        ).user,
    }


@pytest.fixture
def at_dishub(cast, two_opd):  # noqa: F811
    application = submitted(two_opd, cast.ani)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    issued = issue(
        application, cast.dewi, IssuedDocument.Kind.PERMIT, passphrase=SIGNING_PASSPHRASE
    )
    return application, issued


# --- office-wide staff: one definition ---------------------------------------------------------


def test_it_counts_every_role_of_the_office_and_every_administrator_as_office_wide(people):
    expected = {
        "front office (office)": True,
        "head (office)": True,
        "administrator": True,
        "administrator in an OPD": True,
        "the applicant": False,
        "another applicant": False,
        "officer of DISHUB": False,
        "officer of another OPD": False,
    }
    assert {who: office_wide(user) for who, user in people.items()} == expected
    assert office_wide(None) is False
    assert office_wide(UserFactory(is_superuser=True)) is True


def test_a_closed_membership_or_a_closed_office_grants_nothing(cast):  # noqa: F811
    Membership.objects.filter(user=cast.budi).update(is_active=False)
    assert office_wide(cast.budi) is False
    Agency.objects.filter(code="DPMPTSP").update(is_active=False)
    assert office_wide(cast.dewi) is False


# --- applications, documents, issued documents: the doors agree ----------------------------


def _doors(user, application: Application, issued: IssuedDocument) -> dict[str, bool]:
    client = Client()
    client.force_login(user)
    document = application.documents.first()
    return {
        "rule": access.may_see_application(user, application.pk),
        "API detail": client.get(
            reverse("api-application-detail", args=[application.pk])
        ).status_code
        == 200,
        "API issued": client.get(
            reverse("api-application-issued", args=[application.pk])
        ).status_code
        == 200,
        "issued download": client.get(
            reverse("permits:issued_document_download", args=[issued.pk])
        ).status_code
        == 200,
        "document": access.files_visible_to(user, type(document)).filter(pk=document.pk).exists(),
    }


def test_every_door_to_an_application_gives_the_same_answer(people, at_dishub):
    application, issued = at_dishub
    expected = {
        "the applicant": True,
        "another applicant": False,
        "front office (office)": True,
        "head (office)": True,
        "administrator": True,
        "administrator in an OPD": True,
        "officer of DISHUB": True,
        "officer of another OPD": False,
    }
    for who, user in people.items():
        doors = _doors(user, application, issued)
        assert doors == dict.fromkeys(doors, expected[who]), (who, doors)


def test_the_staff_file_download_follows_the_same_rule(people, at_dishub):
    application, _issued = at_dishub
    document = application.documents.first()
    url = reverse("permits:staff_file", args=["document", document.pk])
    for who in ("front office (office)", "officer of DISHUB", "administrator in an OPD"):
        client = Client()
        client.force_login(people[who])
        assert client.get(url).status_code == 200, who
    client = Client()
    client.force_login(people["officer of another OPD"])
    assert client.get(url).status_code == 404


def test_an_opd_sees_a_file_only_once_it_reaches_their_agency(cast, two_opd):  # noqa: F811
    application = submitted(two_opd, cast.ani)
    assert not access.may_see_application(cast.citra, application.pk)
    assert access.may_see_application(cast.budi, application.pk)
    engine.complete(the_task(application, 2), cast.budi, outcome="yes")
    assert access.may_see_application(cast.citra, application.pk)


def test_a_draft_is_its_applicants_alone(cast, two_opd):  # noqa: F811
    from permits import lifecycle

    draft = lifecycle.create_draft(two_opd, cast.ani)
    assert access.may_see_application(cast.ani, draft.pk)
    for staff in (cast.budi, cast.eko, cast.citra):
        assert not access.may_see_application(staff, draft.pk)


# --- personal data ---------------------------------------------------------------------------


def _nik_as(viewer) -> str:
    template = Template("{% load applicant %}{{ nik|mask_nik:viewer }}")
    return template.render(Context({"nik": NIK, "viewer": viewer}))


def test_a_nik_is_shown_in_full_to_its_owner_and_office_wide_staff_only(people):
    people["the applicant"].nik = NIK
    people["the applicant"].save(update_fields=["nik"])
    full = {"the applicant", "front office (office)", "head (office)", "administrator"}
    full |= {"administrator in an OPD"}
    for who, user in people.items():
        shown = _nik_as(user)
        assert (shown == NIK) is (who in full), (who, shown)
        if who not in full:
            assert shown.endswith(NIK[-4:]) and NIK[:12] not in shown
    assert _nik_as(None) != NIK
