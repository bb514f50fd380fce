"""Registration with consent, email verification, and the account pages around the login."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import registration
from accounts.models import Consent, User
from permits import lifecycle
from tests.permits.lifecycle.kit import pdf

# Committed for real: the verification mail is an outbox row, sent once the request commits.
pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {
    "full_name": "Rina Pemohon",
    "email": "Rina@Contoh.id",
    "phone": "0812 3456 7890",
    "nik": "7401 0101 0101 0001",
    "password1": "rahasia-kuat-2026",
    "password2": "rahasia-kuat-2026",
    "consent": "on",
}


def _register(client, **changes):
    return client.post(reverse("permits:register"), {**GOOD, **changes})


def _link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_it_shows_the_privacy_notice_on_the_registration_page(client):
    page = client.get(reverse("permits:register")).content.decode()
    assert "27" in page and registration.PRIVACY_NOTICE_VERSION in page
    assert 'name="consent"' in page and 'name="nik"' in page


def test_it_registers_an_unverified_applicant_with_the_consent_and_emails_a_link(client):
    response = _register(client)
    assert response.status_code == 302
    user = User.objects.get(email="rina@contoh.id")
    assert user.nik == "7401010101010001" and user.phone == "081234567890"
    assert not user.email_verified
    consent = Consent.objects.get(user=user)
    assert consent.notice_version == registration.PRIVACY_NOTICE_VERSION and consent.given_at
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rina@contoh.id"]
    assert "/akun/verifikasi/" in _link_in(mail.outbox[0])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nik": "12345"}, "nik"),
        ({"nik": "74010101010100AB"}, "nik"),
        ({"consent": ""}, "consent"),
        ({"password2": "lain-sekali-2026"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password1"),
    ],
)
def test_it_refuses_a_bad_registration_and_creates_nobody(client, changes, field):
    response = _register(client, **changes)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not User.objects.filter(email="rina@contoh.id").exists()
    assert not Consent.objects.exists() and not mail.outbox


def test_it_refuses_an_email_address_already_registered(client, cast):
    response = _register(client, email="ANI@contoh.id")
    assert response.context["form"].errors["email"]


def test_it_verifies_the_address_with_the_emailed_link(client):
    _register(client)
    response = client.get(_link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert User.objects.get(email="rina@contoh.id").email_verified


def test_it_refuses_a_forged_or_foreign_verification_link(client):
    _register(client)
    link = _link_in(mail.outbox[0])
    assert client.get(link[:-4] + "abc/").status_code == 400
    assert client.get(reverse("permits:verify_email", args=["abc:def"])).status_code == 400
    assert not User.objects.get(email="rina@contoh.id").email_verified


def test_it_sends_the_link_again_without_telling_who_is_registered(client):
    response = client.post(reverse("permits:verify_resend"), {"email": "nobody@contoh.id"})
    assert response.status_code == 302 and not mail.outbox
    _register(client)
    client.logout()
    client.post(reverse("permits:verify_resend"), {"email": "rina@contoh.id"})
    assert len(mail.outbox) == 2


def test_it_keeps_an_unverified_account_from_submitting(client, two_opd):
    _register(client)
    user = User.objects.get(email="rina@contoh.id")
    draft = lifecycle.create_draft(two_opd, user)
    for code in ("ktp", "denah"):
        lifecycle.attach_document(draft, user, code, pdf())
    form_url = reverse("permits:application_form", args=[draft.pk])
    page = client.get(form_url).content.decode()
    assert "not verified" in page
    response = client.post(form_url, {"submit": "1"}, follow=True)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.tracking_number is None
    assert "Verify your email address first" in response.content.decode()
    client.get(_link_in(mail.outbox[0]))
    client.post(form_url, {"submit": "1"})
    draft.refresh_from_db()
    assert draft.tracking_number


def test_it_links_registration_and_password_reset_from_the_login_page(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("permits:register") in page and reverse("password_reset") in page


def test_it_styles_the_password_reset_pages_in_the_portal(client, cast):
    page = client.get(reverse("password_reset")).content.decode()
    assert "auth-card" in page and "portal-header" in page
    client.post(reverse("password_reset"), {"email": "ani@contoh.id"})
    assert len(mail.outbox) == 1
    confirm = client.get(_link_in(mail.outbox[0]), follow=True)
    assert "auth-card" in confirm.content.decode() and confirm.context["validlink"]
