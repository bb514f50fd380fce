"""The portal's password hasher: Argon2id with parameters chosen for a 2-core web host.

Django's own ``Argon2PasswordHasher`` defaults (t=2, m=100 MiB, p=8) cost ~320 ms a sign-in on
the 2-core machine, PBKDF2 (1,000,000 rounds) 0.24-0.8 s: a burst of sign-ins starved every
other request. OWASP's Password Storage Cheat Sheet (2023) lists equally strong Argon2id
configurations, the smallest "m=19 MiB, t=2, p=1"; measured here (argon2-cffi 25.1, Dec 2026):

    t=2 m=100 MiB p=8   322 ms   (Django's default)
    t=3 m=64 MiB  p=4   183 ms   (RFC 9106 "second recommended")
    t=1 m=46 MiB  p=1    51 ms   (OWASP, same strength as the next)
    t=2 m=19 MiB  p=1    22 ms   (OWASP, chosen)

p=1 because a sign-in on a busy 2-core host should hold one core, not all (the lanes would
only queue behind the other requests). The three are settings (``ARGON2_*``) so a larger host
can raise them; a stored hash with other parameters is rehashed at its next sign-in
(``must_update``), and PBKDF2 hashes from before stay valid and are upgraded the same way.
https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id (the ``argon2`` algorithm name of Django's hasher, so existing hashes of Django's
    hasher verify, and are rehashed to these parameters)."""

    @property
    def time_cost(self) -> int:  # type: ignore[override]
        return settings.ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:  # type: ignore[override]
        return settings.ARGON2_MEMORY_KIB

    @property
    def parallelism(self) -> int:  # type: ignore[override]
        return settings.ARGON2_PARALLELISM
