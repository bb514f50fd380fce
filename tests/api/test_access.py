"""agencies.access: who counts as an administrator (drafts, imports)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agencies.access import active_roles, is_administrator
from agencies.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_superuser_is_an_administrator_without_a_membership():
    boss = UserFactory(is_superuser=True)

    assert is_administrator(boss)
    assert active_roles(boss) == set()


def test_an_active_administrator_membership_makes_an_administrator(fajar):
    assert is_administrator(fajar)
    assert active_roles(fajar) == {Role.ADMINISTRATOR}


def test_other_roles_and_the_public_are_not_administrators(ani, budi, citra, dewi):
    assert active_roles(budi) == {Role.FRONT_OFFICE}
    assert active_roles(citra) == {Role.TECHNICAL_OFFICER}
    for user in (ani, budi, citra, dewi, AnonymousUser(), None):
        assert not is_administrator(user)
    assert active_roles(AnonymousUser()) == set()


def test_it_counts_every_active_role_of_a_person(dewi, dishub):
    MembershipFactory(user=dewi, agency=dishub, role=Role.ADMINISTRATOR)
    MembershipFactory(user=dewi, agency=dishub, role=Role.CASHIER, is_active=False)

    assert active_roles(dewi) == {Role.HEAD, Role.ADMINISTRATOR}
    assert is_administrator(dewi)


def test_a_deactivated_membership_or_user_is_no_longer_an_administrator(fajar):
    Membership.objects.filter(user=fajar).update(is_active=False)
    assert not is_administrator(fajar)

    Membership.objects.filter(user=fajar).update(is_active=True)
    fajar.is_active = False
    assert not is_administrator(fajar)
    assert active_roles(fajar) == set()
