"""Background work of the feedback app: thin Celery tasks that take ids and mail once."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sop_portal import links


def _mail(template: str, context: dict, to: str) -> None:
    # Mailed in the portal's language (Indonesian): the templates are written in it.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"feedback/email/{template}_subject.txt", context)
        body = render_to_string(f"feedback/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


@shared_task(name="feedback.tasks.send_survey_invitation", ignore_result=True)
def send_survey_invitation(notification_id: int) -> int:
    """Mail the survey invitation written as portal notice ``notification_id`` (once)."""
    from permits.models import Notification

    notice = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True)
        .select_related("recipient", "application__service", "application__applicant")
        .first()
    )
    if notice is None or not notice.recipient.email or notice.application is None:
        return 0
    context = {"application": notice.application, "link": links.absolute(notice.link)}
    _mail("survey_invitation", context, notice.recipient.email)
    return Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )


@shared_task(name="feedback.tasks.send_complaint_reply", ignore_result=True)
def send_complaint_reply(reply_id: int) -> int:
    """Mail a public reply to the complainant's address (once)."""
    from .models import ComplaintReply

    reply = (
        ComplaintReply.objects.filter(pk=reply_id, is_public=True, emailed_at__isnull=True)
        .select_related("complaint")
        .first()
    )
    if reply is None or not reply.complaint.email:
        return 0
    context = {
        "complaint": reply.complaint,
        "reply": reply,
        "link": links.absolute(reverse("feedback:complaint_track")),
    }
    _mail("complaint_reply", context, reply.complaint.email)
    return ComplaintReply.objects.filter(pk=reply.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
