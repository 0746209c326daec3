"""The policy pages as people use them: forms, messages, search, schedule, home page."""

import datetime

import pytest

from policies import services
from policies.models import Policy, PolicyVersion, VersionStatus


@pytest.fixture
def draft(demo, social_media):
    return services.version_draft(
        actor=demo["head"], policy=social_media, reviewed_on=datetime.date(2026, 11, 20)
    )


def test_head_starts_edits_and_submits_a_revision(demo, login, social_media):
    client = login("head")
    response = client.post(f"/policies/{social_media.pk}/revise/", {"reviewed_on": "2026-11-20"}, follow=True)
    version = PolicyVersion.objects.get(policy=social_media, status=VersionStatus.DRAFT)
    assert response.redirect_chain[-1][0] == f"/policies/versions/{version.pk}/edit/"
    body = version.body.replace("MySpace", "TikTok")
    response = client.post(
        f"/policies/versions/{version.pk}/edit/",
        {"label": "Version 2", "reviewed_on": "2026-11-20", "next_review_on": "2027-11-20",
         "change_summary": "Names current platforms.", "body": body},
        follow=True,
    )  # fmt: skip
    assert "Draft saved." in response.content.decode()
    response = client.post(f"/policies/versions/{version.pk}/submit/", follow=True)
    assert "sent to the governors" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED and "TikTok" in version.body


def test_bad_draft_form_redisplays_with_message_and_keeps_text(demo, login, draft):
    client = login("head")
    response = client.post(
        f"/policies/versions/{draft.pk}/edit/",
        {"label": "Version 2", "reviewed_on": "2026-11-20", "next_review_on": "2025-01-01",
         "change_summary": "", "body": "My careful new wording"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "The next review must come after the review date." in page
    assert "My careful new wording" in page
    draft.refresh_from_db()
    assert "My careful new wording" not in draft.body


def test_double_click_on_submit_gives_a_message_not_an_error(demo, login, draft):
    client = login("head")
    client.post(f"/policies/versions/{draft.pk}/submit/")
    response = client.post(f"/policies/versions/{draft.pk}/submit/", follow=True)
    assert response.status_code == 200
    assert "nothing was changed" in response.content.decode()
    assert PolicyVersion.objects.get(pk=draft.pk).round == 1


def test_governor_sees_redline_and_decision_form_needs_a_minute(demo, login, draft):
    services.version_update_draft(
        actor=demo["head"], version=draft, body=draft.body.replace("MySpace", "TikTok")
    )
    services.version_submit(actor=demo["head"], version=draft)
    client = login("chair")
    page = client.get(f"/policies/versions/{draft.pk}/decide/").content.decode()
    assert '<em><del><span class="visually-hidden">deleted: </span>MySpace</del>' in page
    assert '<ins><span class="visually-hidden">inserted: </span>TikTok</ins></em>' in page
    assert "*MySpace*" not in page
    response = client.post(
        f"/policies/versions/{draft.pk}/decide/", {"decision": "approve", "shown_sha256": draft.sha256}
    )
    assert "Give the minute reference of the meeting." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED
    response = client.post(
        f"/policies/versions/{draft.pk}/decide/",
        {"decision": "approve", "shown_sha256": draft.sha256, "minute_reference": "FGB/2026/41"},
        follow=True,
    )
    assert "Decision recorded" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.APPROVED


def test_home_page_shows_each_person_what_needs_them(demo, login, draft):
    services.version_submit(actor=demo["head"], version=draft)
    assert "Decide on Use of Social Media Policy Version 2" in login("chair").get("/").content.decode()
    head_home = login("head").get("/").content.decode()
    assert "Review Use of Social Media Policy" not in head_home  # a revision is under way
    assert "With the governors: Use of Social Media Policy Version 2" in head_home
    assert "Sign the Staff Acceptable Use Agreement" in login("teacher").get("/").content.decode()
    assert "Nothing needs you right now." in login("trustadmin").get("/").content.decode()


def test_overdue_review_is_on_head_home_and_schedule(demo, login):
    page = login("head").get("/").content.decode()
    assert "Review Use of Social Media Policy" in page and "overdue since 1 February 2019" in page
    schedule = login("teacher").get("/policies/reviews/").content.decode()
    overdue = schedule.split('id="overdue"')[1].split('id="due-soon"')[0]
    assert "Use of Social Media Policy" in overdue
    assert "Online Safety Policy" not in overdue


def test_search_and_filters(demo, login):
    client = login("head")
    page = client.get("/policies/?q=disciplinary").content.decode()
    assert "Disciplinary Policy and Procedure" in page and "Online Safety Policy" not in page
    page = client.get("/policies/?q=Securus").content.decode()  # found in the text, not the title
    assert "Use of Social Media Policy" in page
    page = client.get("/policies/?review=overdue").content.decode()
    assert "Use of Social Media Policy" in page and "Data Protection Policy" not in page
    page = client.get("/policies/?audience=pupils").content.decode()
    assert "Online Safety Policy" in page and "Freedom of Information Policy" not in page
    assert client.get("/policies/?review=nonsense&page=abc").status_code == 200


def test_pupil_sees_only_policies_for_pupils(demo, login):
    page = login("pupil7").get("/policies/").content.decode()
    assert "Use of Social Media Policy" in page
    assert "Data Protection Policy" not in page


def test_trust_admin_sees_both_schools_and_others_only_their_own(demo, login):
    assert Policy.objects.filter(title="Use of Social Media Policy").count() == 2
    page = login("trustadmin").get("/policies/?q=social").content.decode()
    assert "Hillside Academy" in page and "Glenwood School" in page
    page = login("hillside-head").get("/policies/").content.decode()
    assert "Online Safety Policy" not in page


def test_add_policy_form_refuses_duplicate_title(demo, login):
    client = login("head")
    fgb = demo["glenwood"].governing_bodies.get(short_name="FGB")
    form = {"title": "Online Safety Policy", "reviewer_role": "headteacher", "approval_body": fgb.pk,
            "review_interval_months": 12, "for_staff": "on", "body": "Text", "reviewed_on": "2026-11-01"}  # fmt: skip
    response = client.post("/policies/new/", form)
    assert "already has a policy with this title" in response.content.decode()
    form["title"] = "Mobile Phone Policy"
    response = client.post("/policies/new/", form, follow=True)
    policy = Policy.objects.get(title="Mobile Phone Policy")
    assert policy.versions.get().status == VersionStatus.DRAFT
    assert "first draft is ready" in response.content.decode()


def test_text_posted_with_windows_line_endings_keeps_its_hash(demo, login, draft):
    """Browsers send CRLF; saving only a new summary must not count as a change to the text."""
    client = login("head")
    original_hash = draft.sha256
    client.post(
        f"/policies/versions/{draft.pk}/edit/",
        {"label": draft.label, "reviewed_on": "2026-11-20", "next_review_on": draft.next_review_on.isoformat(),
         "change_summary": "Only the summary changed.", "body": draft.body.replace("\n", "\r\n")},
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.change_summary == "Only the summary changed."
    assert draft.sha256 == original_hash


def test_date_fields_show_dates_the_browser_understands(demo, login, draft):
    page = login("head").get(f"/policies/versions/{draft.pk}/edit/").content.decode()
    assert 'value="2026-11-20"' in page and 'value="2027-11-20"' in page


def test_library_shows_agreements_beside_policies_with_a_kind_filter(demo, login):
    client = login("head")
    page = client.get("/policies/").content.decode()
    assert "Use of Social Media Policy" in page
    for title in ("Staff", "KS3 Pupil", "KS4 Pupil", "Visitor", "Governor"):
        assert f"{title} Acceptable Use Agreement" in page
    agreements = client.get("/policies/?kind=agreement").content.decode()
    assert "Staff Acceptable Use Agreement" in agreements and "Use of Social Media Policy" not in agreements
    assert "5 documents" in agreements
    policies = client.get("/policies/?kind=policy").content.decode()
    assert "Use of Social Media Policy" in policies and "Staff Acceptable Use Agreement" not in policies
    # The search reaches the agreements' text too.
    found = client.get("/policies/?q=alphanumeric").content.decode()
    assert "Staff Acceptable Use Agreement" in found and "KS3 Pupil Acceptable Use Agreement" not in found
    assert client.get("/policies/?kind=nonsense").status_code == 200


def test_pupil_sees_their_own_agreement_in_the_library(demo, login):
    page = login("pupil7").get("/policies/?kind=agreement").content.decode()
    assert "KS3 Pupil Acceptable Use Agreement" in page
    assert "Staff Acceptable Use Agreement" not in page


def test_decisions_and_the_decide_form_come_before_the_text(demo, login, draft):
    services.version_update_draft(
        actor=demo["head"], version=draft, body=draft.body.replace("MySpace", "TikTok")
    )
    services.version_submit(actor=demo["head"], version=draft)
    draft.refresh_from_db()
    services.version_decide(
        actor=demo["governor"], version=draft, decision="approve", shown_sha256=draft.sha256,
        minute_reference="FGB/2026/40",
    )  # fmt: skip
    client = login("chair")
    decide = client.get(f"/policies/versions/{draft.pk}/decide/").content.decode()
    assert decide.index('id="decisions"') < decide.index("Record my decision") < decide.index('id="redline"')
    assert "FGB/2026/40" in decide.split('id="decisions"')[1].split('id="redline"')[0]
    detail = client.get(f"/policies/versions/{draft.pk}/").content.decode()
    assert detail.index("Review and decide") < detail.index('id="decisions"') < detail.index("policy-body")


def test_head_names_the_governors_meeting_when_submitting(demo, login, draft):
    client = login("head")
    page = client.get(f"/policies/versions/{draft.pk}/").content.decode()
    assert 'for="id_meeting_on"' in page and "reminded 3 days before" in page
    meeting = datetime.date.today() + datetime.timedelta(days=14)
    response = client.post(
        f"/policies/versions/{draft.pk}/submit/", {"meeting_on": meeting.isoformat()}, follow=True
    )
    assert "sent to the governors" in response.content.decode()
    draft.refresh_from_db()
    assert draft.meeting_on == meeting
    assert f"meeting on {meeting:%-d %B %Y}" in response.content.decode()


def test_a_meeting_date_that_is_not_a_date_or_has_passed_is_refused(demo, login, draft):
    client = login("head")
    response = client.post(f"/policies/versions/{draft.pk}/submit/", {"meeting_on": "soon"}, follow=True)
    assert "Give the meeting date as a date" in response.content.decode()
    past = datetime.date.today() - datetime.timedelta(days=1)
    response = client.post(
        f"/policies/versions/{draft.pk}/submit/", {"meeting_on": past.isoformat()}, follow=True
    )
    assert "meeting date has passed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_chair_who_asks_for_changes_lands_on_a_page_they_can_see(demo, login, draft):
    services.version_submit(actor=demo["head"], version=draft)
    draft.refresh_from_db()
    response = login("chair").post(
        f"/policies/versions/{draft.pk}/decide/",
        {"decision": "changes", "comment": "Name the platforms.", "shown_sha256": draft.sha256},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0] == f"/policies/{draft.policy_id}/"
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
