"""Mail that is not a portal notice, kept until the worker has sent it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .notifications import Notification


class OutgoingMail(models.Model):
    """One e-mail to one address, rendered when it was queued (``permits.outbox.queue_mail``)
    and sent by the worker (``sent_at``). For what a notice cannot carry: a complainant's
    address with no account, a verification link, a mail with its own template. A mail that
    also stands for a portal notice names it (``notification``): sending the mail marks the
    notice mailed, so the notice is not mailed a second time with the generic template."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mails",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
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
