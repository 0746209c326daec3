"""Retention on PostgreSQL: deletions lift the pgtrigger refusals for their own statements only,
the tombstones keep the chain verifiable, and a hold blocks. The SQLite tests, again."""

import pytest

from tests.retention.test_review import (  # noqa: F401 (collected here under PostgreSQL)
    left_signature,
    test_a_batch_confirmation_does_each_and_says_which_were_refused,
    test_a_legal_hold_blocks_deletion_until_it_is_lifted,
    test_a_monitoring_flag_case_goes_whole_with_its_screenshot_and_the_chain_still_verifies,
    test_a_record_reaching_review_asks_the_dsl_or_head_to_decide_and_say_why,
    test_an_administrator_confirms_and_the_tombstone_keeps_the_chain_verifiable,
)

pytestmark = pytest.mark.services

from tests.retention.test_rules import (  # noqa: E402, F401
    rules,
    test_a_monitoring_flag_that_led_to_nothing_is_listed_six_months_after_closing,
    test_a_years_audit_entries_reach_review_seven_years_after_the_year_ends,
    test_an_allegation_about_staff_is_kept_to_pension_age_when_that_is_longer,
)
