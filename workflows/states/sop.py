"""The transition table of an SOP version (``SopVersion.status``) and its one writer.

::

    draft --submit--> in_review --approve--> published --supersede--> superseded
      ^                   |
      +-----return--------+
    draft --publish_unreviewed--> published   (an administrator's explicit, audited publish:
                                               the import with --publish; no review)

The domain functions of :mod:`workflows.versions` call :data:`SOP_VERSION`'s ``move``; they
keep the audit codes the history pages read (``workflows.sop_version.submitted`` …)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
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


def _approvable(version: SopVersion, by=None, *, effective_on=None, **context) -> None:
    if not isinstance(effective_on, datetime.date):
        raise ValidationError(_("Give the date the SOP takes effect."))
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
