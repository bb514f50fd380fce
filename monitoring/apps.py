from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("SOP monitoring")

    def ready(self) -> None:
        from django.db import connection

        from agencies.access import read_along

        from .facts import VERSION_ALONG, VERSION_SQL

        # The dashboard's key, read with the signed-in user's row (one round trip less a page).
        if connection.vendor == "postgresql":
            read_along(VERSION_ALONG, VERSION_SQL)

    def seed_demo(self, stdout) -> None:
        """Demo history of applications for the dashboards (``manage.py seed_demo``)."""
        from .demo import seed_history

        seed_history(stdout)
