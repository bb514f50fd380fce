"""Hourly limits on what an anonymous visitor can make the portal do for them: register an
account, send a password-reset or a verification mail. Counted in the shared cache (Redis in
production) so every process sees one count; each window starts at the first use."""

import hashlib

from django.conf import settings
from django.core.cache import cache

HOUR = 3600


class LimitReached(Exception):
    """The hourly limit of one of the counters is used up; nothing was counted."""


def _key(scope: str, value: str) -> str:
    # Addresses and emails hashed: the cache holds no personal data in clear.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"accounts:limit:{scope}:{digest}"


def _used(key: str) -> int:
    return cache.get(key) or 0


def spend(*counters: tuple[str, str, int]) -> None:
    """Count one use against each ``(scope, value, limit)``, or raise :class:`LimitReached`
    (counting nothing) when any of them is used up."""
    keys = [(_key(scope, value), limit) for scope, value, limit in counters if value]
    if any(_used(key) >= limit for key, limit in keys):
        raise LimitReached
    for key, _limit in keys:
        if not cache.add(key, 1, HOUR):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, HOUR)


def spend_registration(address: str) -> None:
    spend(("register", address, settings.REGISTRATION_MAX_PER_HOUR))


def spend_account_mail(kind: str, *, email: str, address: str) -> None:
    """One ``kind`` mail (``reset``, ``verify``) for ``email`` asked from ``address``. The
    count is per address typed, whether or not it has an account, so a refusal tells nobody
    who is registered."""
    spend(
        (f"{kind}:account", email, settings.ACCOUNT_MAIL_MAX_PER_HOUR),
        (f"{kind}:address", address, settings.ACCOUNT_MAIL_MAX_PER_HOUR_PER_ADDRESS),
    )
