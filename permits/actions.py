"""What each SOP step ``action`` does to an application, registered with the engine when the
app loads (``PermitsConfig.ready``): the completeness check, recommendations, the field
inspection, payment, the decision, issuing the permit or the rejection letter, handover.
Handlers run inside the engine's transition (the application locked); the transitions of
their own (scheduling a visit) follow the same rule: lock, check, write, one audit entry."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from sop_portal import audit
from sop_portal.formatting import format_day
from workflows import actions, engine
from workflows.actions import DONE, NO, YES, ActionHandler
from workflows.engine import InvalidOutcome, InvalidState
from workflows.models import PauseReason, PerformerRole, StepAction, Symbol, Task

from . import issuing, numbering, signals
from .models import (
    Application,
    ApplicationDocument,
    Attachment,
    CompletenessCheck,
    Decision,
    Handover,
    Inspection,
    IssuedDocument,
    Payment,
    Recommendation,
    same_payment_code,
)
from .states import APPLICATION, follow, set_verdict
from .uploads import validate_upload

ATTACHMENT_FORMATS = ("pdf", "jpg", "png", "docx", "xlsx")


def _store_attachment(task: Task, by, uploaded_file) -> Attachment:
    checked = validate_upload(uploaded_file, formats=ATTACHMENT_FORMATS)
    attachment = Attachment(
        task=task,
        application_id=task.application_id,
        original_name=checked.safe_name,
        uploaded_by=by,
    )
    attachment.file.save(checked.storage_name, uploaded_file, save=False)
    attachment.save()
    return attachment


def _yes_no(task: Task, outcome: str | None, yes: bool) -> str | None:
    """The decision outcome implied by the step's data (a process step has none); a given
    outcome must agree with it."""
    if task.step.symbol != Symbol.DECISION:
        return DONE
    implied = YES if yes else NO
    if outcome not in (None, "", implied):
        raise InvalidOutcome(_("The outcome does not match what was entered."))
    return implied


class SubmitHandler(ActionHandler):
    """The applicant (re)submits: nothing asked for may still wait for a replacement."""

    def complete(self, task, by, outcome, data):
        pending = ApplicationDocument.objects.current().filter(
            application_id=task.application_id,
            status=ApplicationDocument.Status.NEEDS_CORRECTION,
        )
        if pending.exists():
            raise InvalidState(
                _("Replace these documents first: %(names)s.")
                % {"names": ", ".join(pending.values_list("requirement_name", flat=True))}
            )
        return DONE


class CheckHandler(ActionHandler):
    """Completeness check: a verdict per current document (``data["results"]``: code ->
    ``{"accepted": bool, "reason": str}``, documents left out are accepted; or
    ``data["documents"]``: code -> reason, the ones to correct). *Ya* when all are accepted;
    *Tidak* returns the documents needing correction to the applicant."""

    def complete(self, task, by, outcome, data):
        documents = {
            d.requirement_code: d
            for d in ApplicationDocument.objects.select_for_update()
            .current()
            .filter(application_id=task.application_id)
        }
        results = dict(data.get("results") or {})
        for code, reason in (data.get("documents") or {}).items():
            results.setdefault(code, {"accepted": False, "reason": reason})
        unknown = set(results) - set(documents)
        if unknown:
            raise InvalidOutcome(
                _("No document was uploaded for: %(codes)s.")
                % {"codes": ", ".join(sorted(unknown))}
            )
        to_correct = {}
        for code, document in documents.items():
            result = results.get(code, {"accepted": True})
            accepted = bool(result.get("accepted"))
            reason = (result.get("reason") or "").strip()
            if not accepted and not reason:
                raise InvalidOutcome(
                    _("Say what is wrong with %(name)s.") % {"name": document.requirement_name}
                )
            CompletenessCheck.objects.create(
                task=task, document=document, accepted=accepted, reason=reason, checked_by=by
            )
            document.application = task.application
            set_verdict(
                document,
                ApplicationDocument.Status.ACCEPTED
                if accepted
                else ApplicationDocument.Status.NEEDS_CORRECTION,
                "" if accepted else reason,
                by,
            )
            if not accepted:
                to_correct[code] = reason
        data["documents"] = to_correct
        return _yes_no(task, outcome, not to_correct)


class RecommendHandler(ActionHandler):
    """A technical agency's recommendation (``data``: verdict, conditions, notes,
    attachments)."""

    def complete(self, task, by, outcome, data):
        verdict = data.get("verdict")
        if verdict not in Recommendation.Verdict.values:
            raise InvalidOutcome(_("Choose a recommendation."))
        conditions = (data.get("conditions") or "").strip()
        if verdict == Recommendation.Verdict.RECOMMEND_WITH_CONDITIONS and not conditions:
            raise InvalidOutcome(_("State the conditions of the recommendation."))
        Recommendation.objects.create(
            task=task,
            application_id=task.application_id,
            agency=task.agency,
            verdict=verdict,
            conditions=conditions,
            notes=(data.get("notes") or "").strip(),
            given_by=by,
        )
        for uploaded_file in data.get("attachments") or []:
            _store_attachment(task, by, uploaded_file)
        return _yes_no(task, outcome, verdict != Recommendation.Verdict.NOT_RECOMMEND)


class InspectHandler(ActionHandler):
    """A field inspection: scheduled with :func:`schedule_inspection` (the file waits until
    the visit), completed with the report (``data["report"]``, ``data["findings"]``) on or
    after the visit date."""

    def complete(self, task, by, outcome, data):
        inspection = Inspection.objects.filter(task=task).first()
        if inspection is None:
            raise InvalidState(_("Schedule the field visit first."))
        if inspection.visit_on > timezone.localdate():
            raise InvalidState(
                _("The field visit is scheduled for %(date)s; report on it after the visit.")
                % {"date": format_day(inspection.visit_on)}
            )
        report = data.get("report")
        if report is None:
            raise InvalidOutcome(_("Upload the inspection report (BAP)."))
        checked = validate_upload(report, formats=ATTACHMENT_FORMATS)
        inspection.report.save(checked.storage_name, report, save=False)
        inspection.findings = (data.get("findings") or "").strip()
        inspection.reported_at = timezone.now()
        inspection.save(update_fields=["report", "findings", "reported_at"])
        return _yes_no(task, outcome, data.get("passed", True))


def schedule_inspection(task: Task, by, visit_on: date, note: str = "") -> Inspection:
    """Set the date of the field visit: the task waits (an external wait, off the office's
    clock) until the visit is reported."""
    if visit_on < timezone.localdate():
        raise InvalidOutcome(_("The visit date cannot be in the past."))
    with transaction.atomic():
        application, task = engine.lock_for_action(task, by)
        if task.step.action != StepAction.INSPECT:
            raise InvalidState(_("This step is not a field inspection."))
        if Inspection.objects.filter(task=task).exists():
            raise InvalidState(_("The field visit is already scheduled."))
        inspection = Inspection.objects.create(
            task=task, application=application, visit_on=visit_on, scheduled_by=by
        )
        engine.pause_locked(task, by, PauseReason.EXTERNAL_WAIT, until=visit_on, note=note)
        audit.record(
            "permits.inspection.scheduled",
            application,
            actor=by,
            after={"task": task.pk, "visit_on": visit_on.isoformat()},
            reason=note,
        )
        actions.emit("inspection_scheduled", application=application, inspection=inspection, by=by)
    return inspection


class PayHandler(ActionHandler):
    """Fee payment: a bill (payment code, the service's fee) when the step opens, and the
    clock stops while the applicant pays (their time, not the office's); uploading the proof
    starts it again. The cashier confirms against the payment code read off the receipt
    (``data["payment_code"]``); a free service has nothing to pay or prove."""

    def on_open(self, task):
        application = task.application
        service = application.service
        number = numbering.draw("billing")[0]
        Payment.objects.create(
            application=application,
            task=task,
            billing_number=number,
            amount=service.fee_amount,
            currency=service.fee_currency,
        )
        if service.fee_amount:
            engine.pause_locked(task, None, PauseReason.APPLICANT_PAYMENT)

    def complete(self, task, by, outcome, data):
        payment = Payment.objects.select_for_update().get(task=task)
        if payment.amount:
            if not payment.proof:
                raise InvalidState(_("The applicant has not uploaded the proof of payment yet."))
            if not same_payment_code(data.get("payment_code") or "", payment.billing_number):
                raise InvalidOutcome(
                    _(
                        "The payment code does not match this bill (%(code)s): check the "
                        "receipt before confirming."
                    )
                    % {"code": payment.billing_number}
                )
        payment.confirmed_by, payment.confirmed_at = by, timezone.now()
        payment.save(update_fields=["confirmed_by", "confirmed_at"])
        return _yes_no(task, outcome, True)


class DecideHandler(ActionHandler):
    """The decision: approve (*Ya*) or reject (*Tidak*) with reasons (``data["verdict"]``,
    ``data["reasons"]``; or the outcome alone)."""

    def complete(self, task, by, outcome, data):
        verdict = data.get("verdict") or {
            YES: Decision.Verdict.APPROVE,
            NO: Decision.Verdict.REJECT,
        }.get(outcome)
        if verdict not in Decision.Verdict.values:
            raise InvalidOutcome(_("Approve or reject the application."))
        reasons = (data.get("reasons") or "").strip()
        if verdict == Decision.Verdict.REJECT and not reasons:
            raise InvalidOutcome(_("Give the reasons for the rejection."))
        application = task.application
        if (
            verdict == Decision.Verdict.REJECT
            and application.status == Application.Status.DEEMED_APPROVED
        ):
            raise InvalidState(
                _(
                    "The application is deemed approved by law: its service time passed "
                    "without a decision. It can no longer be rejected."
                )
            )
        Decision.objects.create(
            application_id=task.application_id,
            task=task,
            verdict=verdict,
            reasons=reasons,
            decided_by=by,
        )
        follow(
            application,
            Application.Status.APPROVED
            if verdict == Decision.Verdict.APPROVE
            else Application.Status.REJECTED,
            by,
        )
        return _yes_no(task, outcome, verdict == Decision.Verdict.APPROVE)


def _latest_decision(application) -> Decision | None:
    return application.decisions.order_by("-decided_at", "-id").first()


def issue(application, by, kind: str, reasons: str = "", passphrase: str = "") -> IssuedDocument:
    """Number, render, sign and store the permit or the rejection letter
    (:func:`permits.issuing.issue`; nothing is issued unsigned)."""
    return issuing.issue(application, by, kind, reasons, passphrase=passphrase)


class IssuePermitHandler(ActionHandler):
    def complete(self, task, by, outcome, data):
        application = task.application
        decision = _latest_decision(application)
        if decision is not None and decision.verdict != Decision.Verdict.APPROVE:
            raise InvalidState(_("The application was rejected; no permit can be issued."))
        if application.issued_documents.filter(kind=IssuedDocument.Kind.PERMIT).exists():
            raise InvalidState(_("The permit was already issued."))
        issue(application, by, IssuedDocument.Kind.PERMIT, passphrase=data.get("passphrase", ""))
        follow(application, Application.Status.ISSUED, by)
        return _yes_no(task, outcome, True)


class IssueRejectionHandler(ActionHandler):
    def complete(self, task, by, outcome, data):
        application = task.application
        decision = _latest_decision(application)
        if decision is not None and decision.verdict != Decision.Verdict.REJECT:
            raise InvalidState(_("The application was approved; no rejection letter is due."))
        reasons = (data.get("reasons") or (decision.reasons if decision else "")).strip()
        if not reasons:
            raise InvalidOutcome(_("Give the reasons for the rejection."))
        issue(
            application,
            by,
            IssuedDocument.Kind.REJECTION,
            reasons,
            passphrase=data.get("passphrase", ""),
        )
        follow(application, Application.Status.REJECTED, by)
        return _yes_no(task, outcome, True)


class HandoverHandler(ActionHandler):
    """The issued document reaches the applicant: who collected it (``data["collected_by"]``),
    the identity document shown (``identity_type``, ``identity_number``) and their relation to
    the applicant (``relation``) are recorded (:class:`permits.models.Handover`) and printed on
    the *tanda terima penyerahan*. Without ``collected_by`` the applicant collected it in
    person (the API's older callers); the identity is asked for in every case."""

    def complete(self, task, by, outcome, data):
        application = task.application
        document = application.issued_documents.order_by("-issued_at", "-id").first()
        if document is None:
            raise InvalidState(_("Nothing has been issued to hand over yet."))
        collected_by = (data.get("collected_by") or "").strip()[:150]
        relation = data.get("relation") or Handover.Relation.SELF
        if relation not in Handover.Relation.values:
            raise InvalidOutcome(_("Choose how the collector relates to the applicant."))
        if not collected_by and relation == Handover.Relation.SELF:
            collected_by = application.applicant.full_name
        identity_type = data.get("identity_type") or ""
        identity_number = (data.get("identity_number") or "").strip()[:40]
        if not collected_by:
            raise InvalidOutcome(_("Enter the name of the person who collects the document."))
        if identity_type not in Handover.IdentityType.values or not identity_number:
            raise InvalidOutcome(_("Enter the identity document shown and its number."))
        Handover.objects.create(
            task=task,
            application=application,
            document=document,
            collected_by=collected_by,
            identity_type=identity_type,
            identity_number=identity_number,
            relation=relation,
            handed_by=by,
            handed_at=timezone.now(),
        )
        return _yes_no(task, outcome, True)


# --- providers and listeners -------------------------------------------------------------


def technical_agencies(application) -> list[Agency]:
    """The technical agencies a ``*technical*`` step goes to: the service's, as they are now."""
    return list(application.service.technical_agencies.filter(is_active=True).order_by("code"))


def on_step_opened(application, step, tasks, by, **kwargs: Any) -> None:
    """The file follows its steps: an applicant step returns it to the applicant; the first
    office step after submitting puts it in progress. Statuses set by the step handlers
    (approved, issued…) stay as they are."""
    if step.performer.role == PerformerRole.APPLICANT:
        follow(application, Application.Status.RETURNED, by)
    elif application.status in (Application.Status.SUBMITTED, Application.Status.RETURNED):
        follow(application, Application.Status.IN_PROGRESS, by)


def on_resumed(application, by, **kwargs: Any) -> None:
    """The applicant answered a return: the file is with the office again."""
    follow(application, Application.Status.IN_PROGRESS, by)


def on_returned(application, task, reason, documents, by, **kwargs: Any) -> None:
    """Mark the documents named in a return as needing correction; keep the reason."""
    named = dict(documents or {})
    current = (
        ApplicationDocument.objects.select_for_update()
        .current()
        .filter(application=application, requirement_code__in=list(named))
    )
    for document in current:
        document.application = application
        set_verdict(
            document,
            ApplicationDocument.Status.NEEDS_CORRECTION,
            named[document.requirement_code] or reason,
            by,
        )
    application.return_reason = reason
    application.save(update_fields=["return_reason"])


def on_deemed_approved(application, clock, **kwargs: Any) -> None:
    """The sweep found the service time passed without a decision under a deemed-approval
    policy: the application shows it in a state of its own, audited. One no longer with
    the office in a running state (returned to the applicant) keeps its state; the clock
    carries the record and the entry says so."""
    after = {"service_time_due": clock.due_at.isoformat(), "deemed_approved": True}
    why = "UU 30/2014 art. 53 (UU 6/2023)"
    action = "workflows.application.deemed_approved"
    with transaction.atomic():
        locked = APPLICATION.lock(application)
        if APPLICATION.find(locked.status, Application.Status.DEEMED_APPROVED) is None:
            audit.record(action, locked, after={**after, "status": locked.status}, reason=why)
            return
        # ``move`` re-reads the row it just locked and updates ``application`` in place.
        APPLICATION.move(
            application, Application.Status.DEEMED_APPROVED, action=action, after=after, reason=why
        )


def on_finished(application, task, by, **kwargs: Any) -> None:
    """The SOP reached its end: close the application (an issued permit or a rejection keeps
    its status)."""
    completed_at = timezone.now()
    if application.status in (
        Application.Status.IN_PROGRESS,
        Application.Status.APPROVED,
        Application.Status.DEEMED_APPROVED,
    ):
        follow(application, Application.Status.COMPLETED, by, completed_at=completed_at)
    else:
        application.completed_at = completed_at
        application.save(update_fields=["completed_at"])
    transaction.on_commit(
        lambda: signals.application_finished.send(
            sender=Application, application=application, by=by
        )
    )


HANDLERS: dict[str, ActionHandler] = {
    StepAction.SUBMIT: SubmitHandler(),
    StepAction.CHECK: CheckHandler(),
    StepAction.RECOMMEND: RecommendHandler(),
    StepAction.INSPECT: InspectHandler(),
    StepAction.PAY: PayHandler(),
    StepAction.DECIDE: DecideHandler(),
    StepAction.ISSUE_PERMIT: IssuePermitHandler(),
    StepAction.ISSUE_REJECTION: IssueRejectionHandler(),
    StepAction.HANDOVER: HandoverHandler(),
}


def register() -> None:
    """Plug permits into the engine (called once from ``PermitsConfig.ready``)."""
    for action, handler in HANDLERS.items():
        actions.register(action, handler)
    actions.provide("technical_agencies", technical_agencies)
    actions.connect("step_opened", on_step_opened)
    actions.connect("application_resumed", on_resumed)
    actions.connect("application_returned", on_returned)
    actions.connect("application_finished", on_finished)
    actions.connect("application_deemed_approved", on_deemed_approved)
