"""``manage.py create_demo_signers``: a demo certificate authority and one PKCS#12 signing key
per official (the office's heads, or the e-mail addresses given) in ``ESIGN_KEYSTORE_DIR``,
behind the demo passphrase. For demo servers and development only: production keys come from
BSrE (or sit at the remote signing service, ``ESIGN_BACKEND=remote``)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from signing import demo
from signing.local import key_file, keystore


class Command(BaseCommand):
    help = (
        "Create a demo CA and a PKCS#12 signing key per official (every head of an office, "
        "or the e-mail addresses given) behind the demo passphrase. Refused when DEBUG is off "
        "unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="*", help="Officials' e-mail addresses.")
        parser.add_argument("--passphrase", default=demo.DEMO_PASSPHRASE)
        parser.add_argument("--replace", action="store_true", help="Replace existing keys.")
        parser.add_argument("--force", action="store_true", help="Run although DEBUG is off.")

    def handle(self, *args, emails, passphrase, replace, force, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo signing keys are refused when DEBUG is off (use --force).")
        users = get_user_model().objects.filter(is_active=True)
        if emails:
            users = users.filter(email__in=emails)
        else:
            # Heads sign the permits (agencies: Role.HEAD); read by name, signing imports no app.
            users = users.filter(memberships__role="head", memberships__is_active=True).distinct()
        authority = demo.load_or_create_authority(keystore())
        made = 0
        for user in users.order_by("email"):
            if key_file(user).exists() and not replace:
                self.stdout.write(f"kept    {key_file(user).name}  {user.email}")
                continue
            path = demo.create_signer_file(keystore(), authority, user, passphrase)
            made += 1
            self.stdout.write(f"created {path.name}  {user.email}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{made} signing key(s) in {keystore()}; CA certificate {keystore() / demo.CA_CERT}"
            )
        )
