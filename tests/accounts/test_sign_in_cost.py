"""Sign-ins that do not starve the site: Argon2id at the chosen parameters, old PBKDF2 hashes
upgraded at the next sign-in, staff sessions that last one working day. (Guessed sign-ins are
throttled per account and per address by django-axes: tests/accounts/test_lockout.py.)"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.urls import reverse

import sop_portal.settings as project_settings
from accounts.hashers import PortalArgon2PasswordHasher
from agencies.models import Role

from ..factories import PASSWORD, MembershipFactory, UserFactory, office

HASHERS = ["accounts.hashers.PortalArgon2PasswordHasher", *project_settings.PASSWORD_HASHERS[1:]]


def test_production_hashes_new_passwords_with_argon2id_at_owasp_parameters():
    # The suite runs with MD5 (conftest); the project's own list is read from settings.py.
    assert project_settings.PASSWORD_HASHERS[0] == "accounts.hashers.PortalArgon2PasswordHasher"
    encoded = PortalArgon2PasswordHasher().encode("rahasia-kantor", "garamgaramgaram1")

    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert PortalArgon2PasswordHasher().verify("rahasia-kantor", encoded)
    assert not PortalArgon2PasswordHasher().verify("rahasia-lain", encoded)


def test_the_parameters_follow_the_settings(settings):
    settings.ARGON2_MEMORY_KIB = 8192
    settings.ARGON2_TIME_COST = 3

    encoded = PortalArgon2PasswordHasher().encode("x", "garamgaramgaram1")

    assert "$m=8192,t=3,p=1$" in encoded


@pytest.mark.django_db
def test_an_old_pbkdf2_password_still_signs_in_and_is_rehashed_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = HASHERS
    settings.ARGON2_MEMORY_KIB = 1024  # the upgrade, not the cost, is under test
    ani = UserFactory(email="ani@contoh.id")
    get_user_model().objects.filter(pk=ani.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )

    response = client.post(reverse("login"), {"username": ani.email, "password": PASSWORD})

    assert response.status_code == 302
    ani.refresh_from_db()
    assert ani.password.startswith("argon2$argon2id$v=19$m=1024,t=2,p=1$")
    assert check_password(PASSWORD, ani.password)


@pytest.mark.django_db
def test_a_staff_sign_in_lasts_a_working_day_and_an_applicant_s_two_weeks(client, settings):
    officer = MembershipFactory(agency=office(), role=Role.FRONT_OFFICE).user
    applicant = UserFactory(email="ani@contoh.id")

    client.post(reverse("login"), {"username": officer.email, "password": PASSWORD})
    staff_age = client.session.get_expiry_age()
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": applicant.email, "password": PASSWORD})

    assert staff_age == 10 * 3600 == settings.STAFF_SESSION_SECONDS
    assert client.session.get_expiry_age() == 14 * 24 * 3600
