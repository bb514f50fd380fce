"""The request's user and their agency memberships are one query (agencies.access,
accounts.backends): every role question of the page (menu, access rules, second factor) is
answered from it."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.urls import reverse

from agencies.access import active_roles, membership_facts, remember_memberships
from agencies.models import Role
from tests.queries import AppQueries

from ..factories import MembershipFactory, office


def reads(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]


def test_it_reads_a_signed_in_officer_and_their_memberships_in_one_query(client, citra):
    client.force_login(citra)

    with AppQueries(connection) as ctx:
        response = client.get(reverse("permits:notifications"))

    assert response.status_code == 200
    users = reads(ctx.captured_queries, "accounts_user")
    assert len(users) == 1
    assert 'FROM "agencies_membership"' in users[0]
    assert [q for q in reads(ctx.captured_queries, "agencies_membership") if q not in users] == []


def test_it_reads_the_memberships_of_an_applicant_as_none_in_the_same_query(client, ani):
    client.force_login(ani)

    with AppQueries(connection) as ctx:
        response = client.get(reverse("permits:my_applications"))

    assert response.status_code == 200
    assert len(reads(ctx.captured_queries, "accounts_user")) == 1
    assert len(reads(ctx.captured_queries, "agencies_membership")) == 1


def test_it_counts_only_active_memberships_of_active_agencies(db, citra):
    from accounts.backends import PortalModelBackend

    closed = MembershipFactory(user=citra, role=Role.HEAD)
    closed.agency.is_active = False
    closed.agency.save(update_fields=["is_active"])
    MembershipFactory(user=citra, agency=office(), role=Role.FRONT_OFFICE, is_active=False)

    user = remember_memberships(PortalModelBackend().get_user(citra.pk))

    assert active_roles(user) == {Role.TECHNICAL_OFFICER}
    assert membership_facts(user) == membership_facts(type(citra).objects.get(pk=citra.pk))


def test_a_membership_written_after_the_read_is_seen_by_the_next_question(db, citra):
    from accounts.backends import PortalModelBackend

    user = remember_memberships(PortalModelBackend().get_user(citra.pk))
    assert active_roles(user) == {Role.TECHNICAL_OFFICER}

    MembershipFactory(user=user, agency=office(), role=Role.FRONT_OFFICE)

    assert active_roles(user) == {Role.TECHNICAL_OFFICER, Role.FRONT_OFFICE}


def test_a_session_signed_in_with_django_s_model_backend_stays_signed_in(client, citra):
    client.force_login(citra)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()

    response = client.get(reverse("permits:notifications"))

    assert response.status_code == 200
    assert response.wsgi_request.user == citra
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.PortalModelBackend"


def _through_middleware(client, user, method: str) -> list:
    """What a view of a ``method`` request sees read along with ``user`` (the facts' version)."""
    from importlib import import_module

    from django.conf import settings
    from django.test import RequestFactory

    from agencies.access import MembershipsOncePerRequest, value_read_along

    client.force_login(user)
    request = getattr(RequestFactory(), method)("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(
        client.session.session_key
    )
    seen = []

    def view(request):
        seen.append((request.user.pk, value_read_along("facts_version")))

    MembershipsOncePerRequest(view)(request)
    return seen


def test_it_reads_the_facts_version_with_the_user_on_a_get(client, citra):
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM monitoring_facts_version")
        version = cursor.fetchone()[0]
    assert _through_middleware(client, citra, "get") == [(citra.pk, version)]


def test_it_reads_nothing_along_on_a_post(client, citra):
    # A writing request may change the figures before it shows them: it reads the version itself.
    assert _through_middleware(client, citra, "post") == [(citra.pk, None)]
