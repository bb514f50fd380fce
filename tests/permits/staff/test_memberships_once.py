"""The staff pages ask many role questions (menu, inbox rule, second factor, access policy);
the request's user reads its memberships once for all of them (agencies.access)."""

from django.db import connection
from django.urls import reverse

from agencies.access import active_roles, office_wide, remember_memberships
from agencies.models import Role
from tests.queries import AppQueries

from ...factories import MembershipFactory, office


def membership_reads(queries) -> int:
    return sum('FROM "agencies_membership"' in q["sql"] for q in queries)


def test_the_inbox_reads_the_officer_s_memberships_once(client, db):
    officer = MembershipFactory(role=Role.TECHNICAL_OFFICER).user
    client.force_login(officer)

    with AppQueries(connection) as ctx:
        response = client.get(reverse("permits:staff_inbox"))

    assert response.status_code == 200
    assert membership_reads(ctx.captured_queries) == 1


def test_a_membership_written_during_the_request_is_seen_by_the_next_question(db):
    membership = MembershipFactory(role=Role.TECHNICAL_OFFICER)
    user = remember_memberships(membership.user)
    assert active_roles(user) == {Role.TECHNICAL_OFFICER}
    assert not office_wide(user)

    MembershipFactory(user=user, agency=office(), role=Role.FRONT_OFFICE)

    assert active_roles(user) == {Role.TECHNICAL_OFFICER, Role.FRONT_OFFICE}
    assert office_wide(user)
