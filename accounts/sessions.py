"""How long a sign-in lasts: staff a working day, applicants the site's default.

A sign-in costs a password hash (``accounts.hashers``), far more than a page; staff who work the
inbox all day should pay it once a morning, not every few hours, and an office PC left signed
in should not stay so overnight. Hence one fixed lifetime from the sign-in for anyone holding a
staff role (``STAFF_SESSION_SECONDS``, 10 hours: the office's 07:30-16:00 WITA day plus
overtime), whatever the activity; applicants keep ``SESSION_COOKIE_AGE``.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .second_factor import holds_staff_role


def lifetime_for(user) -> int:
    """Seconds a new session of ``user`` lasts."""
    if holds_staff_role(user):
        return settings.STAFF_SESSION_SECONDS
    return settings.SESSION_COOKIE_AGE


@receiver(user_logged_in, dispatch_uid="accounts.sessions.working_day")
def _set_lifetime(sender, request: HttpRequest | None, user, **kwargs) -> None:
    # The API's token sign-in has no session (request.session is absent): nothing to set.
    session = getattr(request, "session", None)
    if session is not None:
        session.set_expiry(lifetime_for(user))
