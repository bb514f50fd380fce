"""The audit log becomes a hash chain: who acted is kept in ``actor_key``, the time is set
before the insert, and every existing entry gets its ``previous_hash`` and ``hash`` (walked in
id order, with the same canonical form as ``sop_portal.audit.record``)."""

import django.utils.timezone
from django.db import migrations, models


def chain_existing_entries(apps, schema_editor):
    # The chain's format lives in one place, sop_portal.audit (HASHED_FIELDS, entry_hash);
    # it is a pure function of the row, so the migration uses it as it is.
    from sop_portal.audit import GENESIS, HASHED_FIELDS, entry_hash

    AuditEntry = apps.get_model("sop_portal", "AuditEntry")
    previous = GENESIS
    rows = AuditEntry.objects.order_by("id")
    for entry in rows.iterator(chunk_size=2000):
        entry.actor_key = entry.actor_id
        fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
        entry.previous_hash = previous
        entry.hash = entry_hash(fields, previous)
        entry.save(update_fields=["actor_key", "previous_hash", "hash"])
        previous = entry.hash


class Migration(migrations.Migration):
    dependencies = [
        ("sop_portal", "0002_audit_entry_json_encoder"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="actor_key",
            field=models.BigIntegerField(
                blank=True, editable=False, null=True, verbose_name="actor id"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="created_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="time",
            ),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
