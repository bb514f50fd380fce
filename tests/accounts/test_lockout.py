"""Lockout of guessed sign-ins on every channel (page, admin, token API), per account and per
address, kept in the database (shared by every process), lifted by time or by an
administrator, audited."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.urls import reverse

from sop_portal.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

from .conftest import TOKEN_URL

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def page_login(client, email, password, address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def token_login(api, email, password, address="203.0.113.7"):
    return api.post(
        TOKEN_URL, {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_the_sign_in_page_locks_an_account_after_repeated_failures(client, ani):
    answers = [page_login(client, ani.email, "salah").status_code for _ in range(LIMIT)]

    assert answers == [400] * (LIMIT - 1) + [429]
    refused = page_login(client, ani.email, PASSWORD, address="198.51.100.4")
    assert refused.status_code == 429
    assert "locked for 15 minutes" in refused.content.decode()
    assert "contact the office" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Counted in the database, so every web process sees the same count.
    assert AccessAttempt.objects.filter(username=ani.email).exists()
    assert AccessFailureLog.objects.filter(username=ani.email, locked_out=True).exists()


def test_the_account_counts_whatever_the_case_of_the_address(client, ani):
    for n in range(LIMIT):
        page_login(client, ani.email.upper() if n % 2 else ani.email, "salah", f"10.0.0.{n}")

    assert page_login(client, ani.email, PASSWORD, "10.0.1.1").status_code == 429


def test_an_address_is_locked_whatever_accounts_it_tries(client, ani):
    for n in range(LIMIT):
        page_login(client, f"tebak{n}@contoh.id", "salah", address="192.0.2.50")

    assert page_login(client, ani.email, PASSWORD, address="192.0.2.50").status_code == 429
    # The account itself is not locked: from elsewhere it signs in.
    assert page_login(client, ani.email, PASSWORD, address="192.0.2.51").status_code == 302


def test_the_lock_opens_after_the_cool_off(client, ani, _suite_clock):
    for _ in range(LIMIT):
        page_login(client, ani.email, "salah")
    _suite_clock.shift(14 * 60)
    assert page_login(client, ani.email, PASSWORD, "10.9.9.9").status_code == 429

    # A try during the lockout restarted it: 15 minutes from that try.
    _suite_clock.shift(15 * 60 + 1)
    assert page_login(client, ani.email, PASSWORD, "10.9.9.9").status_code == 302


def test_a_success_before_the_limit_forgets_the_failures(client, ani):
    for _ in range(LIMIT - 1):
        page_login(client, ani.email, "salah")
    assert page_login(client, ani.email, PASSWORD).status_code == 302
    client.logout()

    assert page_login(client, ani.email, "salah").status_code == 400


def test_the_token_api_locks_too_and_answers_json(api, ani, settings):
    answers = [token_login(api, ani.email, "salah") for _ in range(LIMIT)]

    assert [a.status_code for a in answers] == [400] * (LIMIT - 1) + [429]
    refused = token_login(api, ani.email, PASSWORD, address="198.51.100.4")
    assert refused.status_code == 429
    assert refused.json()["codes"] == ["locked_out"]
    assert "locked for 15 minutes" in refused.json()["detail"]


def test_failures_on_the_page_and_the_api_add_up(client, api, ani):
    for _ in range(3):
        page_login(client, ani.email, "salah")
    for _ in range(2):
        token_login(api, ani.email, "salah")

    assert page_login(client, ani.email, PASSWORD, "10.1.1.1").status_code == 429
    assert token_login(api, ani.email, PASSWORD, "10.1.1.2").status_code == 429


def test_the_admin_sign_in_locks_too(client, eko):
    url = reverse("admin:login")
    for _ in range(LIMIT - 1):
        assert client.post(url, {"username": eko.email, "password": "salah"}).status_code == 200
    assert client.post(url, {"username": eko.email, "password": "salah"}).status_code == 429

    assert client.post(url, {"username": eko.email, "password": PASSWORD}).status_code == 429


def test_a_lockout_is_audited_once_per_cool_off(client, ani):
    for _ in range(LIMIT + 3):
        page_login(client, ani.email, "salah")

    entries = AuditEntry.objects.filter(action="accounts.sign_in.locked_out")
    assert [(e.object_id, e.after["username"]) for e in entries] == [(str(ani.pk), ani.email)]


def test_the_unlock_command_lifts_the_lock_and_is_audited(client, ani):
    for _ in range(LIMIT):
        page_login(client, ani.email, "salah")

    call_command("unlock_sign_in", email=ani.email.upper(), reason="called the office")

    assert page_login(client, ani.email, PASSWORD, "10.2.2.2").status_code == 302
    entry = AuditEntry.objects.get(action="accounts.sign_in.unlocked")
    assert entry.object_id == str(ani.pk) and entry.reason == "called the office"
    assert entry.before == {"failed_attempts": LIMIT}


def test_the_unlock_command_lifts_an_address(client, ani):
    for n in range(LIMIT):
        page_login(client, f"tebak{n}@contoh.id", "salah", address="192.0.2.60")

    call_command("unlock_sign_in", address="192.0.2.60")

    assert page_login(client, ani.email, PASSWORD, address="192.0.2.60").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.sign_in.unlocked").count() == 1


def test_an_administrator_unlocks_an_account_in_the_admin(client, ani, eko):
    other = UserFactory(email="tamu@contoh.id")
    for _ in range(LIMIT):
        page_login(client, ani.email, "salah")
    client.force_login(eko)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [ani.pk]},
    )

    assert response.status_code == 302
    client.logout()
    assert page_login(client, ani.email, PASSWORD, "10.3.3.3").status_code == 302
    entry = AuditEntry.objects.get(action="accounts.sign_in.unlocked")
    assert entry.actor == eko and entry.object_id == str(ani.pk)
    assert other.pk != ani.pk
