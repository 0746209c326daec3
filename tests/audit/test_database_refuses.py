"""Raw SQL cannot change or delete evidence: the database itself refuses (SQLite here; the same
tests run on PostgreSQL from tests/services/test_evidence_triggers.py)."""

import pytest
from django.db import DatabaseError, transaction

from tests.audit.evidence_records import TEXT_COLUMNS, every_record, raw, read

TABLES = sorted(TEXT_COLUMNS)


@pytest.fixture
def records(demo):
    return every_record(demo)


def refused(sql, params):
    with pytest.raises(DatabaseError, match=r"(?i)never|cannot|for ever"), transaction.atomic():
        raw(sql, params)


@pytest.mark.parametrize("table", TABLES)
def test_raw_update_is_refused(records, table):
    column, pk = TEXT_COLUMNS[table], records[table]
    before = read(table, column, pk)
    refused(f'UPDATE "{table}" SET "{column}" = %s WHERE id = %s', ["forged", pk])
    assert read(table, column, pk) == before


@pytest.mark.parametrize("table", TABLES)
def test_raw_delete_is_refused(records, table):
    pk = records[table]
    refused(f'DELETE FROM "{table}" WHERE id = %s', [pk])
    assert read(table, "id", pk) == pk


def test_a_case_still_moves_on_and_a_draft_is_still_edited(records, demo):
    """The mutable tables refuse changes to the evidence, not the workflow's status moves."""
    case = records["breaches_case"]
    assert raw('UPDATE "breaches_case" SET "allegation" = %s WHERE id = %s', ["As put to them.", case]) == 1
    refused('UPDATE "breaches_case" SET "reported_at" = %s WHERE id = %s', ["2020-01-01 00:00:00", case])
    version = records["policies_policyversion"]
    assert (
        raw('UPDATE "policies_policyversion" SET "status" = %s WHERE id = %s', ["superseded", version]) == 1
    )


def test_a_closed_case_does_not_change_at_all(records):
    case = records["breaches_case"]
    raw('UPDATE "breaches_case" SET "status" = %s, "closed_at" = %s WHERE id = %s',
        ["closed", "2026-11-30 10:00:00", case])  # fmt: skip
    refused('UPDATE "breaches_case" SET "allegation" = %s WHERE id = %s', ["rewritten", case])
    assert read("breaches_case", "allegation", case) == ""
