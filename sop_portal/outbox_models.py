"""Mail that is not a portal notice, kept until the worker has sent it (``sop_portal.outbox``).
A module of its own, imported by ``sop_portal.models``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One e-mail to one address, rendered when it was queued (``outbox.queue_mail``) and
    sent by the worker (``sent_at``): a verification link, a reply to a complainant's address
    with no account, a survey invitation with its own template. A portal notice that such a
    mail stands for points to it (``permits.Notification.mail``)."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        app_label = "sop_portal"
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep reads only the unsent rows: a small index whatever the table's size.
            models.Index(
                fields=["created_at"],
                name="outgoing_mail_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
