"""``manage.py restore ARCHIVE [--force]``: put a backup back, then verify it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sop_portal import restores
from sop_portal.backups import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database and empty file "
        "folders (or, with --force, wipe them first), then compare every table's row count "
        "and every file's SHA-256 with the archive's manifest. Stop the web server and the "
        "worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Wipe the database's public schema and the file folders before restoring.",
        )

    def handle(self, *args, archive: Path, force: bool, **options):
        try:
            report = restores.restore(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if report.mismatches:
            raise CommandError(
                "Restored, but it does not match the manifest:\n  " + "\n  ".join(report.mismatches)
            )
        self.stdout.write(
            f"Restored {report.tables} tables ({report.rows} rows) and {report.files} files; "
            "all match the manifest."
        )
