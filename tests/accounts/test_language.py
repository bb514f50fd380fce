"""The language a person reads the portal in is kept on their account: at sign-up and each
time they switch (issue 15 item 4)."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_switching_the_language_keeps_it_on_the_account(client, ani):
    client.force_login(ani)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/lacak/"})
    assert response.status_code == 302 and response["Location"] == "/lacak/"
    ani.refresh_from_db()
    assert ani.language == "en"
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    ani.refresh_from_db()
    assert ani.language == "id"


def test_an_unknown_language_changes_nothing(client, ani):
    client.force_login(ani)
    before = ani.language
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    ani.refresh_from_db()
    assert ani.language == before


def test_a_visitor_switches_without_an_account(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_sign_up_keeps_the_language_it_was_made_in(client, settings):
    from accounts import registration

    user = registration.register(
        email="lin@contoh.id",
        full_name="Lin",
        phone="",
        nik="",
        password="kata-sandi-yang-panjang-1",
        language="en",
    )
    assert User.objects.get(pk=user.pk).language == "en"
    assert registration.preferred_language("xx") == settings.LANGUAGE_CODE
