"""The signing app (no models: keys live in PKCS#12 files or at the signing service) and its
system checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "signing"
    verbose_name = _("Electronic signatures")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
