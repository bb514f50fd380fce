"""``manage.py remove_stray_files [--dry-run] [--grace SECONDS]``: delete the stored files no
row names (left by a process killed mid-upload, or from before files followed their rows)."""

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from permits import filekeeping


class Command(BaseCommand):
    help = (
        "Find the files under the upload folders (private documents, complaint attachments, "
        "the logo, rendered PDFs) that no row references and that are older than the grace "
        "period (STRAY_FILE_GRACE_SECONDS), and delete them (list them with --dry-run)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")
        parser.add_argument(
            "--grace",
            type=int,
            default=None,
            metavar="SECONDS",
            help="spare files younger than this (default: STRAY_FILE_GRACE_SECONDS)",
        )

    def handle(self, *args, **options) -> None:
        strays = filekeeping.stray_files(options["grace"])
        for stray in strays:
            self.stdout.write(f"{stray.path}\t{stray.size}")
        total = sum(s.size for s in strays)
        if options["dry_run"]:
            self.stdout.write(
                f"{len(strays)} stray file(s), {filesizeformat(total)}; nothing deleted (dry run)."
            )
            return
        freed = filekeeping.remove(strays)
        self.stdout.write(f"{len(strays)} stray file(s) deleted, {filesizeformat(freed)} freed.")
