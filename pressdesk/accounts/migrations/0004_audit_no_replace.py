"""SQLite: INSERT OR REPLACE must not overwrite an audit entry either."""

from django.db import migrations

from pressdesk.accounts import audit_triggers


def forwards(apps, schema_editor):
    # Installs the guard again: its statements are idempotent, and the new trigger joins them.
    audit_triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_replace")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_totp_last_step")]
    operations = [migrations.RunPython(forwards, backwards)]
