"""``manage.py seed_demo [--force] [--reset-passwords]``: load the agencies, the service catalogue
with published SOPs, the demo users, and a demo history of applications (for the dashboards),
satisfaction surveys and complaints; a re-run changes nothing."""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.seed import seed_agencies
from permits.seed.catalogue import InvalidSeedFile, seed_payment_channels, seed_services
from permits.seed.users import DEMO_PASSWORD, DEMO_USERS, seed_users


class Command(BaseCommand):
    help = (
        "Load the one-stop office and the 17 technical agencies, every demo service with its "
        "published SOP (permits/seed/sops/*.json) and one demo user per role (password "
        f"{DEMO_PASSWORD}). Idempotent: only what is missing or different is written. Refused "
        "when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (a demo server): creates accounts with a "
            "published password.",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"Set every demo user's password back to {DEMO_PASSWORD} and re-activate them.",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "seed_demo creates demo accounts whose password is published, so it is "
                    "refused when DEBUG is off. If this really is a demo server, run it again "
                    "with --force."
                )
            )
        try:
            with transaction.atomic():
                agencies = seed_agencies()
                services = seed_services()
                seed_payment_channels()
                users = seed_users(reset_passwords=options["reset_passwords"])
                # Apps above permits (monitoring, feedback) add their demo data through their
                # AppConfig's ``seed_demo(stdout)``, so permits never imports them.
                for config in apps.get_app_configs():
                    if callable(getattr(config, "seed_demo", None)):
                        config.seed_demo(self.stdout)
        except InvalidSeedFile as exc:
            raise CommandError(
                _("Seed file %(name)s refused, nothing was loaded:\n%(problems)s")
                % {
                    "name": exc.path.name,
                    "problems": "\n".join(f"  {p}" for p in exc.problems),
                }
            ) from exc
        for label, counts in (
            (_("Agencies"), agencies),
            (_("Services with a published SOP"), services),
            (_("Demo users"), users),
        ):
            self.stdout.write(
                _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {"label": label, **counts}
            )
        self._write_logins()

    def _write_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            _(
                "Demo logins (password %(password)s; existing users keep theirs unless run with "
                "--reset-passwords):"
            )
            % {"password": DEMO_PASSWORD}
        )
        rows = [(_("Email"), _("Name"), _("Role"), _("Agency"))] + [
            (u.email, u.full_name, u.role_label, u.agency or "-") for u in DEMO_USERS
        ]
        widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
        for row in rows:
            cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
