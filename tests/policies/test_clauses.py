from pathlib import Path

from policies.clauses import clause, clauses

ROOT = Path(__file__).resolve().parents[2]


def test_agreement_clauses_are_its_numbered_items():
    staff = (ROOT / "agreements/demo/staff.md").read_text()
    found = clauses(staff)
    assert [c.number for c in found] == list(range(1, len(found) + 1))
    assert "pupil" in clause(staff, 4).text.lower()


def test_policy_without_numbers_counts_its_bullets_under_their_headings():
    policy = (ROOT / "policies/demo/use-of-social-media-policy.md").read_text()
    found = clauses(policy)
    friend = next(c for c in found if "friend requests" in c.text)
    assert friend.heading == "PERSONAL USE OF SOCIAL MEDIA"
    assert clause(policy, friend.number) == friend
