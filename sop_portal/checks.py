"""System checks that refuse an unsafe production configuration (run by every manage.py
command and at WSGI start-up, see ``sop_portal.wsgi``)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=False)
def production_configuration(app_configs, **kwargs) -> list[Error]:
    if not settings.IS_PRODUCTION:
        return []
    errors = []
    key = settings.SECRET_KEY or ""
    if key == settings.DEV_SECRET_KEY or len(key) < 50 or len(set(key)) < 5:
        errors.append(
            Error(
                "SECRET_KEY is missing, too short or the development default.",
                hint="Set SECRET_KEY to a random string of at least 50 characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
                id="sop_portal.E001",
            )
        )
    if settings.DEBUG:
        errors.append(
            Error(
                "DEBUG is on in production.",
                hint="Unset DEBUG or set DEBUG=false.",
                id="sop_portal.E002",
            )
        )
    if not settings.DATABASE_URL:
        errors.append(
            Error(
                "Production needs its PostgreSQL server: DATABASE_URL is not set.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/name.",
                id="sop_portal.E003",
            )
        )
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        errors.append(
            Error(
                "Production needs Redis as the Celery broker.",
                hint="Set REDIS_URL=redis://host:6379/0.",
                id="sop_portal.E004",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS is empty.",
                hint="Set ALLOWED_HOSTS=portal.example.go.id (comma-separated).",
                id="sop_portal.E005",
            )
        )
    if not settings.PORTAL_BASE_URL.startswith(("https://", "http://")):
        errors.append(
            Error(
                "PORTAL_BASE_URL is not set: links in e-mails, QR codes and PDFs need it.",
                hint="Set PORTAL_BASE_URL=https://portal.example.go.id (the public address).",
                id="sop_portal.E006",
            )
        )
    if not settings.OTP_REQUIRED_FOR_STAFF:
        errors.append(
            Warning(
                "Staff sign in without a second factor (OTP_REQUIRED_FOR_STAFF is off).",
                hint="Unset OTP_REQUIRED_FOR_STAFF (on by default in production): staff can "
                "issue permits and publish SOPs.",
                id="sop_portal.W001",
            )
        )
    return errors
