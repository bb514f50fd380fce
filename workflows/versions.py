"""Transitions of SOP versions: publishing a draft (which supersedes the published one)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from sop_portal import audit

from .interchange import sop_to_dict
from .models import SopVersion, SopVersionLocked
from .validation import InvalidSop, Problem, validate_sop

__all__ = ["InvalidSop", "content_problems", "publish"]


def technical_agency_codes(version: SopVersion) -> list[str]:
    """The technical agencies of the service the SOP belongs to, read through the reverse
    one-to-one ``Sop.service`` (workflows does not import permits)."""
    try:
        service = version.sop.service
    except ObjectDoesNotExist:
        return []
    return sorted(service.technical_agencies.values_list("code", flat=True))


def content_problems(version: SopVersion) -> list[Problem]:
    """What stops ``version`` from being published (empty when it may be)."""
    return validate_sop(
        sop_to_dict(version),
        technical_agencies=technical_agency_codes(version),
        known_agencies=set(Agency.objects.values_list("code", flat=True)),
    )


def publish(version: SopVersion, *, by=None) -> SopVersion:
    """Publish a draft: check its content against the format's rules, supersede the version
    published so far, and freeze this one. Raises :class:`SopVersionLocked` when ``version`` is
    not a draft and :class:`InvalidSop` (listing every problem) when its content is invalid."""
    with transaction.atomic():
        locked = SopVersion.objects.select_for_update().select_related("sop").get(pk=version.pk)
        if locked.status != SopVersion.Status.DRAFT:
            raise SopVersionLocked()
        problems = content_problems(locked)
        if problems:
            raise InvalidSop(problems)
        now = timezone.now()
        previous = list(
            SopVersion.objects.select_for_update().filter(
                sop_id=locked.sop_id, status=SopVersion.Status.PUBLISHED
            )
        )
        for old in previous:
            old.status = SopVersion.Status.SUPERSEDED
            old.superseded_at = now
            old.save(update_fields=["status", "superseded_at"])
            audit.record(
                "workflows.sop_version.superseded",
                old,
                actor=by,
                before={"status": SopVersion.Status.PUBLISHED},
                after={"status": SopVersion.Status.SUPERSEDED, "by_version": locked.version},
            )
        locked.status = SopVersion.Status.PUBLISHED
        locked.published_at = now
        locked.published_by = by if by is not None and by.is_authenticated else None
        locked.save(update_fields=["status", "published_at", "published_by"])
        audit.record(
            "workflows.sop_version.published",
            locked,
            actor=by,
            before={"status": SopVersion.Status.DRAFT},
            after={
                "status": SopVersion.Status.PUBLISHED,
                "superseded": [old.version for old in previous],
            },
        )
    for field in ("status", "published_at", "published_by", "published_by_id"):
        setattr(version, field, getattr(locked, field))
    return version
