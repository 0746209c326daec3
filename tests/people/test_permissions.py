"""Every people URL, requested as each demo role and as an anonymous visitor.

The directory is for the school office, the headteacher and trust administrators (across the
trust); the import for the office and the headteacher, into their own school. The wrong role gets
403; another school's person or import gets 404, never a hint that it exists.
"""

from pathlib import Path

import pytest

from audit.models import AuditEntry
from people import services
from people.models import ImportBatch, ImportStatus, Invitation, Person, YearGroupAgreement

PERSONAS = ["head", "deputy", "dsl", "admin", "trustadmin", "techadmin", "chair", "governor", "teacher",
            "supply", "pupil7", "hillside-head"]  # fmt: skip
LOGIN = 302
SAMPLE = Path(__file__).resolve().parents[2] / "people" / "demo" / "mis-export-sample.csv"


@pytest.fixture
def records(demo):
    glenwood_batch = services.import_check(
        actor=demo["admin"], school=demo["glenwood"], filename="glenwood.csv", data=SAMPLE.read_bytes()
    )
    hillside_batch = services.import_check(
        actor=demo["hillside-head"], school=demo["hillside"], filename="hillside.csv",
        data=b"First name,Last name,Email,Role\r\nOwen,Fry,hillside-teacher@hillside.example,Staff\r\n",
    )  # fmt: skip
    return {
        "pupil": demo["pupil7"].pk,
        "hillside_person": demo["hillside-pupil8"].pk,
        "batch": glenwood_batch.pk,
        "hillside_batch": hillside_batch.pk,
    }


def expect(default, **overrides):
    table = {user: default for user in PERSONAS}
    table.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return table


OFFICE = {"head": 200, "admin": 200}
GLENWOOD_PERSON = expect(403, **OFFICE, trustadmin=200, hillside_head=404)
HILLSIDE_PERSON = expect(403, head=404, admin=404, trustadmin=200, hillside_head=200)

GET_URLS = [
    ("/people/", expect(403, **OFFICE, trustadmin=200, hillside_head=200)),
    ("/people/{pupil}/", GLENWOOD_PERSON),
    ("/people/{pupil}/edit/", GLENWOOD_PERSON),
    ("/people/{hillside_person}/", HILLSIDE_PERSON),
    ("/people/{hillside_person}/edit/", HILLSIDE_PERSON),
    ("/people/import/", expect(403, **OFFICE, hillside_head=200)),
    ("/people/import/sample.csv", expect(403, **OFFICE, hillside_head=200)),
    ("/people/import/{batch}/", expect(403, **OFFICE, hillside_head=404)),
    ("/people/import/{hillside_batch}/", expect(403, head=404, admin=404, hillside_head=200)),
    ("/people/import/sample-pupils.csv", expect(403, **OFFICE, hillside_head=200)),
    ("/people/import/sample-staff.csv", expect(403, **OFFICE, hillside_head=200)),
    ("/people/import/{batch}/rows-to-correct.csv", expect(403, **OFFICE, hillside_head=404)),
    (
        "/people/import/{hillside_batch}/rows-to-correct.csv",
        expect(403, head=404, admin=404, hillside_head=200),
    ),
    # A checked file has its columns matched already: the office is sent on to the check.
    ("/people/import/{batch}/columns/", expect(403, head=302, admin=302, hillside_head=404)),
    ("/people/year-groups/", expect(403, **OFFICE, hillside_head=200)),
]

# Posted by everyone who may not make the change; the people who may are tested elsewhere.
POST_URLS = [
    ("/people/{pupil}/edit/", expect(403, hillside_head=404), {"head", "admin", "trustadmin"}),
    ("/people/import/", expect(403), {"head", "admin", "hillside-head"}),
    ("/people/import/{batch}/apply/", expect(403, hillside_head=404), {"head", "admin"}),
    ("/people/import/{hillside_batch}/apply/", expect(403, head=404, admin=404), {"hillside-head"}),
    ("/people/import/{batch}/discard/", expect(403, hillside_head=404), {"head", "admin"}),
    ("/people/import/{batch}/invite/", expect(403, hillside_head=404), {"head", "admin"}),
    ("/people/import/{batch}/columns/", expect(403, hillside_head=404), {"head", "admin"}),
    ("/people/{pupil}/invite/", expect(403, hillside_head=404), {"head", "admin", "trustadmin"}),
    ("/people/{hillside_person}/invite/", expect(403, head=404, admin=404), {"trustadmin", "hillside-head"}),
    ("/people/invite/", expect(403), {"head", "admin", "trustadmin", "hillside-head"}),
    ("/people/year-groups/", expect(403), {"head", "admin", "hillside-head"}),
]


@pytest.mark.parametrize("url,by_user", GET_URLS, ids=[u[0] for u in GET_URLS])
def test_get_as_every_role(client, records, url, by_user):
    url = url.format(**records)
    assert client.get(url).status_code == LOGIN, "anonymous"
    for username, expected in by_user.items():
        client.force_login(Person.objects.get(username=username))
        assert client.get(url).status_code == expected, username
        client.logout()


@pytest.mark.parametrize("url,by_user,allowed", POST_URLS, ids=[u[0] for u in POST_URLS])
def test_post_as_the_wrong_people_changes_nothing(client, records, url, by_user, allowed):
    url = url.format(**records)
    form = {"roles": ["staff"], "year_group": "", "plan_sha256": "0" * 64, "year_12": "ks4"}
    assert client.post(url, form).status_code == LOGIN, "anonymous"
    for username, expected in by_user.items():
        if username in allowed:
            continue
        client.force_login(Person.objects.get(username=username))
        assert client.post(url, form).status_code == expected, username
        client.logout()
    assert not ImportBatch.objects.exclude(status=ImportStatus.DRY_RUN).exists()
    assert ImportBatch.objects.count() == 2
    assert not Invitation.objects.exists() and not YearGroupAgreement.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["person.updated", "person.imported"]).exists()


def test_invitation_links_are_public_but_refuse_a_bad_token(client, demo):
    assert client.get("/join/made-up/").status_code == 410
    client.force_login(demo["head"])
    assert client.get("/join/made-up/").status_code == 410


# Who may give the teacher the DSL role on the edit page: the headteacher and the trust administrator.
# The school office may edit the teacher but is refused this role with a message (200, form shown
# again); the wrong role is 403 and another school's head 404. Nobody but the two gets the role.
GIVE_DSL = expect(403, head=302, trustadmin=302, admin=200, hillside_head=404)


@pytest.mark.parametrize("username,status", GIVE_DSL.items(), ids=list(GIVE_DSL))
def test_who_may_give_the_dsl_role(client, demo, username, status):
    teacher = demo["teacher"]
    client.force_login(Person.objects.get(username=username))
    response = client.post(f"/people/{teacher.pk}/edit/", {"roles": ["staff", "dsl"]})
    assert response.status_code == status
    granted = AuditEntry.objects.filter(action="person.role_granted").exists()
    assert Person.objects.get(pk=teacher.pk).roles == ({"staff", "dsl"} if status == 302 else {"staff"})
    assert granted == (status == 302)


def test_navigation_shows_people_pages_only_to_those_who_may_use_them(demo, login):
    assert 'href="/people/import/"' in login("admin").get("/").content.decode()
    trust = login("trustadmin").get("/").content.decode()
    assert 'href="/people/"' in trust and 'href="/people/import/"' not in trust
    assert 'href="/people/"' not in login("teacher").get("/").content.decode()
