"""Text too deep or too long is refused when it is saved, with a message that says what to change;
whatever is saved renders in the browser and in a PDF."""

import datetime

import pytest

from glenwood.services import ServiceError
from policies import services
from policies.markdown import (
    MAX_MARKDOWN_CHARS,
    MAX_NESTING,
    html_nesting,
    markdown_problems,
    render_markdown,
)
from policies.models import Policy, PolicyVersion, VersionStatus

NESTED_QUOTES = "> " * 2000 + "Keep your password secret."
NESTED_LIST = "- " * 3000 + "An item."
NESTED_EMPHASIS = "*" * 4000 + "loud" + "*" * 4000
INDENTED_LIST = "\n".join(" " * (4 * n) + "- level" for n in range(200))


@pytest.mark.parametrize("text", [NESTED_QUOTES, NESTED_LIST, NESTED_EMPHASIS, INDENTED_LIST])
def test_deep_nesting_is_refused_with_what_to_change(text):
    [problem] = markdown_problems(text)
    assert f"at most {MAX_NESTING} are allowed" in problem and "Remove some of the" in problem
    html = render_markdown(text)  # never a RecursionError, whatever reaches it
    assert html_nesting(html) <= MAX_NESTING


@pytest.mark.parametrize("text", ["[" * 10_000 + "]" * 10_000, "[" * 5_000 + "x" + "](y)" * 5_000])
def test_thousands_of_open_brackets_are_refused_before_markdown_spends_minutes_on_them(text):
    [problem] = markdown_problems(text)
    assert "brackets “[” or “(” open at once" in problem
    assert render_markdown(text)  # rendered line by line, at once


def test_ordinary_nesting_and_a_long_policy_pass():
    text = "# Rules\n\n- one\n    - two\n        - three\n\n> quoted *with **strong** words*\n"
    assert markdown_problems(text) == []
    assert markdown_problems("A sentence of a long policy.\n\n" * 5000) == []  # 145,000 characters
    [problem] = markdown_problems("x" * (MAX_MARKDOWN_CHARS + 1))
    assert "Split it into separate documents" in problem


@pytest.fixture
def staff_agreement_draft(demo):
    policy = Policy.objects.get(school=demo["glenwood"], agreement__kind="staff")
    return services.version_draft(actor=demo["head"], policy=policy, reviewed_on=datetime.date(2026, 11, 20))


def test_the_nested_agreement_is_refused_at_save_and_the_draft_kept(demo, login, staff_agreement_draft):
    draft = staff_agreement_draft
    before = draft.body
    response = login("head").post(
        f"/policies/versions/{draft.pk}/edit/",
        {"label": draft.label, "reviewed_on": "2026-11-20", "next_review_on": "2027-11-20",
         "change_summary": "Deep", "body": NESTED_QUOTES},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "nests lists, quotes or emphasis 2000 levels deep" in page
    draft.refresh_from_db()
    assert draft.body == before
    with pytest.raises(ServiceError, match="2000 levels deep"):
        services.version_update_draft(actor=demo["head"], version=draft, body=NESTED_QUOTES)


def test_a_policy_of_nested_list_items_is_refused_not_a_500(demo, login):
    fgb = demo["glenwood"].governing_bodies.get(short_name="FGB")
    form = {"title": "Deep Policy", "reviewer_role": "headteacher", "approval_body": fgb.pk,
            "review_interval_months": 12, "for_staff": "on", "body": NESTED_LIST, "reviewed_on": "2026-11-01"}  # fmt: skip
    response = login("head").post("/policies/new/", form)
    assert response.status_code == 200
    assert "3000 levels deep" in response.content.decode()
    assert not Policy.objects.filter(title="Deep Policy").exists()


def test_a_deep_text_copied_into_a_revision_cannot_be_submitted(demo, staff_agreement_draft):
    draft = staff_agreement_draft
    PolicyVersion.objects.filter(pk=draft.pk).update(body=NESTED_LIST)  # as saved before the limits
    draft.refresh_from_db()
    with pytest.raises(ServiceError, match="3000 levels deep"):
        services.version_submit(actor=demo["head"], version=draft)
    assert PolicyVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
