"""A policy's details (who reviews and approves it, whom it applies to, what it is read with),
changed after it was added: by the head or a school administrator only, each change in words in
the audit log."""

import datetime

import pytest

from audit.describe import describe
from audit.models import AuditEntry
from glenwood.services import NotAllowed, ServiceError
from policies import services
from policies.models import Policy


def form_data(policy, **changes):
    data = {
        "title": policy.title, "category": policy.category, "reviewer_role": policy.reviewer_role,
        "approval_body": policy.approval_body_id, "review_interval_months": policy.review_interval_months,
        "related": [p.pk for p in policy.related.all()],
    }  # fmt: skip
    data.update(
        {
            f"for_{a}": "on"
            for a in ("staff", "pupils", "visitors", "governors")
            if getattr(policy, f"for_{a}")
        }
    )
    data.update({"public": "on"} if policy.public else {})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_head_changes_the_details_and_the_audit_log_says_what_changed(demo, login, social_media):
    resources = demo["glenwood"].governing_bodies.get(short_name="Resources")
    data_protection = Policy.objects.get(school=demo["glenwood"], title="Data Protection Policy")
    client = login("head")
    page = client.get(f"/policies/{social_media.pk}/").content.decode()
    assert f'href="/policies/{social_media.pk}/details/"' in page
    response = client.post(
        f"/policies/{social_media.pk}/details/",
        form_data(
            social_media, reviewer_role="dsl", approval_body=resources.pk, review_interval_months=24,
            for_visitors=None, related=[data_protection.pk],
        ),
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == f"/policies/{social_media.pk}/"
    assert "Details saved." in response.content.decode()
    social_media.refresh_from_db()
    assert social_media.reviewer_role == "dsl" and social_media.approval_body == resources
    assert social_media.review_interval_months == 24 and not social_media.for_visitors
    assert list(social_media.related.all()) == [data_protection]
    entry = AuditEntry.objects.filter(action="policy.updated").latest("id")
    assert entry.actor == demo["head"]
    words = describe(entry)
    assert words.startswith("Changed the policy's details: ")
    assert "Responsibility to review: Headteacher → Designated Safeguarding Lead" in words
    assert f"Approval: Full Governing Body → {resources.name}" in words
    assert "Review interval months: 12 → 24" in words
    assert "Applies to visitors: yes → no" in words
    assert "Read in conjunction with: Data Protection Policy, Disciplinary" in words
    assert words.endswith("→ Data Protection Policy")


def test_nothing_changed_writes_no_audit_entry(demo, login, social_media):
    before = AuditEntry.objects.filter(action="policy.updated").count()
    response = login("admin").post(
        f"/policies/{social_media.pk}/details/", form_data(social_media), follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    assert AuditEntry.objects.filter(action="policy.updated").count() == before


def test_form_redisplays_its_errors(demo, login, social_media):
    client = login("head")
    response = client.post(
        f"/policies/{social_media.pk}/details/",
        form_data(social_media, title="Online Safety Policy", review_interval_months=0),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The school already has a policy with this title." in page
    assert "Ensure this value is greater than or equal to 1." in page
    social_media.refresh_from_db()
    assert social_media.title == "Use of Social Media Policy"


def test_approving_body_cannot_change_while_the_governors_are_deciding(demo, social_media):
    version = services.version_draft(
        actor=demo["head"], policy=social_media, reviewed_on=datetime.date(2026, 11, 1)
    )
    services.version_submit(actor=demo["head"], version=version)
    resources = demo["glenwood"].governing_bodies.get(short_name="Resources")
    with pytest.raises(ServiceError, match="with the governors"):
        services.policy_update_details(actor=demo["head"], policy=social_media, approval_body=resources)
    # Other details may still change.
    services.policy_update_details(actor=demo["head"], policy=social_media, category="Online safety")


def test_only_the_head_or_an_administrator_of_the_school(demo, login, social_media):
    with pytest.raises(NotAllowed):
        services.policy_update_details(actor=demo["teacher"], policy=social_media, category="x")
    with pytest.raises(NotAllowed):
        services.policy_update_details(actor=demo["hillside-head"], policy=social_media, category="x")
    assert login("teacher").get(f"/policies/{social_media.pk}/details/").status_code == 403
    assert "Edit details" not in login("teacher").get(f"/policies/{social_media.pk}/").content.decode()
    assert (
        login("hillside-head")
        .post(f"/policies/{social_media.pk}/details/", form_data(social_media, category="Taken"))
        .status_code
        == 404
    )
    social_media.refresh_from_db()
    assert social_media.category != "Taken"


def test_head_puts_a_policy_on_the_public_page_and_takes_it_off(demo, login):
    disciplinary = Policy.objects.get(school=demo["glenwood"], title="Disciplinary Policy and Procedure")
    client = login("head")
    public_page = "/schools/glenwood/policies/"
    assert "Disciplinary Policy and Procedure" not in client.get(public_page).content.decode()
    client.post(f"/policies/{disciplinary.pk}/details/", form_data(disciplinary, public="on"))
    assert "Disciplinary Policy and Procedure" in client.get(public_page).content.decode()
    entry = AuditEntry.objects.filter(action="policy.updated").latest("id")
    assert "On the school's public page: no → yes" in describe(entry)
    disciplinary.refresh_from_db()
    client.post(f"/policies/{disciplinary.pk}/details/", form_data(disciplinary, public=None))
    assert "Disciplinary Policy and Procedure" not in client.get(public_page).content.decode()
