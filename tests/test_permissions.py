"""Every URL of the project, requested as each demo role and as an anonymous visitor.

The shape of pretix's control/test_permissions.py: one table of who gets what, so a new view
without its check shows up as a failing row rather than a data leak.
"""

import datetime

import pytest

from policies import services
from policies.models import Policy
from tests import permissions
from tests.permissions import LOGIN, assert_answers

EVERYONE = ["head", "deputy", "dsl", "admin", "trustadmin", "techadmin", "chair", "governor", "teacher",
            "supply", "trainee", "pupil7", "pupil10", "hillside-head"]  # fmt: skip
GLENWOOD = [u for u in EVERYONE if u != "hillside-head"]


@pytest.fixture
def records(demo):
    head = demo["head"]
    social = Policy.objects.get(school=demo["glenwood"], title="Use of Social Media Policy")
    online = Policy.objects.get(school=demo["glenwood"], title="Online Safety Policy")
    draft = services.version_draft(actor=head, policy=social, reviewed_on=datetime.date(2026, 11, 1))
    submitted = services.version_draft(actor=head, policy=online, reviewed_on=datetime.date(2026, 11, 1))
    services.version_submit(actor=head, version=submitted)
    return {
        "social": social.pk,
        "published": social.current_version.pk,
        "dataprotection": Policy.objects.get(school=demo["glenwood"], title="Data Protection Policy").pk,
        "hillside_policy": Policy.objects.get(school=demo["hillside"]).pk,
        "disciplinary": Policy.objects.get(
            school=demo["glenwood"], title="Disciplinary Policy and Procedure"
        ).pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
    }


def expect(default, **overrides):
    return permissions.expect(EVERYONE, default, **overrides)


# techadmin, the technical administrator, holds no portal role: a policy's page is not for them (a
# published version's text is, as for everyone at the school).
DRAFT_VIEWERS = {"head": 200, "deputy": 200, "admin": 200, "trustadmin": 200}
APPROVERS = {"chair": 200, "governor": 200}

GET_URLS = [
    ("/", LOGIN, expect(200)),
    ("/healthz", 200, expect(200)),
    ("/accounts/login/", 200, expect(302)),  # someone signed in is sent on to the home page
    ("/accounts/password/change/", LOGIN, expect(200)),
    ("/accounts/2fa/", LOGIN, expect(200)),
    ("/accounts/email/", 404, expect(404)),  # the email comes from the school, not changed here
    ("/accounts/3rdparty/", 404, expect(404)),
    ("/access/settings/", LOGIN, expect(403, head=200, admin=200, trustadmin=200, hillside_head=200)),
    ("/policies/", LOGIN, expect(200)),
    ("/policies/new/", LOGIN, expect(403, head=200, admin=200, hillside_head=200)),
    ("/policies/reviews/", LOGIN, expect(200)),
    ("/policies/preview/", LOGIN, expect(405)),  # the editor's preview answers a POST only
    ("/policies/{social}/", LOGIN, expect(200, hillside_head=404, techadmin=404)),
    (
        "/policies/{dataprotection}/",
        LOGIN,
        expect(200, pupil7=404, pupil10=404, hillside_head=404, techadmin=404),
    ),
    ("/policies/{hillside_policy}/", LOGIN, expect(404, hillside_head=200, trustadmin=200)),
    # A policy's details: the head and school administrator of its own school change them.
    (
        "/policies/{social}/details/",
        LOGIN,
        expect(403, head=200, admin=200, hillside_head=404, techadmin=404),
    ),
    ("/policies/{hillside_policy}/details/", LOGIN, expect(404, hillside_head=200, trustadmin=403)),
    ("/policies/versions/{published}/", LOGIN, expect(200, hillside_head=404)),
    ("/policies/versions/{published}/redline/", LOGIN, expect(200, hillside_head=404)),
    ("/policies/versions/{draft}/", LOGIN, expect(404, **DRAFT_VIEWERS)),
    ("/policies/versions/{draft}/redline/", LOGIN, expect(404, **DRAFT_VIEWERS)),
    ("/policies/versions/{draft}/edit/", LOGIN, expect(404, head=200, deputy=403, admin=403, trustadmin=403)),
    ("/policies/versions/{submitted}/", LOGIN, expect(404, **DRAFT_VIEWERS, **APPROVERS, governor2=200)),
    (
        "/policies/versions/{submitted}/decide/",
        LOGIN,
        expect(404, **{k: 403 for k in DRAFT_VIEWERS}, **APPROVERS),
    ),
    ("/admin/", LOGIN, expect(302, techadmin=200)),  # the technical administrator only
    ("/audit/evidence/", LOGIN, expect(403, head=200, trustadmin=200, hillside_head=200)),
    # The school's public policies page: the same for everyone, signed in or not.
    ("/schools/glenwood/policies/", 200, expect(200)),
    ("/schools/glenwood/policies/{social}/", 200, expect(200)),  # its published version, not the draft
    ("/schools/glenwood/policies/{social}.pdf", 200, expect(200)),
    ("/schools/glenwood/policies/{disciplinary}/", 404, expect(404)),  # not marked public
    ("/schools/glenwood/policies/{hillside_policy}/", 404, expect(404)),  # another school's
    ("/schools/nowhere/policies/", 404, expect(404)),
]

POST_URLS = [
    # The editor's preview: for whoever adds policies or drafts their revisions.
    ("/policies/preview/", expect(403, admin=200, hillside_head=200)),
    ("/policies/{social}/details/", expect(403, admin=200, hillside_head=404, techadmin=404)),
    ("/policies/{social}/revise/", expect(403, hillside_head=404, trustadmin=403, techadmin=404)),
    ("/policies/versions/{draft}/submit/", expect(404, deputy=403, admin=403, trustadmin=403)),
    ("/policies/versions/{published}/publish/", expect(403, hillside_head=404)),
    ("/policies/versions/{published}/retire/", expect(403, hillside_head=404)),
]


@pytest.mark.parametrize("url,anonymous,by_user", GET_URLS, ids=[u[0] for u in GET_URLS])
def test_get_as_every_role(client, records, url, anonymous, by_user):
    assert_answers(client, url.format(**records), by_user, anonymous=anonymous)


@pytest.mark.parametrize("url,by_user", POST_URLS, ids=[u[0] for u in POST_URLS])
def test_post_as_the_wrong_people(client, records, url, by_user):
    """Everyone but the headteacher is refused a workflow step; nothing changes."""
    by_user = {**by_user, "head": None}  # the one person who may: tested in the workflow tests
    assert_answers(client, url.format(**records), by_user, method="post")
