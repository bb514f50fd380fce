"""``manage.py backup [--output-dir DIR]``: database and stored files in one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sop_portal import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format, one consistent snapshot) and the stored "
        "files (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) into one timestamped tar with a SHA-256 "
        "manifest. Prints the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help="Where to write the archive (default: BACKUP_DIR).",
        )

    def handle(self, *args, output_dir: Path | None, **options):
        try:
            path = backups.backup(output_dir or Path(settings.BACKUP_DIR))
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = backups.read_manifest(path)
        self.stderr.write(
            f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
            f"{len(manifest['files'])} files, {path.stat().st_size} bytes."
        )
        if manifest.get("object_storage"):
            self.stderr.write(
                f"Files are in the bucket {manifest['object_storage']}, not in this archive: "
                "keep the bucket versioned and replicated."
            )
        self.stdout.write(str(path))
