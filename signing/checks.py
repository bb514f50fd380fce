"""System checks of the signing configuration: a backend the portal knows, and a remote
signing service reached over HTTPS in production (the passphrase travels with each request)."""

from django.conf import settings
from django.core.checks import Error, register

from .base import BACKENDS


@register()
def signing_configuration(app_configs, **kwargs) -> list[Error]:
    errors = []
    if settings.ESIGN_BACKEND not in BACKENDS:
        errors.append(
            Error(
                f"ESIGN_BACKEND={settings.ESIGN_BACKEND!r} is not a signing backend.",
                hint="Use ESIGN_BACKEND=local or ESIGN_BACKEND=remote.",
                id="signing.E001",
            )
        )
    elif settings.ESIGN_BACKEND == "remote":
        url = settings.ESIGN_REMOTE_URL
        if not url or (settings.IS_PRODUCTION and not url.startswith("https://")):
            errors.append(
                Error(
                    "The remote signing backend needs ESIGN_REMOTE_URL (https in production).",
                    hint="Set ESIGN_REMOTE_URL=https://tte.example.go.id.",
                    id="signing.E002",
                )
            )
    return errors
