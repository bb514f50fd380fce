from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopPortalConfig(AppConfig):
    """Shared infrastructure: the audit log, worker heartbeat and configuration checks."""

    name = "sop_portal"
    verbose_name = _("Portal infrastructure")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
