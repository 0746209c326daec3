"""The Django admin shows no case, flag, chronology or evidence content to anyone.

The finding: the trust administrator, a Django superuser, read every school's safeguarding files in
the Django admin although the portal rightly answered 404. Case files are read only in the portal,
under its need-to-know rules. Here a case, its chronology, documents, referral, outcome and two
monitoring flags all carry one unique word, and every page the admin has (each registered model's
list, and the change page of everything the casework created) is opened as the technical
administrator and as a superuser: the word never appears.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from breaches import services as cases
from breaches.choices import Agency, Category, Concerns, Track
from people.models import Person
from people.technical import GROUP_NAME
from tests.breaches.conftest import friend_request_report
from tests.breaches.files import png, upload

MARKER = "Quillfeather7731"


@pytest.fixture
def case_files(demo, django_capture_on_commit_callbacks):
    """Before: the newest primary key of every model the admin shows, so we know what casework made."""
    before = {model: _newest_pk(model) for model in admin.site._registry}
    dsl, head = demo["dsl"], demo["head"]
    with django_capture_on_commit_callbacks(execute=True):  # the DSLs' notifications and emails too
        concern = cases.report_concern(
            actor=demo["teacher"], category=Category.EXPLOITATION, concerns=Concerns.PUPIL,
            subject_person=demo["pupil10"], what_happened=f"An older man is messaging Alex. {MARKER}",
            where=f"Bus stop {MARKER}", documents=[png(f"{MARKER}-chat.png")],
        )  # fmt: skip
        cases.triage_report(actor=dsl, case=concern, accept=True, note=f"Triage note {MARKER}")
        cases.record_safeguarding_action(actor=dsl, case=concern, action=f"Called home. {MARKER}")
        cases.make_referral(
            actor=dsl, case=concern, agency=Agency.SOCIAL_CARE, referred_on=timezone.localdate(),
            reference=f"MASH-{MARKER}", notes=f"Strategy meeting {MARKER}",
        )  # fmt: skip
        cases.record_safeguarding_outcome(actor=dsl, case=concern, outcome=f"Plan in place {MARKER}")
        closed = friend_request_report(demo, what_happened=f"A friend request. {MARKER}")
        cases.triage_report(actor=head, case=closed, accept=False, reason=f"No breach: {MARKER}")
        disciplinary = friend_request_report(demo, what_happened=f"Another request. {MARKER}")
        cases.triage_report(
            actor=head, case=disciplinary, accept=True, track=Track.DISCIPLINARY,
            allegation=f"That you accepted a request {MARKER}",
        )  # fmt: skip
        cases.record_flag(
            actor=dsl, captured_at=timezone.now() - datetime.timedelta(hours=1), device=f"PC-{MARKER}",
            location=f"Room {MARKER}", account="y10pupil3", matched_phrase=f"meet me {MARKER}",
        )  # fmt: skip
        export = (
            f"Time,Device,Location,User,Matched phrase\n2026-11-19 10:02,PC1,ICT,y9pupil2,{MARKER} tonight\n"
        )
        cases.import_flags(actor=dsl, data_file=upload(f"securus-{MARKER}.csv", export.encode(), "text/csv"))
    return {
        model: list(model.objects.filter(pk__gt=pk).values_list("pk", flat=True))
        for model, pk in before.items()
    }


def _newest_pk(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def superuser(demo):
    return Person.objects.create_superuser(
        username="root", email="root@glenwood.example", password="x", school=demo["glenwood"]
    )


def _admin_pages(created, person):
    """Every registered model's list and the change page of each record the casework created, with
    the oldest of the others (records made before the casework, e.g. the demo's own), that this
    person may view at all (the technical administrator's group does not reach every app)."""
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        if not person.has_perm("{}.view_{}".format(*info)) and not person.has_perm(
            "{}.change_{}".format(*info)
        ):
            continue
        yield reverse("admin:{}_{}_changelist".format(*info))
        oldest = model.objects.order_by("pk").values_list("pk", flat=True)[:2]
        for pk in [*created[model], *oldest]:
            yield reverse("admin:{}_{}_change".format(*info), args=[pk])


@pytest.mark.parametrize("who", ["techadmin", "superuser"])
def test_no_admin_page_shows_case_content(client, demo, case_files, superuser, who):
    person = superuser if who == "superuser" else demo["techadmin"]
    client.force_login(person)
    assert client.get("/admin/").status_code == 200
    # The casework really was made, and made records the admin shows (the audit log, notifications).
    assert any(case_files.values())
    pages = [reverse("admin:index"), *(reverse("admin:app_list", args=[app]) for app in _apps(person)),
             *_admin_pages(case_files, person)]  # fmt: skip
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER.lower() not in response.content.decode().lower(), url


def _apps(person=None):
    apps = {model._meta.app_label for model in admin.site._registry}
    return sorted(app for app in apps if person is None or person.has_module_perms(app))


@pytest.mark.parametrize("who", ["techadmin", "superuser"])
@pytest.mark.parametrize("model", ["case", "caseentry", "attachment", "referral", "monitoringflag"])
def test_the_case_models_are_not_in_the_admin_at_all(client, demo, superuser, who, model):
    client.force_login(superuser if who == "superuser" else demo["techadmin"])
    assert client.get(f"/admin/breaches/{model}/").status_code == 404
    assert "breaches" not in client.get("/admin/").content.decode()


def test_an_audit_entry_about_a_case_shows_who_and_when_not_what(client, demo, case_files, superuser):
    from audit.models import AuditEntry

    client.force_login(superuser)
    flag_import = AuditEntry.objects.get(action="flags.imported")
    assert MARKER in flag_import.record_label  # the log keeps it, for the portal
    page = client.get(reverse("admin:audit_auditentry_change", args=[flag_import.pk])).content.decode()
    assert "flags.imported" in page and "Kept in the portal with the case file." in page
    assert MARKER.lower() not in page.lower()
    assert f"breaches.monitoringflag #{flag_import.record_id}" in page


def test_the_trust_administrator_is_not_a_django_superuser(client, demo):
    trustadmin = demo["trustadmin"]
    assert not trustadmin.is_superuser and not trustadmin.is_staff
    client.force_login(trustadmin)
    assert client.get("/admin/").status_code == 302  # to the admin's own login page
    # The trust role works through the portal's role checks: the trust's people, across its schools.
    assert client.get(f"/people/{demo['hillside-pupil8'].pk}/").status_code == 200


def test_the_technical_administrator_has_explicit_permissions_and_no_more(client, demo):
    tech = demo["techadmin"]
    assert tech.is_staff and not tech.is_superuser and not tech.roles
    assert list(tech.groups.values_list("name", flat=True)) == [GROUP_NAME]
    assert tech.has_perm("django_celery_beat.change_periodictask")
    assert tech.has_perm("reminders.change_remindersettings")
    assert tech.has_perm("people.view_person") and not tech.has_perm("people.change_person")
    assert not tech.has_perm("people.change_roleassignment") and not tech.has_perm("auth.change_group")
    assert not any(p.startswith("breaches.") for p in tech.get_all_permissions())
    client.force_login(tech)
    # Reads a person, changes nothing of them; the portal's pages are not theirs.
    assert client.get(reverse("admin:people_person_change", args=[demo["head"].pk])).status_code == 200
    assert client.post(reverse("admin:people_person_change", args=[demo["head"].pk]), {}).status_code == 403
    assert client.get("/people/").status_code == 403
    assert client.get("/breaches/cases/").status_code == 403


def test_roles_are_not_given_in_the_django_admin_even_by_a_superuser(client, demo, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:people_person_change", args=[demo["pupil7"].pk])).content.decode()
    assert "Pupil" in page  # the role is shown
    assert 'name="role_assignments-0-role"' not in page  # as text, not a field
    assert (
        not client.get(reverse("admin:people_person_change", args=[demo["pupil7"].pk]))
        .context["inline_admin_formsets"][0]
        .has_add_permission
    )
