"""Transitions of SOP versions: a new draft, review (submit, return, approve and publish),
publishing (which supersedes the published version) and deleting a draft."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from sop_portal import audit

from .interchange import create_version_from_dict, sop_to_dict
from .models import Sop, SopVersion, SopVersionLocked
from .states.sop import SOP_VERSION
from .validation import InvalidSop, Problem, validate_sop

__all__ = [
    "InvalidSop",
    "OpenDraftExists",
    "WrongStatus",
    "approve_and_publish",
    "content_problems",
    "delete_draft",
    "new_draft",
    "publish",
    "return_to_draft",
    "start_sop",
    "submit_for_review",
]


class WrongStatus(ValidationError):
    """A review transition asked of a version in another status than the one it leaves."""

    def __init__(self, version: SopVersion, expected: str):
        super().__init__(
            _("SOP version %(version)s is %(status)s; this needs a version that is %(expected)s.")
            % {
                "version": version.version,
                "status": version.get_status_display(),
                "expected": SopVersion.Status(expected).label,
            }
        )


class OpenDraftExists(ValidationError):
    """An SOP has at most one version being written or reviewed at a time."""

    def __init__(self, version: SopVersion):
        self.version = version
        super().__init__(
            _(
                "Version %(version)s of this SOP is still a draft or in review: finish or delete "
                "it before starting another."
            )
            % {"version": version.version}
        )


#: The kinds of SOP a service may have (the interchange format's ``purpose``) and the reverse
#: one-to-one accessor from ``Sop`` to its service (``permits``: workflows does not import it).
PURPOSES = (("new", "service"), ("renewal", "renewal_service"), ("amendment", "amendment_service"))


def service_and_purpose(sop: Sop) -> tuple:
    """(service, purpose) of ``sop``: the service whose main, renewal or amendment SOP it is,
    and which; (None, "new") for an SOP no service uses yet."""
    for purpose, accessor in PURPOSES:
        try:
            return getattr(sop, accessor), purpose
        except (ObjectDoesNotExist, AttributeError):
            continue
    return None, "new"


def technical_agency_codes(version: SopVersion) -> list[str]:
    """The technical agencies of the service the SOP belongs to (as its main, renewal or
    amendment SOP)."""
    service, _purpose = service_and_purpose(version.sop)
    if service is None:
        return []
    return sorted(service.technical_agencies.values_list("code", flat=True))


def content_problems(version: SopVersion) -> list[Problem]:
    """What stops ``version`` from being published (empty when it may be)."""
    return validate_sop(
        sop_to_dict(version),
        technical_agencies=technical_agency_codes(version),
        known_agencies=set(Agency.objects.values_list("code", flat=True)),
    )


def _publish_locked(
    locked: SopVersion, *, by, name: str, after=None, fields=None, **context
) -> None:
    """Supersede the published version of the same SOP, then move ``locked`` (row-locked) to
    published by transition ``name``: one audit entry per version moved. The guard runs inside
    the caller's transaction, so a refusal leaves nothing superseded."""
    now = timezone.now()
    previous = list(
        SopVersion.objects.select_for_update().filter(
            sop_id=locked.sop_id, status=SopVersion.Status.PUBLISHED
        )
    )
    for old in previous:
        SOP_VERSION.move(
            old,
            SopVersion.Status.SUPERSEDED,
            by=by,
            name="supersede",
            fields={"superseded_at": now},
            after={"by_version": locked.version},
            action="workflows.sop_version.superseded",
            locked=True,
        )
    SOP_VERSION.move(
        locked,
        SopVersion.Status.PUBLISHED,
        by=by,
        name=name,
        fields={
            "published_at": now,
            "published_by": by if by is not None and by.is_authenticated else None,
            **(fields or {}),
        },
        after={"superseded": [old.version for old in previous], **(after or {})},
        action="workflows.sop_version.published",
        locked=True,
        **context,
    )


def publish(version: SopVersion, *, by=None) -> SopVersion:
    """Publish a draft without review: the administrator's explicit publish (the SOP import
    with ``--publish``), audited as ``workflows.sop_version.published`` with
    ``without_review``. Checks the content against the format's rules, supersedes the version
    published so far, and freezes this one. Raises :class:`SopVersionLocked` when ``version`` is
    not a draft, :class:`InvalidSop` (listing every problem) when its content is invalid and
    ``PermissionDenied`` when ``by`` is a signed-in user who is not an administrator."""
    with transaction.atomic():
        locked = SopVersion.objects.select_for_update().select_related("sop").get(pk=version.pk)
        if locked.status != SopVersion.Status.DRAFT:
            raise SopVersionLocked()
        _publish_locked(locked, by=by, name="publish_unreviewed", after={"without_review": True})
    for field in ("status", "published_at", "published_by", "published_by_id"):
        setattr(version, field, getattr(locked, field))
    return version


OPEN_STATUSES = (SopVersion.Status.DRAFT, SopVersion.Status.IN_REVIEW)


def _lock(version: SopVersion) -> SopVersion:
    return SopVersion.objects.select_for_update().select_related("sop").get(pk=version.pk)


def _refresh(version: SopVersion, locked: SopVersion, fields) -> SopVersion:
    for field in fields:
        setattr(version, field, getattr(locked, field))
    return version


def start_sop(code: str, name: str, *, by=None) -> SopVersion:
    """A new SOP ``code`` with an empty version 1 draft named ``name`` (its performers and steps
    are then written in the editor)."""
    code = code.strip()
    if not code:
        raise ValidationError(_("Give the SOP a code."))
    with transaction.atomic():
        sop, created = Sop.objects.get_or_create(code=code)
        if not created:
            message = _("An SOP with the code %(code)s exists already.")
            raise ValidationError(message % {"code": code})
        audit.record("workflows.sop.created", sop, actor=by, after={"code": code})
        return create_version_from_dict(
            sop,
            {"name": name, "performers": [], "steps": []},
            actor=by,
            audit_action="workflows.sop_version.drafted",
        )


def new_draft(sop: Sop, *, by=None) -> SopVersion:
    """Version N+1 of ``sop`` as a draft, a copy of the newest version's identity, performers and
    steps (without its effective date, which is set when the new version is approved). Raises
    :class:`OpenDraftExists` while another version is a draft or in review."""
    with transaction.atomic():
        Sop.objects.select_for_update().filter(pk=sop.pk).first()
        open_version = sop.versions.filter(status__in=OPEN_STATUSES).first()
        if open_version is not None:
            raise OpenDraftExists(open_version)
        newest = sop.versions.order_by("-version").first()
        data = (
            sop_to_dict(newest)
            if newest is not None
            else {"name": sop.code, "performers": [], "steps": []}
        )
        data["effective_on"] = None
        version = create_version_from_dict(
            sop, data, actor=by, audit_action="workflows.sop_version.drafted"
        )
        if newest is not None:
            audit.record(
                "workflows.sop_version.copied",
                version,
                actor=by,
                after={"from_version": newest.version},
            )
    return version


def delete_draft(version: SopVersion, *, by=None) -> None:
    """Delete a draft (never a version in review, published or superseded)."""
    with transaction.atomic():
        locked = _lock(version)
        if locked.status != SopVersion.Status.DRAFT:
            raise SopVersionLocked(_("Only a draft SOP version can be deleted."))
        audit.record(
            "workflows.sop_version.deleted",
            locked,
            actor=by,
            before={"version": locked.version, "status": locked.status},
        )
        locked.steps.all().delete()  # steps protect their performers
        locked.delete()


def submit_for_review(version: SopVersion, *, by=None) -> SopVersion:
    """Draft -> in review: the content must be valid (:class:`InvalidSop` lists why not); from
    now on it cannot be edited until it is returned to draft."""
    with transaction.atomic():
        locked = _lock(version)
        if locked.status != SopVersion.Status.DRAFT:
            raise SopVersionLocked()
        SOP_VERSION.move(
            locked,
            SopVersion.Status.IN_REVIEW,
            by=by,
            name="submit",
            action="workflows.sop_version.submitted",
            locked=True,
        )
    return _refresh(version, locked, ["status"])


def return_to_draft(version: SopVersion, *, by=None, reason: str) -> SopVersion:
    """In review -> draft, with the reviewer's reason (required), so it can be corrected."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the version goes back to draft."))
    with transaction.atomic():
        locked = _lock(version)
        if locked.status != SopVersion.Status.IN_REVIEW:
            raise WrongStatus(locked, SopVersion.Status.IN_REVIEW)
        SOP_VERSION.move(
            locked,
            SopVersion.Status.DRAFT,
            by=by,
            name="return",
            reason=reason,
            note=reason,
            action="workflows.sop_version.returned",
            locked=True,
        )
    return _refresh(version, locked, ["status"])


def approve_and_publish(version: SopVersion, *, by=None, effective_on: datetime.date) -> SopVersion:
    """In review -> published, in force from ``effective_on``; the published version so far is
    superseded. All in one transaction: nothing changes when the content turns out invalid."""
    if not isinstance(effective_on, datetime.date):
        raise ValidationError(_("Give the date the SOP takes effect."))
    with transaction.atomic():
        locked = _lock(version)
        if locked.status != SopVersion.Status.IN_REVIEW:
            raise WrongStatus(locked, SopVersion.Status.IN_REVIEW)
        audit.record(
            "workflows.sop_version.approved",
            locked,
            actor=by,
            before={
                "status": SopVersion.Status.IN_REVIEW,
                "effective_on": locked.effective_on.isoformat() if locked.effective_on else None,
            },
            after={"effective_on": effective_on.isoformat()},
        )
        _publish_locked(
            locked,
            by=by,
            name="approve",
            fields={"effective_on": effective_on},
            effective_on=effective_on,
        )
    return _refresh(
        version,
        locked,
        ["status", "effective_on", "published_at", "published_by", "published_by_id"],
    )
