"""Messages in the portal (and by email) to one person."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application


class Notification(models.Model):
    """A message in the portal (and by email) to one person."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # A notice whose e-mail has a template of its own (a survey invitation, a complaint
    # reply) is mailed as that outbox mail, never with the notice template (permits.outbox).
    mail = models.ForeignKey(
        "sop_portal.OutgoingMail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Almost always empty; an index would only mislead the planner (and outbox mail is
        # not deleted in the normal course).
        db_index=False,
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The outbox reads only the notices still to mail, in id order (permits.outbox):
            # a small index whatever the table's size, and the plan the sender needs.
            models.Index(
                fields=["id"],
                name="notification_unmailed",
                condition=models.Q(emailed_at__isnull=True, mail__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]
