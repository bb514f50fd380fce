"""Queries behind the services API: which services and SOP versions a user may read. The public
catalogue itself is :mod:`permits.selectors`."""

from django.db.models import Prefetch, QuerySet

from agencies.access import is_administrator
from workflows import effective
from workflows.access import sop_versions_visible_to as sop_versions_visible_to_user
from workflows.models import SopPerformer, SopStep, SopVersion

from .models import Service


def services_visible_to(user) -> QuerySet[Service]:
    """Administrators see every service, everyone else the public catalogue."""
    if is_administrator(user):
        return Service.objects.all()
    return Service.objects.public()


def sop_versions_visible_to(user) -> QuerySet[SopVersion]:
    """The SOP versions ``user`` may read (:func:`workflows.access.sop_versions_visible_to`:
    published and superseded for everyone, every version for administrators) of the services
    ``user`` may see."""
    return sop_versions_visible_to_user(user).filter(
        sop__service__in=services_visible_to(user).values("pk")
    )


def service_sop_versions(service: Service, user) -> QuerySet[SopVersion]:
    """The versions of ``service``'s SOP that ``user`` may see, newest first."""
    return (
        sop_versions_visible_to(user)
        .filter(sop__service=service)
        .select_related("sop")
        .order_by("-version")
    )


def service_sop_version(service: Service, user, version: int | None = None) -> SopVersion | None:
    """Version ``version`` of ``service``'s SOP, or by default the newest one ``user`` may see;
    None when there is no such version or ``user`` may not see it."""
    versions = service_sop_versions(service, user)
    if version is not None:
        versions = versions.filter(version=version)
    return versions.first()


def published_sop_version(code: str, purpose: str = "new") -> SopVersion | None:
    """The SOP version in force today of the public service ``code`` for ``purpose`` (``new``:
    its main SOP; ``renewal``, ``amendment``: its own SOP for those, None when it has none),
    with performers and steps."""
    service = Service.objects.public().filter(code=code).first()
    if service is None:
        return None
    sop_id = {"renewal": service.renewal_sop_id, "amendment": service.amendment_sop_id}.get(
        purpose, service.sop_id
    )
    if sop_id is None:
        return None
    return (
        effective.in_force_versions()
        .filter(sop_id=sop_id)
        .select_related("sop")
        .prefetch_related(
            Prefetch("performers", queryset=SopPerformer.objects.select_related("agency")),
            Prefetch("steps", queryset=SopStep.objects.select_related("performer")),
        )
        .first()
    )
