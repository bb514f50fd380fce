"""Notices about where a permit stands (suspended, revoked, expiring, expired) are written in
the holder's language (``User.language``), not in the head's nor the worker's (issue 15 item 4)."""

from datetime import timedelta

import pytest
from django.utils import translation

from permits import standing, validity
from permits.models import Notification

from .test_permit_life import BASIS, TODAY, permit  # noqa: F401

pytestmark = pytest.mark.django_db


def _texts(issued) -> list[str]:
    rows = Notification.objects.filter(text__contains=issued.number).order_by("id")
    return list(rows.values_list("text", flat=True))


def test_a_revocation_by_a_head_in_english_reaches_an_indonesian_holder_in_indonesian(
    permit,  # noqa: F811
    cast,
):
    cast.ani.language = "id"
    cast.ani.save(update_fields=["language"])
    with translation.override("en"):
        standing.suspend(permit, cast.dewi, "Asuransi habis", BASIS, TODAY)
        standing.revoke(permit, cast.dewi, "Izin dipindahtangankan", BASIS, TODAY)
    suspended, revoked = _texts(permit)[-2:]
    assert suspended.startswith("Izin Anda") and "Asuransi habis" in suspended
    assert revoked == f"Izin Anda {permit.number} dicabut: Izin dipindahtangankan"


@pytest.mark.indonesian
def test_the_worker_s_expiry_notices_reach_an_english_holder_in_english(permit, cast):  # noqa: F811
    cast.ani.language = "en"
    cast.ani.save(update_fields=["language"])
    end = permit.valid_until
    validity.sweep(end - timedelta(days=30))
    validity.sweep(end + timedelta(days=1))
    reminder, expired = _texts(permit)[-2:]
    assert reminder.startswith(f"Your permit {permit.number} expires on 1 December 2031")
    assert expired == f"Your permit {permit.number} expired on 1 December 2031."


@pytest.mark.indonesian
def test_an_indonesian_holder_reads_the_expiry_in_indonesian(permit, cast):  # noqa: F811
    cast.ani.language = "id"
    cast.ani.save(update_fields=["language"])
    validity.sweep(permit.valid_until + timedelta(days=1))
    assert _texts(permit)[-1] == (
        f"Masa berlaku izin Anda {permit.number} telah habis pada 1 Desember 2031."
    )
