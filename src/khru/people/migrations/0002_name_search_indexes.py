"""Name search indexes for PostgreSQL.

Search filters by name prefix (LIKE 'x%'; English case-insensitively as UPPER(col) LIKE 'X%') and orders
by the name in byte order, so one index serves both the filter and the LIMIT: btree indexes with the "C"
collation. SQLite has no such collation; it serves one municipality without them.
"""

from django.db import migrations

INDEXES = {
    "person_first_th_c": '(first_name_th COLLATE "C")',
    "person_last_th_c": '(last_name_th COLLATE "C")',
    "person_first_en_upper_c": '((UPPER(first_name_en::text)) COLLATE "C")',
    "person_last_en_upper_c": '((UPPER(last_name_en::text)) COLLATE "C")',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, expression in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON people_person {expression}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
