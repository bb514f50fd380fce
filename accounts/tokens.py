"""API tokens that expire, and die with the password.

A token lives ``API_TOKEN_LIFETIME_STAFF`` seconds from its issue for staff and
``API_TOKEN_LIFETIME`` for everyone else; after that it is refused (401) and deleted, and the
token endpoint issues a new one. Changing or resetting a password (any path that saves a new
password: the change form, the reset link, the admin) deletes every token of the account, so a
stolen token stops working when its owner changes the password (OWASP Session Management Cheat
Sheet: "renew the session ID after any privilege level change", and invalidate on password
change)."""

import datetime as dt

from django.conf import settings
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

#: Sent by :meth:`accounts.models.User.save` after a new password was stored (``user``).
password_changed = Signal()


def lifetime(user) -> dt.timedelta:
    from .second_factor import holds_staff_role

    staff = holds_staff_role(user)
    seconds = settings.API_TOKEN_LIFETIME_STAFF if staff else settings.API_TOKEN_LIFETIME
    return dt.timedelta(seconds=seconds)


def expires_at(token: Token) -> dt.datetime:
    return token.created + lifetime(token.user)


def is_expired(token: Token) -> bool:
    return timezone.now() >= expires_at(token)


def issue(user) -> Token:
    """The account's live token: the one it has, or a new one when it has none or it expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def revoke_all(user) -> int:
    """Delete every API token of ``user``; returns how many."""
    deleted, _by_model = Token.objects.filter(user=user).delete()
    return deleted


@receiver(password_changed)
def _revoke_on_password_change(sender, user, **kwargs) -> None:
    revoke_all(user)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing (and deleting) a token past its lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired: obtain a new one."))
        return user, token
