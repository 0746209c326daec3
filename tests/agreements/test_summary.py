"""The dashboard's held counts stay equal to a count made from scratch, whatever moves them."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agreements import services
from agreements.models import AuthMethod, ComplianceSummary
from agreements.obligations import outstanding
from agreements.summary import count_school, counts_for
from people import services as people_services
from people.models import Role

EVIDENCE = services.Evidence("127.0.0.1", "test", "", AuthMethod.PASSWORD)


def held(school):
    return counts_for([school])[school.pk]


def staff_total(counts, agreement):
    groups = counts["agreements"][str(agreement.pk)]["groups"]
    return [sum(g[i] for g in groups) for i in (1, 2, 3)]  # owe, signed, declined


def test_held_counts_follow_signing_declining_roles_leaving_and_new_versions(
    demo, staff_aua, ks3_aua, publish_new_version
):
    school, head = demo["glenwood"], demo["head"]
    assert held(school) == count_school(school)
    before = staff_total(held(school), staff_aua)

    version = staff_aua.policy.current_version
    services.signature_record(
        signer=demo["teacher"], agreement=staff_aua, version=version, shown_sha256=version.sha256,
        consent_given=True, typed_name=demo["teacher"].get_full_name(), evidence=EVIDENCE,
    )  # fmt: skip
    assert held(school) == count_school(school)
    assert staff_total(held(school), staff_aua) == [before[0], before[1] + 1, before[2]]

    pupil = outstanding(ks3_aua).filter(has_declined=False).first()
    ks3 = ks3_aua.policy.current_version
    declined_before = staff_total(held(school), ks3_aua)[2]
    services.decline_record(
        person=pupil, agreement=ks3_aua, version=ks3, shown_sha256=ks3.sha256, reason="No"
    )
    assert held(school) == count_school(school)
    assert staff_total(held(school), ks3_aua)[2] == declined_before + 1

    # A role ending: the member of staff no longer owes the staff agreement.
    leaver, ending = outstanding(staff_aua).filter(has_declined=False).order_by("pk")[:2]
    people_services.role_remove(actor=head, person=ending, role=Role.STAFF)
    assert held(school) == count_school(school)
    assert staff_total(held(school), staff_aua)[0] == before[0] - 1

    # A person leaving today: they owe nothing more.
    people_services.person_update(actor=head, person=leaver, leaving_date=timezone.localdate())
    assert held(school) == count_school(school)
    assert staff_total(held(school), staff_aua)[0] == before[0] - 2

    # A new version to sign again: nobody has signed it yet.
    publish_new_version(staff_aua, version.body + "\n\nA new clause about AI tools.")
    assert held(school) == count_school(school)
    assert staff_total(held(school), staff_aua)[1] == 0

    call_command("compliance_summaries", "--check")


def test_the_dashboard_shows_a_signature_at_once(demo, login, staff_aua):
    client = login("head")
    assert "16 of 25 signed" in client.get("/agreements/dashboard/").content.decode()
    version = staff_aua.policy.current_version
    services.signature_record(
        signer=demo["teacher"], agreement=staff_aua, version=version, shown_sha256=version.sha256,
        consent_given=True, typed_name=demo["teacher"].get_full_name(), evidence=EVIDENCE,
    )  # fmt: skip
    assert "17 of 25 signed" in client.get("/agreements/dashboard/").content.decode()


def test_check_names_a_school_whose_held_counts_went_wrong_and_a_recount_mends_it(demo, staff_aua):
    school = demo["glenwood"]
    counts = held(school)
    counts["agreements"][str(staff_aua.pk)]["groups"][0][2] += 5  # as if a signature were counted twice
    ComplianceSummary.objects.filter(pk=school.pk).update(counts=counts)
    with pytest.raises(CommandError, match=school.name):
        call_command("compliance_summaries", "--check")
    call_command("compliance_summaries")
    call_command("compliance_summaries", "--check")
    assert held(school) == count_school(school)
