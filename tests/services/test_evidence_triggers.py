"""The database refuses raw SQL on evidence on PostgreSQL too (pgtrigger): the SQLite tests, again."""

import pytest

from tests.audit.test_database_refuses import (  # noqa: F401 (collected here under PostgreSQL)
    records,
    test_a_case_still_moves_on_and_a_draft_is_still_edited,
    test_a_closed_case_does_not_change_at_all,
    test_raw_delete_is_refused,
    test_raw_update_is_refused,
)

pytestmark = pytest.mark.services
