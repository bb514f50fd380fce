"""WSGI entry point. Runs the system checks first, so a production server refuses to start
with an unsafe configuration (DEBUG on, no real secret)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_portal.settings")

application = get_wsgi_application()

from django.core.management import call_command  # noqa: E402

call_command("check", fail_level="ERROR")
