"""SOP Portal project package: settings, URLs, the Celery app and shared infrastructure."""

from .celery import app as celery_app

__all__ = ["celery_app"]
