"""The NIK is masked for everyone but its owner and the one-stop office's staff."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from permits.templatetags.applicant import mask_nik
from tests.permits.lifecycle.kit import submitted

pytestmark = pytest.mark.django_db
NIK = "7401010101010001"


def test_it_masks_the_nik_for_everyone_but_its_owner_and_office_staff(cast):
    cast.ani.nik = NIK
    assert mask_nik(NIK, cast.ani) == NIK
    assert mask_nik(NIK, cast.budi) == NIK
    assert mask_nik(NIK, cast.eko) == NIK
    masked = "••••••••••••0001"
    assert mask_nik(NIK, cast.citra) == masked
    assert mask_nik(NIK, cast.bayu) == masked
    assert mask_nik(NIK, AnonymousUser()) == masked
    assert mask_nik(NIK) == masked
    assert mask_nik("", cast.ani) == "—"


def test_it_shows_the_owner_their_nik_in_full_on_the_application_page(client, cast, two_opd):
    cast.ani.nik = NIK
    cast.ani.save()
    application = submitted(two_opd, cast.ani)
    client.force_login(cast.ani)
    page = client.get(reverse("permits:application_detail", args=[application.pk]))
    assert NIK in page.content.decode()
