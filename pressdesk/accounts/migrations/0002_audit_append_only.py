"""The database itself refuses updates and deletes of audit entries, on SQLite and PostgreSQL."""

from django.db import migrations

from pressdesk.accounts import audit_triggers


def forwards(apps, schema_editor):
    audit_triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    audit_triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
