"""``manage.py verify_audit_chain``: walk the audit log's hash chain (exit 1 at the first
changed, inserted or removed entry)."""

from django.core.management.base import BaseCommand, CommandError

from sop_portal.audit import verify_chain

PROBLEMS = {
    "changed": "its fields no longer match its hash (the row was changed)",
    "predecessor": "it does not follow the entry before it (an entry before it was removed, "
    "inserted, or changed together with its hash)",
    "actor": "its actor is not the one recorded in the chain (the actor was changed)",
}


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; report the first changed or removed entry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            help="The head hash noted at an earlier run: also fail when the chain no longer "
            "contains it (entries removed from the end).",
        )

    def handle(self, *args, head=None, **options):
        report = verify_chain()
        if report.broken:
            raise CommandError(
                f"Audit chain broken at entry #{report.broken.entry_id} "
                f"(entry {report.entries} in id order): {PROBLEMS[report.broken.problem]}."
            )
        if head and not self._contains(head):
            raise CommandError(f"Audit chain intact but no entry has the head hash {head}.")
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.entries} entries, head {report.head}")
        )

    @staticmethod
    def _contains(head: str) -> bool:
        from sop_portal.models import AuditEntry

        return head == "0" * 64 or AuditEntry.objects.filter(hash=head).exists()
