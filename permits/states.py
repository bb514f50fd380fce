"""The transition tables of an application and of its documents, and their one writer
(``sop_portal.states.StateMachine.move``): nothing else writes ``Application.status`` or
``ApplicationDocument.status``. The applicant's transitions (``permits.lifecycle``), the step
handlers and the engine's events (``permits.actions``) and the deemed-approval sweep all move
through these tables.

Application (``APPLICATION``) — name: from -> to, who may (guard):

- ``submit``: draft -> submitted, the applicant (their own draft, e-mail address verified,
  the SOP version still published, every mandatory document uploaded);
- ``step_opened``: submitted -> in_progress, the engine (an office step opened);
- ``return``: submitted, in_progress, approved, deemed_approved -> returned, the engine (an
  applicant step opened: a return for correction);
- ``resume``: returned -> in_progress, the applicant answering the return;
- ``approve``: in_progress, deemed_approved -> approved, the decision step;
- ``reject``: in_progress -> rejected, the decision step or the rejection letter;
- ``issue``: in_progress, approved, deemed_approved -> issued, the signer of the permit;
- ``finish``: in_progress, approved, deemed_approved -> completed, the engine (the SOP ended);
- ``withdraw``: submitted, in_progress, returned, approved, deemed_approved -> withdrawn, the
  applicant (their own application);
- ``deem_approved``: submitted, in_progress -> deemed_approved, the sweep (the service time
  passed without a decision and the service grants deemed approval, *fiktif positif*,
  UU 30/2014 art. 53 as amended by UU 6/2023).

Issued document (``ISSUED``), its standing — name: from -> to, who:

- ``suspend`` (*pembekuan*): valid -> suspended, the head of the office, with reason, legal
  basis and effective date;
- ``reinstate``: suspended -> valid, the head (the suspension is lifted);
- ``revoke`` (*pencabutan*): valid, suspended -> revoked, the head, with reason, legal basis
  and date; final (a revoked permit cannot be renewed or amended);
- ``replace``: valid, suspended -> replaced, the issuing of the permit of a renewal or an
  amendment of it (the new permit names it; its verification page links to the new one).

Expiry is not a state: a permit is expired once the day after ``valid_until`` begins (WITA),
whoever reads it, so no reader ever sees a stale "valid"; the sweep only sends the reminders
and the expiry notice, each once (``permits.validity``).

A deemed-approved application is approved by law: the office still approves and issues the
permit (the file goes on through its SOP), but it can no longer reject it.

Application document (``DOCUMENT``): ``pending``/``needs_correction`` -> ``accepted`` and
``pending``/``accepted`` -> ``needs_correction``, by the completeness check or the officer
returning the file. A correction stores a new version (``pending``), the old one stays.

The application's moves made inside an engine transition (a step opened, a decision, the end)
and the documents' verdicts are parts of that transition: they pass ``record=False`` and the
transition's own move (the task's, in ``workflows.engine``) writes its one audit entry.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sop_portal.states import StateMachine, Transition
from workflows import effective
from workflows.engine import InvalidState, NotAllowed

from . import application_data
from .models import Application, ApplicationDocument, IssuedDocument, Requirement

S = Application.Status
D = ApplicationDocument.Status

#: States of a file with the office, from which its SOP goes on.
WITH_THE_OFFICE = (S.IN_PROGRESS, S.APPROVED, S.DEEMED_APPROVED)


class MissingDocuments(InvalidState):
    """Mandatory requirements without a document; ``codes`` names them."""

    def __init__(self, names: list[str], codes: list[str]):
        self.codes = codes
        super().__init__(
            _("Upload these documents first: %(names)s.") % {"names": ", ".join(names)}
        )


class IncompleteData(InvalidState):
    """The service's fields are not all answered, or not well; ``errors``: code -> message."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str] | None = None):
        self.errors = dict(errors)
        labels = labels or {}
        super().__init__(
            _("Complete the application details first: %(fields)s.")
            % {"fields": "; ".join(f"{labels.get(c, c)}: {m}" for c, m in self.errors.items())}
        )


def missing_requirements(application: Application) -> list[Requirement]:
    """The service's mandatory requirements without a current document."""
    present = set(application.documents.current().values_list("requirement_code", flat=True))
    return [
        r for r in application.service.requirements.filter(mandatory=True) if r.code not in present
    ]


def require_applicant(application: Application, by) -> None:
    """The applicant's own moves: the applicant, or the front office for a file entered at the
    counter (:func:`permits.access.may_act_for_applicant`)."""
    from .access import may_act_for_applicant

    if by is None or not by.is_authenticated or not may_act_for_applicant(by, application):
        raise NotAllowed(_("Only the applicant can do this."))


def _submit_guard(application: Application, by, **context) -> None:
    """Submitting is the applicant's, from a verified e-mail address (the office writes to it),
    under the SOP version still published, with every mandatory document."""
    require_applicant(application, by)
    if not getattr(by, "email_verified", False):
        raise NotAllowed(_("Verify your email address first: open the link we emailed you."))
    # ``lifecycle.submit`` pins the version in force today (effective dates); a file that
    # reaches here under another one (none in force any more) cannot be submitted.
    if application.sop_version != effective.in_force(application.sop_version.sop):
        raise InvalidState(_("The procedure of this service changed; start a new application."))
    missing = missing_requirements(application)
    if missing:
        raise MissingDocuments([r.name for r in missing], [r.code for r in missing])
    declared = application.service.application_fields
    _cleaned, errors = application_data.clean(declared, application.data, complete=True)
    if errors:
        labels = {f.code: f.label for f in application_data.fields_of(declared)}
        raise IncompleteData(errors, labels)


def _applicant_guard(application: Application, by, **context) -> None:
    require_applicant(application, by)


def _resume_guard(application: Application, by, **context) -> None:
    require_applicant(application, by)


APPLICATION = StateMachine(
    "permits.application",
    Application,
    [
        Transition("submit", {S.DRAFT}, S.SUBMITTED, who="the applicant", guard=_submit_guard),
        Transition("step_opened", {S.SUBMITTED}, S.IN_PROGRESS, who="the engine: an office step"),
        Transition(
            "return",
            {S.SUBMITTED, *WITH_THE_OFFICE},
            S.RETURNED,
            who="the engine: an applicant step (a return for correction)",
        ),
        Transition("resume", {S.RETURNED}, S.IN_PROGRESS, who="the applicant", guard=_resume_guard),
        Transition(
            "approve", {S.IN_PROGRESS, S.DEEMED_APPROVED}, S.APPROVED, who="the decision step"
        ),
        Transition(
            "reject", {S.IN_PROGRESS}, S.REJECTED, who="the decision step or the rejection letter"
        ),
        Transition("issue", set(WITH_THE_OFFICE), S.ISSUED, who="the signer of the permit"),
        Transition("finish", set(WITH_THE_OFFICE), S.COMPLETED, who="the engine: the SOP ended"),
        Transition(
            "withdraw",
            {S.SUBMITTED, S.RETURNED, *WITH_THE_OFFICE},
            S.WITHDRAWN,
            who="the applicant",
            guard=_applicant_guard,
        ),
        Transition(
            "deem_approved",
            {S.SUBMITTED, S.IN_PROGRESS},
            S.DEEMED_APPROVED,
            who="the sweep: the service time passed without a decision",
        ),
    ],
    refusal=InvalidState,
)


def _application_of(document: ApplicationDocument) -> Application:
    return document.application


DOCUMENT = StateMachine(
    "permits.document",
    ApplicationDocument,
    [
        Transition(
            "accept", {D.PENDING, D.NEEDS_CORRECTION}, D.ACCEPTED, who="the completeness check"
        ),
        Transition(
            "ask_correction",
            {D.PENDING, D.ACCEPTED},
            D.NEEDS_CORRECTION,
            who="the completeness check, or the officer returning the file",
        ),
    ],
    audit_on=_application_of,
    refusal=InvalidState,
)


def follow(application: Application, target: str, by=None, **fields) -> None:
    """Move the application (locked by the engine's transition) to ``target`` as one part of
    that transition (its entry records it); a no-op when it is there already."""
    if application.status != target:
        APPLICATION.move(application, target, by=by, locked=True, record=False, fields=fields)


def set_verdict(document: ApplicationDocument, target: str, reason: str, by=None) -> None:
    """A document's verdict (locked by the caller), part of the check or return that gave it."""
    if document.status == target:
        if document.reason != reason:
            document.reason = reason
            document.save(update_fields=["reason"])
        return
    DOCUMENT.move(document, target, by=by, locked=True, record=False, fields={"reason": reason})


# --- the standing of an issued document ---------------------------------------------------

ST = IssuedDocument.Status


def _head_guard(issued: IssuedDocument, by, **context) -> None:
    from .access import may_change_standing

    if not may_change_standing(by):
        raise NotAllowed(_("Only the head of the office can change the standing of a permit."))
    if issued.kind != IssuedDocument.Kind.PERMIT:
        raise InvalidState(_("Only a permit can be suspended or revoked."))


def _issued_application(issued: IssuedDocument) -> Application:
    return issued.application


ISSUED = StateMachine(
    "permits.issued_document",
    IssuedDocument,
    [
        Transition("suspend", {ST.VALID}, ST.SUSPENDED, who="the head", guard=_head_guard),
        Transition("reinstate", {ST.SUSPENDED}, ST.VALID, who="the head", guard=_head_guard),
        Transition(
            "revoke", {ST.VALID, ST.SUSPENDED}, ST.REVOKED, who="the head", guard=_head_guard
        ),
        Transition(
            "replace",
            {ST.VALID, ST.SUSPENDED},
            ST.REPLACED,
            who="the issuing of the permit of its renewal or amendment",
        ),
    ],
    audit_on=_issued_application,
    refusal=InvalidState,
)
