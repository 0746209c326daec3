"""Database triggers that refuse to change or delete evidence, even for raw SQL.

Each protected model declares its refusals once (`Refusal`); the same declaration becomes a
django-pgtrigger trigger on PostgreSQL (in the model's Meta.triggers, installed by its migrations)
and a `CREATE TRIGGER ... RAISE(ABORT)` on SQLite (installed by audit's migration and again after
every migrate, because SQLite drops a table's triggers whenever a migration rebuilds the table).

The one way past them is `audit.lawful.delete_record`: on PostgreSQL it ignores the trigger inside
its own transaction (pgtrigger.ignore); on SQLite it writes the record into EVIDENCE_LIFT_TABLE,
which the triggers' WHEN clause reads, and removes it again before the transaction ends.
"""

from dataclasses import dataclass

import pgtrigger

EVIDENCE_LIFT_TABLE = "audit_evidencelift"


@dataclass(frozen=True)
class Refusal:
    name: str
    operation: str  # "update" or "delete"
    message: str
    columns: tuple[str, ...] = ()  # an update is refused only when one of these changes; () = any
    old_status_in: tuple[str, ...] = ()  # only while the row's status is one of these; () = always

    def condition(self, vendor: str) -> str:
        differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
        parts = []
        if self.old_status_in:
            statuses = ", ".join(f"'{s}'" for s in self.old_status_in)
            parts.append(f'OLD."status" IN ({statuses})')
        if self.operation == "update" and self.columns:
            parts.append("(" + " OR ".join(f'OLD."{c}" {differs} NEW."{c}"' for c in self.columns) + ")")
        return " AND ".join(parts)

    def pgtrigger(self):
        condition = self.condition("postgresql")
        return pgtrigger.Protect(
            name=self.name,
            operation=pgtrigger.Update if self.operation == "update" else pgtrigger.Delete,
            condition=pgtrigger.Condition(condition) if condition else None,
        )

    def sqlite_sql(self, table: str) -> list[str]:
        trigger = f"glenwood_{table}_{self.name}"
        # Table names come from the models, never from anyone's input.
        lifted = (
            f"NOT EXISTS (SELECT 1 FROM \"{EVIDENCE_LIFT_TABLE}\" WHERE \"table_name\" IN ('{table}', '*') "  # noqa: S608
            f'AND "record_id" IN (CAST(OLD."id" AS TEXT), \'*\'))'
        )
        condition = self.condition("sqlite")
        when = f"({condition}) AND {lifted}" if condition else lifted
        message = self.message.replace("'", "''")
        return [
            f'DROP TRIGGER IF EXISTS "{trigger}"',
            f'CREATE TRIGGER "{trigger}" BEFORE {self.operation.upper()} ON "{table}" FOR EACH ROW '
            f"WHEN {when} BEGIN SELECT RAISE(ABORT, '{message}'); END",
        ]


# Records that are never changed or deleted once written.
PERMANENT = (
    Refusal("refuse_update", "update", "Evidence is never changed."),
    Refusal("refuse_delete", "delete", "Evidence is never deleted."),
)


def pg_triggers(refusals) -> list:
    return [r.pgtrigger() for r in refusals]


def protected_models():
    """Every model that declares refusals, with them."""
    from django.apps import apps

    return [(m, m.REFUSALS) for m in apps.get_models() if getattr(m, "REFUSALS", None)]


def install_sqlite_triggers(connection) -> None:
    """(Re)create every SQLite trigger from the models' declarations; safe to run again."""
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    if EVIDENCE_LIFT_TABLE not in tables:
        return
    with connection.cursor() as cursor:
        for model, refusals in protected_models():
            if model._meta.db_table not in tables:
                continue
            for refusal in refusals:
                for sql in refusal.sqlite_sql(model._meta.db_table):
                    cursor.execute(sql)


def drop_sqlite_triggers(connection) -> None:
    """What a database owner could do; the tests use it to show verify_evidence still notices."""
    with connection.cursor() as cursor:
        for model, refusals in protected_models():
            for refusal in refusals:
                cursor.execute(f'DROP TRIGGER IF EXISTS "glenwood_{model._meta.db_table}_{refusal.name}"')
