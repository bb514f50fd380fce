"""The signed-in menu (base.html) and the monitoring tabs are rendered once per process for each
language, set of role flags and active page (``{% memo %}``): each person still sees exactly the
links of their roles, in their language, with the right item marked."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from agencies.models import Role
from sop_portal.templatetags import memo

from .factories import MembershipFactory, office


@pytest.fixture(autouse=True)
def fresh_memo():
    memo.clear()
    yield
    memo.clear()


def menu(response) -> str:
    html = response.content.decode()
    return re.search(r'<ul class="portal-menu[^>]*>(.*?)</ul>', html, re.S).group(1)


def tabs(response) -> str:
    html = response.content.decode()
    return re.search(r'<nav class="hero-tabs"[^>]*>(.*?)</nav>', html, re.S).group(1)


def page(client, user, name="permits:notifications", language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response


def test_it_shows_each_role_its_own_links_from_the_same_process(client, citra, dewi, eko, ani):
    officer = menu(page(client, citra))
    head = menu(page(client, dewi))
    admin = menu(page(client, eko))
    applicant = menu(page(client, ani))

    assert "Task inbox" in officer and "SOP performance" not in officer
    assert "Manage SOPs" not in officer and "Counter" not in officer
    assert "SOP performance" in head and "Manage SOPs" not in head
    assert "Manage SOPs" in admin and "Counter" in admin
    assert "My applications" in applicant and "Task inbox" not in applicant
    # The name and the sign-out form's token are the person's own, outside the kept fragment.
    assert "Citra" in officer and "Dewi" in head


def test_a_new_role_changes_the_menu_at_the_next_request(client, citra):
    assert "SOP performance" not in menu(page(client, citra))

    MembershipFactory(user=citra, agency=office(), role=Role.HEAD)

    assert "SOP performance" in menu(page(client, citra))


def test_it_speaks_the_reader_s_language(client, citra):
    english = menu(page(client, citra, language="en"))
    indonesian = menu(page(client, citra, language="id"))

    assert "Task inbox" in english and "Notifications" in english
    assert "Kotak masuk tugas" in indonesian and "Notifikasi" in indonesian
    assert "Task inbox" not in indonesian


def test_it_marks_the_page_being_read(client, ani):
    on_notifications = menu(page(client, ani, "permits:notifications"))
    on_list = menu(page(client, ani, "permits:my_applications"))

    notifications = reverse("permits:notifications")
    assert f'href="{notifications}" aria-current="page"' in on_notifications
    assert f'href="{notifications}" aria-current="page"' not in on_list
    assert 'class="is-active">My applications' in on_list
    assert 'class="is-active">My applications' not in on_notifications


def test_the_monitoring_tabs_follow_the_roles(client, dewi, budi):
    head = tabs(page(client, dewi, "feedback:complaint_inbox"))
    front_office = tabs(page(client, budi, "feedback:complaint_inbox"))

    assert "SOP performance" in head and "Paper survey entry" in head
    assert "SOP performance" not in front_office and "Paper survey entry" in front_office
    assert 'aria-current="page">Complaints' in head


def test_a_block_inside_a_kept_fragment_is_refused():
    from django.template import Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template('{% load memo %}{% memo "x" %}{% block a %}{% endblock %}{% endmemo %}')
