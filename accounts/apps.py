from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Signal receivers: the lockout audit, token revocation on a password change, the
        # lifetime of a new session.
        from . import lockout, sessions, tokens  # noqa: F401
