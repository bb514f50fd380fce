from django.conf import settings


def portal(request) -> dict:
    return {"PORTAL": settings.PORTAL}
