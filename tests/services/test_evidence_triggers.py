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


from tests.audit.test_lawful_deletion import (  # noqa: E402, F401
    test_a_failed_deletion_leaves_nothing_lifted,
    test_a_lawful_deletion_leaves_a_tombstone_without_personal_data,
    test_the_triggers_stand_again_straight_after,
)
from tests.audit.test_verify_evidence import (  # noqa: E402, F401
    test_a_changed_audit_entry_is_found_and_named,
    test_a_changed_signature_is_found_at_the_entry_that_recorded_it,
    test_a_deleted_chronology_entry_is_found_at_the_entry_that_created_it,
    test_untouched_evidence_passes,
)
