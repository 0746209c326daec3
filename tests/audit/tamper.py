"""What a database owner can do that the portal cannot: drop the triggers."""

from contextlib import contextmanager

import pgtrigger
from django.db import connection

from glenwood.protection import drop_sqlite_triggers, install_sqlite_triggers


@contextmanager
def triggers_dropped():
    if connection.vendor == "postgresql":
        pgtrigger.uninstall(database="default")
        try:
            yield
        finally:
            pgtrigger.install(database="default")
        return
    drop_sqlite_triggers(connection)
    try:
        yield
    finally:
        install_sqlite_triggers(connection)
