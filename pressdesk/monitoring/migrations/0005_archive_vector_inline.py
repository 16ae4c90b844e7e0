"""PostgreSQL keeps an article's search vector in its row (compressed if need be) rather than in
TOAST: every archive search tests the vectors of its candidates, and fetching each from TOAST
cost three to four times testing it in the row (measured on 30,000 full-text articles).

Rows written from now on are stored so; existing rows move when they are next written (or with
VACUUM FULL after an UPDATE). SQLite has no such column: nothing to do there."""

from django.db import migrations

COLUMN = "search_text_vector"


def _set_storage(schema_editor, storage: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            ["monitoring_item", COLUMN],
        )
        if cursor.fetchone():  # installed by 0002 (lib.search); absent only if uninstalled
            cursor.execute(
                f"ALTER TABLE monitoring_item ALTER COLUMN {COLUMN} SET STORAGE {storage}"
            )


def inline(apps, schema_editor):
    _set_storage(schema_editor, "MAIN")


def toast(apps, schema_editor):
    _set_storage(schema_editor, "EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_archive_order_index")]

    operations = [migrations.RunPython(inline, toast)]
