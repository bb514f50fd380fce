"""The Celery application; tasks are thin callers of domain functions and take ids."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")

app = Celery("sop_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
