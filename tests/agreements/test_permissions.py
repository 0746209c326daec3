"""Every agreements URL as each demo role and as an anonymous visitor."""

import pytest

from agreements.models import Agreement, AuthMethod, Signature, SigningSession
from agreements.services import Evidence, signature_record, signing_session_open
from people.models import Person
from tests import permissions
from tests.permissions import LOGIN, assert_answers

EVERYONE = ["head", "deputy", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "supply",
            "trainee", "pupil7", "pupil10", "hillside-head", "hillside-teacher"]  # fmt: skip


@pytest.fixture
def records(demo):
    glenwood = demo["glenwood"]
    ks3 = Agreement.objects.get(school=glenwood, kind="ks3")
    session = signing_session_open(teacher=demo["teacher"], agreement=ks3, year_group=7)
    ks4 = Agreement.objects.get(school=glenwood, kind="ks4")
    at_home = signature_record(
        signer=demo["pupil10"], agreement=ks4, version=ks4.policy.current_version,
        shown_sha256=ks4.policy.current_version.sha256, consent_given=True, typed_name="Alex Reed",
        witness=demo["teacher"], evidence=Evidence("127.0.0.1", "test", "", AuthMethod.PASSWORD),
    )  # fmt: skip
    return {
        "staff": Agreement.objects.get(school=glenwood, kind="staff").pk,
        "ks3": ks3.pk,
        "ks4": Agreement.objects.get(school=glenwood, kind="ks4").pk,
        "governor_aua": Agreement.objects.get(school=glenwood, kind="governor").pk,
        "head_signature": Signature.objects.get(person=demo["head"]).pk,
        "session": session.pk,
        "at_home": at_home.pk,
    }


def expect(default, **overrides):
    return permissions.expect(EVERYONE, default, **overrides)


STAFF_200 = {
    u: 200 for u in ("head", "deputy", "dsl", "admin", "teacher", "hillside_head", "hillside_teacher")
}
URLS = [
    ("/agreements/", LOGIN, expect(200)),
    # Signing is for those who owe it; head signed already and sees the "already signed" page.
    ("/agreements/{staff}/sign/", LOGIN, expect(404, head=200, deputy=200, dsl=200, admin=200, teacher=200)),
    ("/agreements/{ks3}/sign/", LOGIN, expect(404, pupil7=200)),
    ("/agreements/{ks4}/sign/", LOGIN, expect(404, pupil10=200)),  # pupil10 signed: "already signed"
    ("/agreements/{governor_aua}/sign/", LOGIN, expect(404, chair=200, governor=200)),
    ("/agreements/{staff}/decline/", LOGIN, expect(404, head=200, deputy=200, dsl=200, admin=200, teacher=200)),
    ("/agreements/signatures/{head_signature}/", LOGIN, expect(404, head=200, deputy=200, admin=200, trustadmin=200)),
    # Only the member of staff the pupil named confirms the witness.
    ("/agreements/signatures/{at_home}/witness/", LOGIN, expect(404, teacher=200)),
    ("/agreements/sessions/", LOGIN, expect(403, **STAFF_200)),
    ("/agreements/sessions/{session}/", LOGIN, expect(404, teacher=200)),
    ("/agreements/sessions/{session}/kiosk/", LOGIN, expect(404, teacher=200)),
    ("/agreements/sessions/{session}/kiosk/sign/", LOGIN, expect(404, teacher=302)),
    ("/agreements/dashboard/", LOGIN, expect(403, head=200, admin=200, trustadmin=200, hillside_head=200)),
    ("/agreements/dashboard.csv", LOGIN, expect(403, head=200, admin=200, trustadmin=200, hillside_head=200)),
]  # fmt: skip


@pytest.mark.parametrize("url,anonymous,by_user", URLS, ids=[u[0] for u in URLS])
def test_get_as_every_role(client, records, url, anonymous, by_user):
    assert_answers(client, url.format(**records), by_user, anonymous=anonymous)


def test_session_close_is_the_teachers_alone(client, records):
    url = f"/agreements/sessions/{records['session']}/close/"
    for username in ("deputy", "head", "hillside-teacher"):
        client.force_login(Person.objects.get(username=username))
        assert client.post(url).status_code == 404
    assert SigningSession.objects.get(pk=records["session"]).closed_at is None
