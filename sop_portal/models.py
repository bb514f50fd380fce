"""Shared infrastructure models: the audit log and the Celery worker heartbeat."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change: who did what to which object, when (UTC), from what to what, and why.

    Written only through :func:`sop_portal.audit.record`; never edited. Tamper-evident: each
    entry carries the SHA-256 of its own fields and of the entry before it (``previous_hash``),
    so a changed, inserted or removed row breaks the chain at that point; ``manage.py
    verify_audit_chain`` walks it (:func:`sop_portal.audit.verify_chain`)."""

    action = models.CharField(_("action"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who acted, kept in the chain when the account is later deleted (``actor`` is then null).
    actor_key = models.BigIntegerField(_("actor id"), null=True, blank=True, editable=False)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    # Dates, times, decimals and UUIDs are stored as ISO strings (a decree's signing date...),
    # so no caller has to convert the values it records.
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("reason"), blank=True)
    # Set before the insert (not auto_now_add), since the hash covers it.
    created_at = models.DateTimeField(
        _("time"), default=timezone.now, editable=False, db_index=True
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran a task, so staff can see that background work runs."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self) -> str:
        return self.hostname


# The outbox of e-mails that are not portal notices (sop_portal.outbox).
from .outbox_models import OutgoingMail  # noqa: E402, F401
