"""Which version of an SOP is in force on a day, and which one is coming.

A version approved with a future effective date is *published* at once (the previous one is
marked superseded: it has a successor) but it only takes effect on that date. Until then the
previous version stays in force: new applications are filed, and submitted ones run, under it.

The one rule: on day ``D`` (in the office's time zone, WITA) the version in force is the
highest-numbered public version (published or superseded) whose effective date is on or before
``D`` — a version without an effective date (published without review) is in force from its
publication. A later version approved with an earlier date than a pending one replaces it: the
pending one never takes effect. The upcoming version is the published one while its date has not
come."""

import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import Sop, SopVersion

PUBLIC = (SopVersion.Status.PUBLISHED, SopVersion.Status.SUPERSEDED)


def today() -> datetime.date:
    """The office's date (Asia/Makassar): an effective date is a calendar day in WITA."""
    return timezone.localdate()


def _effective_by(on: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}effective_on__isnull": True}) | Q(**{f"{prefix}effective_on__lte": on})


def in_force_versions(on: datetime.date | None = None) -> QuerySet[SopVersion]:
    """The public versions whose effective date has come by ``on``, newest first: the first
    of each SOP is the one in force."""
    on = on or today()
    return SopVersion.objects.filter(_effective_by(on), status__in=PUBLIC).order_by("-version")


def in_force(sop: Sop | None, on: datetime.date | None = None) -> SopVersion | None:
    """The version of ``sop`` in force on ``on`` (default: today), or None (none yet)."""
    if sop is None:
        return None
    return in_force_versions(on).filter(sop=sop).first()


def upcoming(sop: Sop | None, on: datetime.date | None = None) -> SopVersion | None:
    """The published version of ``sop`` that takes effect after ``on`` (default: today)."""
    if sop is None:
        return None
    on = on or today()
    return sop.versions.filter(status=SopVersion.Status.PUBLISHED, effective_on__gt=on).first()


def current_versions(on: datetime.date | None = None) -> QuerySet[SopVersion]:
    """For a prefetch: per SOP, the version in force on ``on`` and the published one (the
    same row when it is in force), newest first — at most two rows per SOP."""
    on = on or today()
    in_force_pk = in_force_versions(on).filter(sop=OuterRef("sop")).values("pk")[:1]
    return SopVersion.objects.filter(
        Q(pk=Subquery(in_force_pk)) | Q(status=SopVersion.Status.PUBLISHED)
    ).order_by("-version")


def split(versions: list[SopVersion], on: datetime.date | None = None) -> tuple:
    """(in force, upcoming) among one SOP's ``versions`` (as :func:`current_versions` gives
    them), without a query."""
    on = on or today()
    ready = [
        v for v in versions if v.status in PUBLIC and (not v.effective_on or v.effective_on <= on)
    ]
    current = max(ready, key=lambda v: v.version, default=None)
    coming = next(
        (
            v
            for v in versions
            if v.status == SopVersion.Status.PUBLISHED and v.effective_on and v.effective_on > on
        ),
        None,
    )
    return current, coming
