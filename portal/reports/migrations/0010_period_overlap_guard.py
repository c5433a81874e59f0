"""On PostgreSQL the database itself refuses two reporting periods of the same kind and project that
share a day (an exclusion constraint over the date range; btree_gist lets it compare the kind and
the project with "="). The service checks first and names the other period; this guard only
catches two requests at the same moment. SQLite has no such constraint: the check stays there."""

from django.db import migrations

CONSTRAINT = "reporting_period_no_overlap"


def add_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE reports_reportingperiod ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ("
        "(COALESCE(project_id, 0)) WITH =, kind WITH =, daterange(starts_on, ends_on, '[]') WITH &&)"
    )


def remove_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE reports_reportingperiod DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_survey_indicators")]

    operations = [migrations.RunPython(add_guard, remove_guard)]
