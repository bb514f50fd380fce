"""``manage.py embedded_postgres [status|stop]``: the private PostgreSQL of development."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sop_portal import embedded_db


class Command(BaseCommand):
    help = (
        "Show or stop the embedded PostgreSQL of development and tests (var/pgdata). Any "
        "manage.py command starts it when DATABASE_URL is not set (this one too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "stop"], nargs="?", default="status")

    def handle(self, *args, action: str, **options):
        if settings.DATABASE_URL:
            raise CommandError(
                "DATABASE_URL is set: this process does not use the embedded server."
            )
        pgdata = settings.VAR_DIR / "pgdata"
        if action == "stop":
            # Close this process's own connection first, or the fast shutdown waits for nothing.
            from django.db import connections

            connections.close_all()
            stopped = embedded_db.stop(settings.VAR_DIR)
            self.stdout.write(f"Stopped the PostgreSQL in {pgdata}." if stopped else "Not running.")
            return
        # Loading the settings started the server if it was not running.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        socket_dir = embedded_db.running_socket_dir(pgdata)
        name = connection.settings_dict["NAME"]
        self.stdout.write(
            f"PostgreSQL {version} running: data {pgdata}, socket {socket_dir}, database {name}."
        )
