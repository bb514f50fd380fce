from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("SOP monitoring")

    def seed_demo(self, stdout) -> None:
        """Demo history of applications for the dashboards (``manage.py seed_demo``)."""
        from .demo import seed_history

        seed_history(stdout)
