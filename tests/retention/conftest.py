from tests.breaches import conftest as breaches_fixtures

# The breach tests' signed agreements (staff02 and pupil10), for cases about a member of staff.
agreements = breaches_fixtures.agreements
