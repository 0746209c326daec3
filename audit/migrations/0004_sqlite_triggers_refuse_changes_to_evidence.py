"""SQLite has no pgtrigger: the same refusals as CREATE TRIGGER ... RAISE(ABORT).

The declarations live on the models (glenwood.protection); audit's post_migrate handler installs
them again after every migrate, because SQLite drops a table's triggers when a migration rebuilds it.
"""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from glenwood.protection import install_sqlite_triggers

    install_sqlite_triggers(schema_editor.connection)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from glenwood.protection import drop_sqlite_triggers

    drop_sqlite_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_hash_chain_and_evidence_checks"),
        ("agreements", "0007_database_refuses_changes_to_evidence"),
        ("breaches", "0003_database_refuses_changes_to_evidence"),
        ("policies", "0003_database_refuses_changes_to_evidence"),
    ]

    operations = [migrations.RunPython(install, remove)]
