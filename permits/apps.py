"""The permits app: plugs its step actions and notifications into the engine when it loads."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Services and applications")

    def ready(self) -> None:
        from . import actions, filekeeping, fragments, notifications, public_cache

        actions.register()
        public_cache.connect()
        notifications.register()
        filekeeping.connect()
        fragments.connect()
