"""Every setting the code reads is declared in ``sop_portal/settings.py`` (or is one of Django's
own), so its default lives in one place and the README's table can list it; and what leaves the
portal by e-mail carries absolute links under ``PORTAL_BASE_URL``."""

import re
from pathlib import Path

from django.conf import global_settings
from django.core import mail

import sop_portal.settings as project_settings
from permits.models import Notification
from permits.tasks import send_notification_emails
from sop_portal import links

from .factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
APPS = ("sop_portal", "accounts", "agencies", "workflows", "permits", "feedback", "monitoring")
READ = re.compile(
    r"""getattr\(\s*settings,\s*["']([A-Z][A-Z0-9_]+)["']|settings\.([A-Z][A-Z0-9_]+)"""
)


def settings_read_by_the_code() -> dict[str, str]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "/migrations/" in path.as_posix() or path.name == "settings.py":
                continue
            for match in READ.finditer(path.read_text(encoding="utf-8")):
                found.setdefault(
                    match.group(1) or match.group(2), path.relative_to(ROOT).as_posix()
                )
    return found


def test_every_setting_the_code_reads_is_declared():
    undeclared = {
        name: where
        for name, where in settings_read_by_the_code().items()
        if not hasattr(project_settings, name) and not hasattr(global_settings, name)
    }
    assert undeclared == {}


def test_no_code_repeats_a_default_of_a_declared_setting():
    # getattr(settings, "X", default) would keep a second default next to settings.py's.
    repeated = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for match in re.finditer(r"""getattr\(\s*settings,\s*["']([A-Z0-9_]+)["']\s*,""", text):
                if hasattr(project_settings, match.group(1)):
                    repeated.append(f"{path.relative_to(ROOT)}: {match.group(1)}")
    assert repeated == []


def test_a_link_is_made_absolute_under_the_portal_address(settings):
    settings.PORTAL_BASE_URL = "https://izin.sultraprov.go.id"

    assert links.absolute("/permohonan/12/") == "https://izin.sultraprov.go.id/permohonan/12/"
    assert links.absolute("lacak/") == "https://izin.sultraprov.go.id/lacak/"
    assert links.absolute("https://lapor.go.id/") == "https://lapor.go.id/"
    assert links.absolute("") == ""


def test_a_notification_email_carries_an_absolute_link(db, settings):
    settings.PORTAL_BASE_URL = "https://izin.sultraprov.go.id"
    ani = UserFactory(email="ani@contoh.id")
    notice = Notification.objects.create(
        recipient=ani, text="Berkas dikembalikan", link="/permohonan/7/"
    )

    assert send_notification_emails([notice.pk]) == 1

    (message,) = mail.outbox
    assert "https://izin.sultraprov.go.id/permohonan/7/" in message.body
    assert " /permohonan/7/" not in message.body
