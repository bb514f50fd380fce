"""The survey's population (files finished: completed, rejected or issued, per WITA day and
service) as an application fact of its own (``skm_finished``), so the SKM table's required
sample is read from the facts instead of counting applications: the functions again, then
every fact rebuilt."""

from django.db import migrations

from monitoring import facts_sql


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_h7_facts_triggers")]

    operations = [migrations.RunPython(facts_sql.refresh, migrations.RunPython.noop)]
