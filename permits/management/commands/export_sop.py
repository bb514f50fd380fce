"""``manage.py export_sop SERVICE_CODE [--version N]``: write a service's SOP document."""

import json

from django.core.management.base import BaseCommand, CommandError

from permits.interchange import export_service
from permits.models import Service
from workflows.models import SopVersion


class Command(BaseCommand):
    help = (
        "Write the sop-portal/1 JSON document of a service and one version of its SOP (the "
        "newest unless --version is given) to stdout."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version (an SOP version) replaces Django's --version (the Django release).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", metavar="SERVICE_CODE", help="e.g. DISHUB-AKDP")
        parser.add_argument(
            "--version", type=int, default=None, metavar="N", help="SOP version number"
        )

    def handle(self, *args, **options) -> None:
        code, number = options["code"], options["version"]
        try:
            document = export_service(code, number)
        except Service.DoesNotExist as exc:
            raise CommandError(f"No service with code {code}.") from exc
        except SopVersion.DoesNotExist as exc:
            which = f"version {number}" if number is not None else "any version"
            raise CommandError(f"Service {code} has no SOP {which}.") from exc
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
