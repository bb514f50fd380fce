"""Counter service (issue 12.1): the front office finds or registers a walk-in applicant with
their consent, enters the application with scanned documents through the applicant's own
transitions, submits it, prints the receipt with the access code; the person claims the
account online later. The audit says "entered at the counter" and by whom."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Consent, User
from permits import access_codes, counter, lifecycle
from permits.models import Application
from sop_portal.models import AuditEntry, OutgoingMail
from tests.permits.lifecycle.kit import pdf
from tests.permits.staff.helpers import client_for
from workflows.engine import NotAllowed

pytestmark = pytest.mark.django_db
NIK = "7471015505900003"


def _register(client, **extra):
    data = {
        "nik": NIK,
        "full_name": "Wa Ode Sitti",
        "email": "waode@contoh.id",
        "phone": "0812 4000 1234",
        "consent": "on",
        **extra,
    }
    return client.post(reverse("permits:counter"), data)


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_the_front_office_registers_a_walk_in_with_consent_recorded(cast):
    client = client_for(cast.budi)
    response = _register(client)
    person = User.objects.get(nik=NIK)
    assert response.url == reverse("permits:counter_person", args=[person.pk])
    assert not person.has_usable_password() and not person.email_verified
    consent = Consent.objects.get(user=person)
    assert (consent.channel, consent.recorded_by) == (Consent.Channel.COUNTER, cast.budi)
    entry = AuditEntry.objects.get(action="accounts.user.registered_at_counter")
    assert entry.actor_key == cast.budi.pk and entry.after["entered_at_counter"] is True


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"consent": ""}, "Record the applicant"),
        ({"nik": "12345"}, "The NIK has 16 digits."),
        ({"email": "ani@contoh.id"}, "belongs to another account"),
    ],
)
def test_bad_registrations_are_a_400_with_the_reason(cast, extra, message):
    response = _register(client_for(cast.budi), **extra)
    assert response.status_code == 400 and message in response.content.decode()
    assert not User.objects.filter(nik=NIK).exists()


def test_only_the_front_office_serves_at_the_counter(cast):
    for user in (cast.ani, cast.citra, cast.fajar):
        assert client_for(user).get(reverse("permits:counter")).status_code == 404
    with pytest.raises(NotAllowed):
        counter.register_person(
            cast.fajar, nik=NIK, full_name="X", email="x@contoh.id", phone="", consent=True
        )


def test_the_counter_finds_people_by_nik_name_email_and_phone(cast):
    person = counter.register_person(
        cast.budi,
        nik=NIK,
        full_name="Wa Ode Sitti",
        email="waode@contoh.id",
        phone="081240001234",
        consent=True,
    )
    for query in (NIK[:8], "ode sit", "WAODE@contoh", "4000123"):
        assert list(counter.find_people(cast.budi, query)) == [person], query
    # Staff accounts are never offered as applicants.
    assert list(counter.find_people(cast.budi, "Budi")) == []
    page = client_for(cast.budi).get(reverse("permits:counter"), {"q": "Wa Ode"})
    assert reverse("permits:counter_person", args=[person.pk]) in page.content.decode()


def test_a_walk_in_application_is_entered_submitted_and_receipted(cast, two_opd):
    person = counter.register_person(
        cast.budi,
        nik=NIK,
        full_name="Wa Ode Sitti",
        email="waode@contoh.id",
        phone="",
        consent=True,
    )
    client = client_for(cast.budi)
    response = client.post(
        reverse("permits:counter_person", args=[person.pk]), {"service": two_opd.pk}
    )
    application = Application.objects.get(applicant=person)
    assert application.entered_by == cast.budi
    url = reverse("permits:counter_application", args=[application.pk])
    assert response.url == url
    # The same upload check as online: a file whose content is not a PDF is refused.
    fake = SimpleUploadedFile("ktp.pdf", b"<html><script>alert(1)</script></html>")
    refused = client.post(url, {"doc_ktp": fake, "submit": "1"})
    assert refused.status_code == 400 and not application.documents.exists()
    done = client.post(
        url, {"doc_ktp": pdf("ktp.pdf"), "doc_denah": pdf("denah.pdf"), "submit": "1"}
    )
    assert done.url == url
    application.refresh_from_db()
    assert application.status == Application.Status.IN_PROGRESS and application.tracking_number
    code = access_codes.readable_code(application, cast.budi)
    page = client.get(url).content.decode()
    assert application.tracking_number in page and code in page
    receipt = _text(client.get(reverse("permits:counter_receipt", args=[application.pk])).content)
    assert application.tracking_number in receipt and code in receipt
    assert "Budi Front Office" in receipt and "Wa Ode Sitti" in receipt
    submitted = AuditEntry.objects.get(action="permits.application.submitted")
    assert submitted.actor_key == cast.budi.pk
    assert submitted.after["entered_at_counter"] is True
    assert submitted.after["counter_staff"] == "Budi Front Office"
    # The person sees their file online once they claim the account.
    assert Application.objects.visible_to(person).filter(pk=application.pk).exists()


def test_an_online_draft_is_not_the_counters_to_fill(cast, two_opd):
    draft = lifecycle.create_draft(two_opd, cast.ani)
    with pytest.raises(NotAllowed):
        lifecycle.attach_document(draft, cast.budi, "ktp", pdf())
    url = reverse("permits:counter_application", args=[draft.pk])
    assert client_for(cast.budi).get(url).status_code == 404


def test_the_person_claims_the_account_from_the_emailed_link(client, cast, two_opd):
    person = counter.register_person(
        cast.budi,
        nik=NIK,
        full_name="Wa Ode Sitti",
        email="waode@contoh.id",
        phone="",
        consent=True,
    )
    staff = client_for(cast.budi)
    staff.post(reverse("permits:counter_claim_link", args=[person.pk]))
    mail = OutgoingMail.objects.get(to="waode@contoh.id", kind="claim_account")
    link = re.search(r"https?://\S+/akun/klaim/\S+/", mail.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Wa Ode Sitti" in page.content.decode()
    password = "Kendari-Loket-2026!"
    response = client.post("/" + path, {"password1": password, "password2": password})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(password) and person.email_verified
    # The link is good for one claim only.
    assert client.get("/" + path).status_code == 400
    assert AuditEntry.objects.filter(action="accounts.user.claimed", actor_key=person.pk).exists()


def test_a_forged_claim_link_is_a_400(client, cast):
    assert client.get(reverse("permits:claim_account", args=["MQ", "nope-nope"])).status_code == 400
    assert client.get(reverse("permits:claim_account", args=["!!", "x"])).status_code == 400
