"""The staff's second factor: required (when OTP_REQUIRED_FOR_STAFF is on) for every staff
role on the pages, the admin and the token API; enrolment with a QR code, ten recovery codes
that work once, and the administrator's audited reset."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from agencies.models import Role
from sop_portal.models import AuditEntry
from sop_portal.settings import OTP_REQUIRED_FOR_STAFF
from tests.factories import PASSWORD, MembershipFactory

from .conftest import TOKEN_URL, code_of

pytestmark = pytest.mark.django_db

INBOX = "/petugas/"


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client.get(response.url)


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    return device


def test_it_is_off_outside_production_and_staff_sign_in_with_the_password():
    assert OTP_REQUIRED_FOR_STAFF is False


def test_off_staff_land_on_their_inbox(client, budi):
    response = client.post(reverse("login"), {"username": budi.email, "password": PASSWORD})

    assert response.url == INBOX
    assert client.get(INBOX).status_code == 200


def test_staff_signing_in_from_the_catalogue_land_on_their_inbox_too(client, budi):
    response = client.post(
        f"{reverse('login')}?next=/", {"username": budi.email, "password": PASSWORD, "next": "/"}
    )

    assert response.url == INBOX


@pytest.mark.usefixtures("otp_on")
@pytest.mark.parametrize("who", ["budi", "citra", "dewi", "eko"])
def test_every_staff_role_is_sent_to_enrolment(client, who, request):
    user = request.getfixturevalue(who)

    response = sign_in(client, user)

    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor_enrol"))
    blocked = client.get(INBOX)
    assert blocked.status_code == 302 and blocked.url.startswith(reverse("second_factor_enrol"))


@pytest.mark.usefixtures("otp_on")
@pytest.mark.parametrize("role", [Role.CASHIER, Role.BACK_OFFICE, Role.COMPLAINTS_OFFICER])
def test_the_other_roles_too(client, dpmptsp, role):
    user = MembershipFactory(agency=dpmptsp, role=role).user

    assert second_factor.required_for(user)


@pytest.mark.usefixtures("otp_on")
def test_an_applicant_is_not_asked(client, ani):
    assert sign_in(client, ani).status_code == 200
    assert not second_factor.required_for(ani)


@pytest.mark.usefixtures("otp_on")
def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_recovery_codes(client, budi, traveller):
    sign_in(client, budi)
    page = client.get(reverse("second_factor_enrol") + "?next=/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=budi, confirmed=False)

    assert page.status_code == 200
    assert "<svg" in html and second_factor.secret_of(device) in html
    assert "no-store" in page["Cache-Control"]

    wrong = client.post(reverse("second_factor_enrol"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed

    traveller.shift(2)  # a wrong code holds the next try back a second
    done = client.post(reverse("second_factor_enrol"), {"code": code_of(device), "next": "/"})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())

    assert done.status_code == 200
    assert len(set(codes)) == 10
    stored = StaticToken.objects.filter(device__user=budi).values_list("token", flat=True)
    assert set(stored) == set(codes)
    assert f'href="{INBOX}"' in done.content.decode()
    assert client.get(INBOX).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.second_factor.enrolled").count() == 1


@pytest.mark.usefixtures("otp_on", "traveller")
def test_a_password_alone_cannot_replace_an_enrolled_authenticator(client, budi):
    enrolled(budi)
    sign_in(client, budi)

    response = client.get(reverse("second_factor_enrol"))

    assert response.status_code == 302 and response.url.startswith(reverse("second_factor_verify"))
    assert TOTPDevice.objects.filter(user=budi).count() == 1


@pytest.mark.usefixtures("otp_on")
def test_the_next_sign_in_asks_for_the_code_once_per_step(client, budi, traveller):
    device = enrolled(budi)
    first = sign_in(client, budi)
    assert first.url.startswith(reverse("second_factor_verify"))

    code = code_of(device)
    ok = client.post(reverse("second_factor_verify"), {"code": code, "next": "/"})
    assert ok.status_code == 302 and ok.url == INBOX
    client.logout()

    # The same code again (a shoulder-surfer, a replay) is refused.
    sign_in(client, budi)
    replay = client.post(reverse("second_factor_verify"), {"code": code})
    assert replay.status_code == 400
    assert client.get(INBOX).status_code == 302


@pytest.mark.usefixtures("otp_on")
def test_wrong_codes_slow_the_guesser_down(client, budi, traveller):
    device = enrolled(budi)
    sign_in(client, budi)
    for _ in range(3):
        client.post(reverse("second_factor_verify"), {"code": "123456"})

    refused = client.post(reverse("second_factor_verify"), {"code": code_of(device)})
    assert refused.status_code == 400  # throttled: 4 seconds after the third failure

    traveller.shift(8)
    accepted = client.post(reverse("second_factor_verify"), {"code": code_of(device)})
    assert accepted.status_code == 302


@pytest.mark.usefixtures("otp_on")
def test_a_recovery_code_works_once(client, budi, traveller):
    enrolled(budi)
    (code, *_rest) = second_factor._new_recovery_codes(budi)

    sign_in(client, budi)
    assert client.post(reverse("second_factor_verify"), {"code": code.upper()}).status_code == 302
    assert client.get(INBOX).status_code == 200
    client.logout()

    sign_in(client, budi)
    traveller.shift(1)
    assert client.post(reverse("second_factor_verify"), {"code": code}).status_code == 400
    entry = AuditEntry.objects.get(action="accounts.second_factor.recovery_code_used")
    assert entry.after == {"recovery_codes_left": 9}


@pytest.mark.usefixtures("otp_on")
def test_the_admin_site_asks_for_the_code_too(client, eko):
    enrolled(eko)
    client.post(reverse("admin:login"), {"username": eko.email, "password": PASSWORD})

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and response.url.startswith(reverse("second_factor_verify"))


@pytest.mark.usefixtures("otp_on")
def test_the_api_with_a_password_only_session_is_refused(client, budi):
    enrolled(budi)
    sign_in(client, budi)

    response = client.get("/api/v1/applications/")

    assert response.status_code == 403
    assert response.json()["codes"] == ["second_factor_required"]


@pytest.mark.usefixtures("otp_on")
def test_the_token_api_asks_staff_for_the_code(api, budi, ani, traveller):
    device = enrolled(budi)
    body = {"email": budi.email, "password": PASSWORD}

    missing = api.post(TOKEN_URL, body, format="json")
    assert missing.status_code == 400 and "otp" in missing.json()
    assert api.post(TOKEN_URL, {**body, "otp": "000000"}, format="json").status_code == 400
    traveller.shift(2)
    assert api.post(TOKEN_URL, {**body, "otp": code_of(device)}, format="json").status_code == 200
    # Applicants have no second factor to give.
    assert (
        api.post(TOKEN_URL, {"email": ani.email, "password": PASSWORD}, format="json").status_code
        == 200
    )


@pytest.mark.usefixtures("otp_on")
def test_the_token_api_sends_staff_without_a_device_to_the_website(api, citra):
    response = api.post(TOKEN_URL, {"email": citra.email, "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert "Set up the second factor" in str(response.json()["otp"])


@pytest.mark.usefixtures("otp_on")
def test_an_administrator_resets_a_lost_second_factor_audited(client, budi, eko, traveller):
    device = enrolled(budi)
    second_factor._new_recovery_codes(budi)
    client.force_login(eko)
    session = client.session
    # Eko himself has passed his own second factor in this session.
    own = enrolled(eko)
    session["otp_device_id"] = own.persistent_id
    session.save()

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [budi.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not StaticToken.objects.filter(device__user=budi).exists()
    entry = AuditEntry.objects.get(action="accounts.second_factor.reset")
    assert entry.actor == eko and entry.object_id == str(budi.pk)
    assert entry.before == {"devices": 2}
    client.logout()
    assert sign_in(client, budi).url.startswith(reverse("second_factor_enrol"))
