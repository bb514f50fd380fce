"""The transition table of an SOP version (``SopVersion.status``) and its one writer.

::

    draft --submit--> in_review --approve--> published --supersede--> superseded
                      (reviewer: head or administrator; four eyes — not an author)
      ^                   |
      +-----return--------+
    draft --publish_unreviewed--> published   (an administrator's explicit, audited publish:
                                               the import with --publish; no review)

The domain functions of :mod:`workflows.versions` call :data:`SOP_VERSION`'s ``move``; they
keep the audit codes the history pages read (``workflows.sop_version.submitted`` …)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from agencies.access import is_administrator
from sop_portal.states import StateMachine, Transition

from ..models import SopVersion

DRAFT = SopVersion.Status.DRAFT
IN_REVIEW = SopVersion.Status.IN_REVIEW
PUBLISHED = SopVersion.Status.PUBLISHED
SUPERSEDED = SopVersion.Status.SUPERSEDED


def _content_valid(version: SopVersion, by=None, **context) -> None:
    """The content must pass the format's rules (:class:`InvalidSop` lists every problem)."""
    from ..validation import InvalidSop
    from ..versions import content_problems

    problems = content_problems(version)
    if problems:
        raise InvalidSop(problems)


def _reason_given(version: SopVersion, by=None, *, note: str = "", **context) -> None:
    """The reviewer says why (``note``: the reason, passed again as context because ``move``
    keeps its own ``reason`` for the audit entry)."""
    if not (note or "").strip():
        raise ValidationError(_("Say why the version goes back to draft."))
    if by is not None and getattr(by, "is_authenticated", False):
        from ..access import may_review_sops

        if not may_review_sops(by):
            raise NotReviewer()


class SameAuthor(PermissionDenied):
    """Four eyes: whoever wrote a version cannot approve it."""

    def __init__(self):
        self.message = _(
            "You drafted or edited this version, so you cannot approve it: another reviewer "
            "must (four-eyes rule)."
        )
        super().__init__(self.message)


class NotReviewer(PermissionDenied):
    def __init__(self):
        self.message = _("Only the head of the office or an administrator reviews SOP versions.")
        super().__init__(self.message)


#: Audit actions by which someone writes a version's content (on the version itself).
AUTHORING_ACTIONS = (
    "workflows.sop_version.created",
    "workflows.sop_version.drafted",
    "workflows.sop_version.imported",
    "workflows.sop_version.uploaded",
    "workflows.sop_version.copied",
    "workflows.sop_version.identity_updated",
    "workflows.sop_version.submitted",
    "workflows.sop_version.sopsteps_edited",
    "workflows.sop_version.sopperformers_edited",
)


def authors(version: SopVersion) -> set[int]:
    """The users who drafted, edited or submitted ``version``: its creator and the actors of
    the audit entries that wrote its identity, steps or performers."""
    from sop_portal.models import AuditEntry

    parts = Q(object_type="workflows.sopversion", object_id=str(version.pk)) & Q(
        action__in=AUTHORING_ACTIONS
    )
    parts |= Q(
        object_type="workflows.sopstep",
        object_id__in=[str(pk) for pk in version.steps.values_list("pk", flat=True)],
    )
    parts |= Q(
        object_type="workflows.sopperformer",
        object_id__in=[str(pk) for pk in version.performers.values_list("pk", flat=True)],
    )
    found = set(
        AuditEntry.objects.filter(parts, actor_key__isnull=False).values_list(
            "actor_key", flat=True
        )
    )
    if version.created_by_id is not None:
        found.add(version.created_by_id)
    return found


def _reviewer(version: SopVersion, by=None) -> None:
    """A signed-in reviewer (the operator running a command, ``by=None``, is the system); with
    ``SOP_FOUR_EYES`` (on by default) never one of the version's authors."""
    if by is None or not getattr(by, "is_authenticated", False):
        return
    from ..access import may_review_sops

    if not may_review_sops(by):
        raise NotReviewer()
    if settings.SOP_FOUR_EYES and by.pk in authors(version):
        raise SameAuthor()


def _approvable(version: SopVersion, by=None, *, effective_on=None, **context) -> None:
    if not isinstance(effective_on, datetime.date):
        raise ValidationError(_("Give the date the SOP takes effect."))
    _reviewer(version, by)
    _content_valid(version, by)


def _administrator_publish(version: SopVersion, by=None, **context) -> None:
    """Publishing without review is an administrator's act (or the operator's, running a
    management command with no user); it is recorded as such."""
    if by is not None and getattr(by, "is_authenticated", False) and not is_administrator(by):
        raise PermissionDenied
    _content_valid(version, by)


SOP_VERSION = StateMachine(
    "workflows.sop_version",
    SopVersion,
    [
        Transition(
            "submit", {DRAFT}, IN_REVIEW, who="an SOP editor (administrator)", guard=_content_valid
        ),
        Transition(
            "return", {IN_REVIEW}, DRAFT, who="the reviewer, with a reason", guard=_reason_given
        ),
        Transition(
            "approve",
            {IN_REVIEW},
            PUBLISHED,
            who="the reviewer, with the effective date",
            guard=_approvable,
        ),
        Transition(
            "publish_unreviewed",
            {DRAFT},
            PUBLISHED,
            who="an administrator, explicitly (SOP import with --publish)",
            guard=_administrator_publish,
        ),
        Transition(
            "supersede",
            {PUBLISHED},
            SUPERSEDED,
            who="the system, when the next version of the same SOP is published",
        ),
    ],
)
