"""Query budgets: the policy list and the review schedule cost the same for 5 or 200 policies."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from policies.models import Policy, PolicyVersion, VersionStatus


def add_policies(demo, numbers):
    school, head = demo["glenwood"], demo["head"]
    body = school.governing_bodies.get(short_name="FGB")
    today = timezone.localdate()
    for i in numbers:
        policy = Policy.objects.create(
            school=school, title=f"Policy {i:03d}", category=f"Cat {i % 4}", approval_body=body
        )
        # Spread next reviews over overdue, due soon and later, so every section has rows.
        reviewed = today - datetime.timedelta(days=300 + (i % 3) * 60)
        version = PolicyVersion.objects.create(
            policy=policy, number=1, label="Version 1", body=f"Text {i}", reviewed_on=reviewed,
            next_review_on=policy.next_review_after(reviewed), created_by=head,
            status=VersionStatus.PUBLISHED, approved_at=timezone.now(), published_at=timezone.now(),
        )  # fmt: skip
        Policy.objects.filter(pk=policy.pk).update(current_version=version)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("url", ["/policies/", "/policies/?q=Policy&review=overdue", "/policies/reviews/"])
@pytest.mark.parametrize("username", ["head", "teacher", "trustadmin"])
def test_same_queries_for_5_and_200_policies(demo, login, url, username):
    client = login(username)
    add_policies(demo, range(5))
    few, _ = count_queries(client, url)
    add_policies(demo, range(5, 200))
    many, page = count_queries(client, url)
    assert many == few
    # The rows are really on the page (the demo's policies and agreements before "Policy" take a few).
    assert len(re.findall(r"Policy \d{3}", page)) >= 15
