"""The API's throttles: DRF's own, with their rates read at each request.

DRF's ``SimpleRateThrottle`` copies ``DEFAULT_THROTTLE_RATES`` into a class attribute when the
module is imported, so a changed setting (an operator's, a test's) would be ignored until a
restart. These read ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at each request instead.
Counts live in Django's default cache: Redis in production, shared by every process.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _LiveRate:
    scope: str

    def get_rate(self) -> str | None:
        # A scope without a rate (or set to None) lifts the throttle.
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)


class AnonThrottle(_LiveRate, AnonRateThrottle):
    """Anonymous callers, per client address."""


class UserThrottle(_LiveRate, UserRateThrottle):
    """Signed-in callers per account (anonymous ones per address)."""


class ScopedThrottle(_LiveRate, ScopedRateThrottle):
    """A view's own ``throttle_scope`` (the token endpoint's ``token``), per address or account."""
