"""Suspending (*pembekuan*), reinstating and revoking (*pencabutan*) an issued permit: the head's
transitions of ``permits.states.ISSUED``, each with its reason, legal basis and effective date,
one audit entry, and a notice to the holder. The verification page reads the new standing at
once (nothing is cached)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.engine import InvalidState

from .models import IssuedDocument
from .states import ISSUED


def _require(reason: str, legal_basis: str, effective_on: date | None) -> None:
    if not (reason or "").strip():
        raise InvalidState(_("Give the reason."))
    if not (legal_basis or "").strip():
        raise InvalidState(_("Give the legal basis."))
    if effective_on is None:
        raise InvalidState(_("Give the date it takes effect."))


def _move(issued, target, by, name, reason, legal_basis, effective_on, fields, text):
    with transaction.atomic():
        ISSUED.move(
            issued,
            target,
            by=by,
            name=name,
            reason=reason,
            fields={
                "revoked_reason": reason.strip(),
                "legal_basis": legal_basis.strip(),
                "effective_on": effective_on,
                **fields,
            },
            after={
                "number": issued.number,
                "legal_basis": legal_basis.strip(),
                "effective_on": effective_on.isoformat() if effective_on else None,
            },
        )
        from .notifications import notify_holder

        notify_holder(issued, text, number=issued.number, reason=reason.strip())
    return issued


def suspend(issued: IssuedDocument, by, reason: str, legal_basis: str, effective_on: date):
    """The head suspends the permit (it stays on record; it can be reinstated)."""
    _require(reason, legal_basis, effective_on)
    return _move(
        issued,
        IssuedDocument.Status.SUSPENDED,
        by,
        "suspend",
        reason,
        legal_basis,
        effective_on,
        {"suspended_at": timezone.now()},
        gettext_lazy("Your permit %(number)s was suspended: %(reason)s"),
    )


def reinstate(issued: IssuedDocument, by, reason: str, legal_basis: str, effective_on: date):
    """The head lifts the suspension."""
    _require(reason, legal_basis, effective_on)
    return _move(
        issued,
        IssuedDocument.Status.VALID,
        by,
        "reinstate",
        reason,
        legal_basis,
        effective_on,
        {"suspended_at": None},
        gettext_lazy("The suspension of your permit %(number)s was lifted: %(reason)s"),
    )


def revoke(issued: IssuedDocument, by, reason: str, legal_basis: str, effective_on: date):
    """The head revokes the permit: final; it can no longer be renewed or amended."""
    _require(reason, legal_basis, effective_on)
    return _move(
        issued,
        IssuedDocument.Status.REVOKED,
        by,
        "revoke",
        reason,
        legal_basis,
        effective_on,
        {"revoked_at": timezone.now()},
        gettext_lazy("Your permit %(number)s was revoked: %(reason)s"),
    )


CHANGES = {"suspend": suspend, "reinstate": reinstate, "revoke": revoke}
