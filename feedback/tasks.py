"""Background work of the feedback app. Its mails (survey invitations, replies to complaints)
are outbox rows now (``sop_portal.outbox``); these two tasks stay only for the messages
queued before the outbox existed, so none of them is lost on the upgrade (remove in the next
release)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sop_portal import links


@shared_task(name="feedback.tasks.send_survey_invitation", ignore_result=True, acks_late=True)
def send_survey_invitation(notification_id: int) -> int:
    """An invitation queued before the outbox: mailed as its notice (once)."""
    from permits.outbox import NOTICES
    from sop_portal.outbox import deliver

    return deliver(NOTICES, [notification_id])


@shared_task(name="feedback.tasks.send_complaint_reply", ignore_result=True)
def send_complaint_reply(reply_id: int) -> int:
    """A reply queued before the outbox: mailed to the complainant's address (once)."""
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
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("feedback/email/complaint_reply_subject.txt", context)
        body = render_to_string("feedback/email/complaint_reply.txt", context)
    send_mail(" ".join(subject.split()), body, None, [reply.complaint.email])
    return ComplaintReply.objects.filter(pk=reply.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
