"""``manage.py trim_bootstrap``: writes static/vendor/bootstrap/bootstrap.trimmed.min.css from
the full Bootstrap CSS and the classes the portal's sources use (sop_portal/css_trim.py). Run it
after a template change and commit the result; ``--check`` only says whether it is up to date."""

from django.core.management.base import BaseCommand, CommandError

from sop_portal import css_trim


class Command(BaseCommand):
    help = "Trim the vendored Bootstrap CSS to the classes used by the portal's templates."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="exit with an error when the committed file differs from a new build",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        built = css_trim.build()
        target = css_trim.trimmed_path()
        if check:
            current = target.read_text(encoding="utf-8") if target.exists() else ""
            if current != built:
                raise CommandError(f"{target.name} is out of date: run manage.py trim_bootstrap")
            self.stdout.write(f"{target.name} is up to date")
            return
        target.write_text(built, encoding="utf-8")
        full = css_trim.source_path().stat().st_size
        self.stdout.write(
            f"wrote {target.name}: {len(built.encode()):,} bytes (the full file: {full:,})"
        )
