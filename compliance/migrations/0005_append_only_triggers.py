"""Append-only audit trail at the database (PostgreSQL only; a no-op on SQLite).

Triggers refuse UPDATE, DELETE and TRUNCATE on every history table, on compliance checks and on
audit seals, and DELETE and TRUNCATE on check runs. Tables added later get them from the
`post_migrate` handler in `compliance.apps`. See `compliance.append_only`.
"""

from django.db import migrations

from compliance import append_only


def install(apps, schema_editor):
    append_only.install(schema_editor.connection, apps.get_models(), replace=True)


def uninstall(apps, schema_editor):
    append_only.uninstall(schema_editor.connection, apps.get_models())


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0004_audit_seal"),
        ("facilities", "0004_reminders_and_calendar"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
