"""The full-text index of stored articles, which archive search asks before reading them."""

from django.db import migrations

from pressdesk.lib import search

ITEMS = search.TextIndex("monitoring_item", "search_text")


def install_search(apps, schema_editor):
    # SQLite: an FTS5 table and its triggers; PostgreSQL: a GIN index on to_tsvector.
    search.ensure_installed(ITEMS, schema_editor.connection)


def uninstall_search(apps, schema_editor):
    engine = search.backend(schema_editor.connection)
    with schema_editor.connection.cursor() as cursor:
        engine.uninstall(cursor, ITEMS)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(install_search, uninstall_search)]
