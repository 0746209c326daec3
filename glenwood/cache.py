"""The database cache with an atomic increment, so the throttles count in one place for every
web process when no Redis is configured.

Django's DatabaseCache increments by reading and then writing, so two processes counting at once
can lose a count (django-ratelimit refuses it for that reason). Here the read and the write happen
in one transaction holding the row: BEGIN IMMEDIATE on SQLite (glenwood/settings.py), SELECT ...
FOR UPDATE on PostgreSQL. The expiry is kept, as the throttle's window depends on it.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class SharedDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s{lock}",  # noqa: S608
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301 (our own rows)
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [stored, key])  # noqa: S608
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)
