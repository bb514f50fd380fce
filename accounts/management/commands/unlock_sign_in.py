"""``manage.py unlock_sign_in --email ani@contoh.id [--address 10.0.0.7]``: lift a lockout."""

from django.core.management.base import BaseCommand, CommandError

from accounts import lockout


class Command(BaseCommand):
    help = "Lift the sign-in lockout of an account and/or a client address (audited)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", default="", help="The account's email address.")
        parser.add_argument("--address", default="", help="The client IP address.")
        parser.add_argument("--reason", default="", help="Why (kept in the audit log).")

    def handle(self, *args, email: str, address: str, reason: str, **options) -> None:
        if not email and not address:
            raise CommandError("Give --email, --address or both.")
        removed = lockout.unlock(email=email, address=address, reason=reason)
        self.stdout.write(f"Removed {removed} failed-attempt record(s).")
