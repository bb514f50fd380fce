"""``manage.py import_sop FILE... [--publish]``: load SOP documents (``sop-portal/1``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from permits.interchange import InvalidDocument, import_document, load_document


class Command(BaseCommand):
    help = (
        "Import services and their SOPs from sop-portal/1 JSON files, each as a new draft SOP "
        "version (with --publish: published without review, the operator's explicit publish, "
        "recorded in the audit log as such). Each file is its own transaction: a bad file is "
        "refused whole, with every problem listed on stderr as 'FILE: path (step N): message', "
        "while the good files of the same run are imported. The exit status is non-zero when "
        "any file was refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="sop-portal/1 JSON files")
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "Publish each imported version without review (it supersedes the published "
                "one; the audit entry says it was not reviewed)."
            ),
        )

    def handle(self, *args, **options) -> None:
        refused = 0
        for name in options["files"]:
            try:
                raw = Path(name).read_bytes()
            except OSError as exc:
                self.stderr.write(f"{name}: cannot read the file: {exc.strerror or exc}")
                refused += 1
                continue
            try:
                version = import_document(load_document(raw), publish=options["publish"])
            except InvalidDocument as exc:
                for problem in exc.problems:
                    self.stderr.write(f"{name}: {problem}")
                refused += 1
                continue
            self.stdout.write(
                f"{name}: {version.sop.code} version {version.version} ({version.status})"
            )
        if refused:
            raise CommandError(f"{refused} of {len(options['files'])} file(s) refused.")
