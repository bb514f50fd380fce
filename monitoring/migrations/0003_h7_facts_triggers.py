"""The triggers that keep the monitoring facts (PostgreSQL only; elsewhere the raw queries
serve), then the facts of the rows already there. A migration of its own: the unique keys of
0002 are created at the end of that migration, and the upserts need them."""

from django.db import migrations

from monitoring import facts_sql


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_h7_facts"), ("feedback", "0001_initial")]

    operations = [migrations.RunPython(facts_sql.install, facts_sql.uninstall)]
