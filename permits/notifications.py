"""Who hears about what: the applicant on every change of their application, officers when a
task arrives in their agency's inbox. Each notice is a Notification row written in the
transition's transaction (so a rolled-back transition leaves none) and an email sent by a
Celery task enqueued on commit."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from workflows import actions
from workflows.models import PerformerRole, StepAction

from .models import Application, ApplicationDocument, Notification


def application_link(application: Application) -> str:
    """Where a notice about ``application`` leads (empty until the pages exist)."""
    try:
        return reverse("permits:application_detail", args=[application.pk])
    except NoReverseMatch:
        return ""


def task_link(task) -> str:
    try:
        return reverse("permits:task_detail", args=[task.pk])
    except NoReverseMatch:
        return ""


def notify(recipients: Iterable[User], application: Application | None, text: str, link: str = ""):
    """Write one notice per distinct recipient and send the emails once the transaction
    commits."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not unique:
        return []
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=user, application=application, text=text, link=link)
            for user in unique.values()
        ]
    )
    ids = [row.pk for row in rows]

    def enqueue() -> None:
        from .tasks import send_notification_emails

        send_notification_emails.delay(ids)

    transaction.on_commit(enqueue)
    return rows


def _portal_language():
    # Notices are stored and mailed in the portal's language (Indonesian by default).
    return translation.override(settings.LANGUAGE_CODE)


def _officers(task) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=task.agency_id,
            memberships__role=task.role,
            memberships__is_active=True,
        ).distinct()
    )


def _where(step, tasks) -> str:
    agencies = sorted({t.agency.name for t in tasks if t.agency_id})
    return f"{step.activity} ({', '.join(agencies)})" if agencies else step.activity


def on_submitted(application, by, **kwargs: Any) -> None:
    with _portal_language():
        text = _("Your application %(number)s for %(service)s was received.") % {
            "number": application.tracking_number,
            "service": application.service.name,
        }
    notify([application.applicant], application, text, application_link(application))


def on_step_opened(application, step, tasks, by, **kwargs: Any) -> None:
    if step.performer.role == PerformerRole.APPLICANT:
        return  # told by on_returned, with the reason
    with _portal_language():
        text = _("Your application %(number)s is now at: %(where)s.") % {
            "number": application.tracking_number,
            "where": _where(step, tasks),
        }
        if step.action == StepAction.PAY:
            payment = tasks[0].payment
            text += " " + _("Please pay %(amount)s %(currency)s, billing number %(bill)s.") % {
                "amount": payment.amount,
                "currency": payment.currency,
                "bill": payment.billing_number,
            }
        for task in tasks:
            notify(
                _officers(task),
                application,
                _("New task for application %(number)s (%(service)s): %(activity)s.")
                % {
                    "number": application.tracking_number,
                    "service": application.service.name,
                    "activity": step.activity,
                },
                task_link(task),
            )
    notify([application.applicant], application, text, application_link(application))


def on_returned(application, task, reason, documents, by, **kwargs: Any) -> None:
    names = list(
        ApplicationDocument.objects.current()
        .filter(application=application, requirement_code__in=list(documents or {}))
        .values_list("requirement_name", flat=True)
    )
    with _portal_language():
        text = _("Your application %(number)s was returned to you: %(reason)s") % {
            "number": application.tracking_number,
            "reason": reason,
        }
        if names:
            text += " " + _("Documents to replace: %(names)s.") % {"names": ", ".join(names)}
    notify([application.applicant], application, text, application_link(application))


def on_finished(application, task, by, **kwargs: Any) -> None:
    with _portal_language():
        text = _("Your application %(number)s is complete: %(status)s.") % {
            "number": application.tracking_number,
            "status": Application.Status(application.status).label,
        }
    notify([application.applicant], application, text, application_link(application))


def on_withdrawn(application, by, tasks, **kwargs: Any) -> None:
    with _portal_language():
        text = _("Application %(number)s was withdrawn by the applicant.") % {
            "number": application.tracking_number
        }
        officers = [u for task in tasks if task.agency_id for u in _officers(task)]
    notify([application.applicant, *officers], application, text, application_link(application))


def on_reassigned(task, by, to_user, **kwargs: Any) -> None:
    application = task.application
    with _portal_language():
        text = _("%(who)s assigned you a task of application %(number)s: %(activity)s.") % {
            "who": by,
            "number": application.tracking_number,
            "activity": task.step.activity,
        }
    notify([to_user], application, text, task_link(task))


def on_inspection_scheduled(application, inspection, by, **kwargs: Any) -> None:
    with _portal_language():
        text = _("A field visit for application %(number)s is scheduled on %(date)s.") % {
            "number": application.tracking_number,
            "date": inspection.visit_on.isoformat(),
        }
    notify([application.applicant], application, text, application_link(application))


def on_clock_warnings(warnings) -> None:
    """The clock sweep's warnings, in a few queries whatever their number: "due soon" to the
    assignee (else the agency's queue), "overdue" also to the agency's heads."""
    from agencies.models import Membership, Role
    from workflows.models import ClockWarning

    tasks = [w.task for w in warnings]
    pairs = {(t.agency_id, t.role) for t in tasks if t.agency_id}
    people: dict[tuple[int, str], list[User]] = {}
    rows = Membership.objects.filter(
        is_active=True, user__is_active=True, agency_id__in={a for a, _r in pairs}
    ).select_related("user")
    for row in rows:
        people.setdefault((row.agency_id, row.role), []).append(row.user)
    notices = []
    with _portal_language():
        for warning in warnings:
            task, overdue = warning.task, warning.kind == ClockWarning.Kind.OVERDUE
            recipients = (
                [task.assignee] if task.assignee_id else people.get((task.agency_id, task.role), [])
            )
            if overdue:
                recipients = [*recipients, *people.get((task.agency_id, Role.HEAD), [])]
            template = (
                _("Overdue: %(activity)s of application %(number)s was due %(due)s.")
                if overdue
                else _("Due soon: %(activity)s of application %(number)s is due %(due)s.")
            )
            text = template % {
                "activity": task.step.activity,
                "number": task.application.tracking_number,
                "due": timezone.localtime(task.due_at).strftime("%d-%m-%Y %H:%M WITA"),
            }
            unique = {u.pk: u for u in recipients if u is not None and u.is_active}
            notices += [
                Notification(
                    recipient=user, application=task.application, text=text, link=task_link(task)
                )
                for user in unique.values()
            ]
    ids = [row.pk for row in Notification.objects.bulk_create(notices)]
    if ids:

        def enqueue() -> None:
            from .tasks import send_notification_emails

            send_notification_emails.delay(ids)

        transaction.on_commit(enqueue)


def on_late_applications(clocks) -> None:
    """Applications whose service time passed without a decision: their office's heads hear
    of it (and that it is deemed approved, where so)."""
    from agencies.models import Agency, Membership, Role

    heads = [
        m.user
        for m in Membership.objects.filter(
            is_active=True,
            user__is_active=True,
            role=Role.HEAD,
            agency__kind=Agency.Kind.ONE_STOP_OFFICE,
        ).select_related("user")
    ]
    with _portal_language():
        for clock in clocks:
            application = clock.application
            text = _("Application %(number)s passed its service time without a decision.") % {
                "number": application.tracking_number
            }
            if clock.deemed_approved_at:
                text += " " + _("Under the service's policy it is deemed approved.")
            notify(heads, application, text, application_link(application))


def deemed_approval_policy(applications) -> list[int]:
    """The ids of ``applications`` whose service grants deemed approval."""
    return list(
        Application.objects.filter(
            pk__in=[a.pk for a in applications], service__deemed_approval=True
        ).values_list("pk", flat=True)
    )


def register() -> None:
    """Listen to the engine's and the lifecycle's events (``PermitsConfig.ready``)."""
    actions.connect("application_submitted", on_submitted)
    actions.connect("step_opened", on_step_opened)
    actions.connect("application_returned", on_returned)
    actions.connect("application_finished", on_finished)
    actions.connect("application_withdrawn", on_withdrawn)
    actions.connect("task_reassigned", on_reassigned)
    actions.connect("inspection_scheduled", on_inspection_scheduled)
    actions.provide("clock_warnings", on_clock_warnings)
    actions.provide("late_applications", on_late_applications)
    actions.provide("deemed_approval", deemed_approval_policy)
    actions.provide("service_time", lambda application: application.service.service_time)
