"""The hostile-input corpus again on PostgreSQL, which refuses text SQLite takes (a NUL character in a
search box was a 500 there): every form and search the URL configuration has, on the real database."""

import pytest

from tests.hostile.test_corpus import (
    school,  # noqa: F401 (the corpus's fixture)
    test_every_hostile_input_through_every_form,  # noqa: F401
)

pytestmark = pytest.mark.services
