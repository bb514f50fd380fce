"""The one way to write the audit log (dotted action codes, e.g. ``workflows.sop.published``)."""

from typing import Any

from django.db import models

from .models import AuditEntry


def record(
    action: str,
    obj: models.Model,
    *,
    actor=None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``obj``. Call inside the transaction that made
    the change, so the entry and the change commit or roll back together."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        reason=reason,
    )


def entries_for(obj: models.Model):
    """The audit trail of one object, newest first."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
