"""The table the throttles count in when no Redis is configured (glenwood.cache.SharedDatabaseCache).

Nothing is made when the cache is Redis; createcachetable skips tables that exist."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_imports_invitations_year_groups")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
