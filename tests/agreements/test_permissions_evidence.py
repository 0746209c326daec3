"""Every URL of evidence PDFs, exports and verification, as each demo role and as an anonymous
visitor: another school's export or signature is a 404, the verify page is open to all."""

import datetime

import pytest

from agreements import exports
from agreements.certificates import certificate_for
from agreements.models import Export, ExportStatus, Signature
from agreements.seed import create_agreement
from people.models import Person

EVERYONE = ["head", "deputy", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "supply",
            "trainee", "pupil7", "pupil10", "hillside-head", "hillside-teacher"]  # fmt: skip
LOGIN = 302


@pytest.fixture
def records(demo, ks3_aua, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(actor=demo["admin"], agreement=ks3_aua)
    hillside_agreement = create_agreement(
        school=demo["hillside"], head=demo["hillside-head"], chair=demo["hillside-chair"], kind="staff",
        filename="staff.md", audiences={"for_staff": True}, reviewed_on=datetime.date(2026, 9, 1),
    )  # fmt: skip
    hillside_export = Export.objects.create(
        school=demo["hillside"], agreement=hillside_agreement, requested_by=demo["hillside-head"],
        status=ExportStatus.FAILED, total=1, error="Something went wrong while making the PDFs.",
    )  # fmt: skip
    head_signature = Signature.objects.get(person=demo["head"])
    return {
        "export": export.pk,
        "hillside_export": hillside_export.pk,
        "head_signature": head_signature.pk,
        "code": certificate_for(head_signature, actor=demo["head"]).code,
    }


def expect(default, **overrides):
    table = dict.fromkeys(EVERYONE, default)
    table.update({k.replace("_", "-"): v for k, v in overrides.items()})
    return table


EXPORTERS = {"head": 200, "admin": 200, "trustadmin": 200}
URLS = [
    ("/agreements/signatures/{head_signature}/evidence.pdf", LOGIN, expect(404, head=200, deputy=200, admin=200, trustadmin=200)),
    ("/agreements/exports/", LOGIN, expect(403, hillside_head=200, **EXPORTERS)),
    ("/agreements/exports/{export}/", LOGIN, expect(403, hillside_head=404, **EXPORTERS)),
    ("/agreements/exports/{export}/progress.json", LOGIN, expect(403, hillside_head=404, **EXPORTERS)),
    ("/agreements/exports/{export}/download/", LOGIN, expect(403, hillside_head=404, **EXPORTERS)),
    ("/agreements/exports/{hillside_export}/", LOGIN, expect(403, head=404, admin=404, trustadmin=200, hillside_head=200)),
    ("/agreements/exports/{hillside_export}/progress.json", LOGIN, expect(403, head=404, admin=404, trustadmin=200, hillside_head=200)),
    ("/agreements/exports/{export}/restart/", LOGIN, expect(405)),  # a form's POST only
    ("/verify/", 200, expect(200)),
    ("/verify/{code}/", 200, expect(200)),
]  # fmt: skip


@pytest.mark.parametrize("url,anonymous,by_user", URLS, ids=[u[0] for u in URLS])
def test_get_as_every_role(client, records, url, anonymous, by_user, settings):
    settings.VERIFY_RATE = "1000/m"
    url = url.format(**records)
    assert client.get(url).status_code == anonymous, "anonymous"
    for username, expected in by_user.items():
        client.force_login(Person.objects.get(username=username))
        assert client.get(url).status_code == expected, username
        client.logout()


def test_only_exporters_of_the_school_restart_an_export(client, records, demo):
    url = f"/agreements/exports/{records['hillside_export']}/restart/"
    expected = {
        "head": 404,
        "admin": 404,
        "deputy": 403,
        "teacher": 403,
        "pupil7": 403,
        "hillside-teacher": 403,
    }
    for username, status in expected.items():
        client.force_login(Person.objects.get(username=username))
        assert client.post(url).status_code == status, username
    client.logout()
    assert client.post(url).status_code == LOGIN
    assert Export.objects.get(pk=records["hillside_export"]).attempt == 1
    client.force_login(demo["hillside-head"])
    assert client.post(url).status_code == 302
    assert Export.objects.get(pk=records["hillside_export"]).attempt == 2


def test_the_nav_shows_exports_to_exporters_only(client, records):
    for username, shown in {
        "head": True,
        "admin": True,
        "trustadmin": True,
        "deputy": False,
        "teacher": False,
    }.items():
        client.force_login(Person.objects.get(username=username))
        assert ('href="/agreements/exports/"' in client.get("/").content.decode()) is shown, username
