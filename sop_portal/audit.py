"""The one way to write the audit log (dotted action codes, e.g. ``workflows.sop.published``),
and the check that nobody rewrote it.

The log is a hash chain: each entry stores ``previous_hash`` (the hash of the entry before it,
by id) and ``hash`` = SHA-256 over a canonical serialization of its own fields and that
previous hash. Changing any field of a row, removing a row or slipping one in breaks the chain
at that row, which :func:`verify_chain` (``manage.py verify_audit_chain``) reports. Appending is
serialized with a transaction-level advisory lock, so two transactions never chain onto the
same predecessor; the lock is held until the caller's transaction ends (PostgreSQL
``pg_advisory_xact_lock``: https://www.postgresql.org/docs/16/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS).
A chain proves nothing against whoever can rewrite *every* row after the change and the head:
keep the head hash the command prints somewhere else (a ticket, a mail) to anchor it."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEntry

#: The ``previous_hash`` of the first entry.
GENESIS = "0" * 64

#: The advisory-lock key of the audit chain (any fixed 64-bit number; "AUDIT" in ASCII).
CHAIN_LOCK = 0x4155444954

#: The fields the hash covers, in this order (the chain's format: change it only with a data
#: migration that re-hashes every row).
HASHED_FIELDS = (
    "action",
    "actor_key",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "created_at",
)


def _as_stored(value: Any) -> Any:
    """A JSON field's value as it comes back from the database (dates and decimals as the
    strings DjangoJSONEncoder makes), so the hash at write time equals the one recomputed
    from the row."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def canonical(fields: dict[str, Any], previous_hash: str) -> bytes:
    """The bytes an entry's hash is taken over: its fields and the previous hash as JSON with
    sorted keys and no whitespace; the time in UTC, ISO 8601 to the microsecond."""
    data = {name: fields[name] for name in HASHED_FIELDS}
    created_at: datetime = data["created_at"]
    data["created_at"] = created_at.astimezone(UTC).isoformat(timespec="microseconds")
    data["before"], data["after"] = _as_stored(data["before"]), _as_stored(data["after"])
    data["previous_hash"] = previous_hash
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    ).encode()


def entry_hash(fields: dict[str, Any], previous_hash: str) -> str:
    return hashlib.sha256(canonical(fields, previous_hash)).hexdigest()


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
    actor = actor if actor is not None and actor.is_authenticated else None
    fields = {
        "action": action,
        "actor_key": actor.pk if actor else None,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:255],
        "before": before,
        "after": after,
        "reason": reason,
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        previous = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        previous = previous or GENESIS
        # The time is taken under the lock, so the chain's times never go backwards.
        fields["created_at"] = timezone.now()
        return AuditEntry.objects.create(
            **fields,
            actor=actor,
            previous_hash=previous,
            hash=entry_hash(fields, previous),
        )


def entries_for(obj: models.Model):
    """The audit trail of one object, newest first."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold: the entry's id and what is wrong with it."""

    entry_id: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head: str  # the last entry's hash (GENESIS for an empty log)
    broken: ChainBreak | None


def _rows(batch: int) -> Iterator[dict[str, Any]]:
    columns = ("id", "actor_id", "previous_hash", "hash", *HASHED_FIELDS)
    return AuditEntry.objects.order_by("id").values(*columns).iterator(chunk_size=batch)


def verify_chain(batch: int = 2000) -> ChainReport:
    """Walk the whole log by id and recompute every hash; stop at the first entry whose own
    fields changed, or whose predecessor is not the entry before it (removed, inserted or
    changed along with its hash)."""
    expected, count = GENESIS, 0
    for row in _rows(batch):
        count += 1
        if row["hash"] != entry_hash(row, row["previous_hash"]):
            return ChainReport(count, expected, ChainBreak(row["id"], "changed"))
        if row["previous_hash"] != expected:
            return ChainReport(count, expected, ChainBreak(row["id"], "predecessor"))
        if row["actor_id"] is not None and row["actor_id"] != row["actor_key"]:
            # ``actor`` may only become null (account deleted); the hash covers actor_key.
            return ChainReport(count, expected, ChainBreak(row["id"], "actor"))
        expected = row["hash"]
    return ChainReport(count, expected, None)
