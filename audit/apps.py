from django.apps import AppConfig
from django.db.models.signals import post_migrate


def reinstall_sqlite_triggers(using="default", **kwargs):
    """A migration that rebuilds a SQLite table drops its triggers: put them back every time."""
    from django.db import connections

    from glenwood.protection import install_sqlite_triggers

    install_sqlite_triggers(connections[using])


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        post_migrate.connect(reinstall_sqlite_triggers, sender=self, dispatch_uid="audit.sqlite_triggers")
