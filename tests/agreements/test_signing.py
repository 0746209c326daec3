"""Signing in the browser's place: evidence, double submits, new versions, who owes what."""

import hashlib

import pytest

from agreements.models import AuthMethod, Decline, RecordIsPermanent, Signature
from agreements.obligations import agreements_owed_by, kinds_owed_by, outstanding
from audit.models import AuditEntry
from policies.models import PolicyVersion, VersionIsLocked


def sign_form(version, name="Tara Quinn", **extra):
    return {"consent": "on", "typed_name": name, "shown_sha256": version.sha256, **extra}


def test_teacher_signs_with_full_evidence(demo, login, staff_aua):
    client = login("teacher")
    version = staff_aua.policy.current_version
    page = client.get(f"/agreements/{staff_aua.pk}/sign/").content.decode()
    assert version.sha256 in page and "decline any friend request" in page
    response = client.post(
        f"/agreements/{staff_aua.pk}/sign/",
        sign_form(version, name="  tara   QUINN ", comment="My signature confirms receipt, not agreement."),
        HTTP_USER_AGENT="Mozilla/5.0 (iPad) Safari",
        REMOTE_ADDR="10.0.0.7",
        follow=True,
    )
    signature = Signature.objects.get(person=demo["teacher"], version=version)
    assert "Thank you. You signed" in response.content.decode()
    assert signature.text_sha256 == hashlib.sha256(version.body.encode()).hexdigest() == version.sha256
    assert signature.consent_wording == staff_aua.consent_wording
    assert signature.typed_name == "tara QUINN"
    assert signature.ip_address == "10.0.0.7"
    assert signature.user_agent == "Mozilla/5.0 (iPad) Safari"
    assert signature.auth_method == AuthMethod.PASSWORD
    assert signature.session_hash == hashlib.sha256(client.session.session_key.encode()).hexdigest()
    assert signature.comment == "My signature confirms receipt, not agreement."
    assert AuditEntry.objects.filter(action="agreement.signed", record_id=str(signature.pk)).count() == 1


def test_double_submit_makes_one_signature_and_a_friendly_page(demo, login, staff_aua):
    client = login("teacher")
    version = staff_aua.policy.current_version
    client.post(f"/agreements/{staff_aua.pk}/sign/", sign_form(version))
    second = client.post(f"/agreements/{staff_aua.pk}/sign/", sign_form(version))
    assert second.status_code == 200
    assert "You have already signed this" in second.content.decode()
    assert Signature.objects.filter(person=demo["teacher"]).count() == 1


def test_wrong_name_or_no_consent_keeps_the_form_and_signs_nothing(demo, login, staff_aua):
    client = login("teacher")
    version = staff_aua.policy.current_version
    page = client.post(f"/agreements/{staff_aua.pk}/sign/", sign_form(version, name="T Q")).content.decode()
    assert "Type your full name exactly as the school has it." in page
    form = sign_form(version)
    del form["consent"]
    page = client.post(f"/agreements/{staff_aua.pk}/sign/", form).content.decode()
    assert "This field is required" in page
    assert not Signature.objects.filter(person=demo["teacher"]).exists()


def test_signing_text_other_than_shown_is_refused(demo, login, staff_aua):
    client = login("teacher")
    form = sign_form(staff_aua.policy.current_version, shown_sha256="f" * 64)
    page = client.post(f"/agreements/{staff_aua.pk}/sign/", form).content.decode()
    assert "not the current text" in page
    assert not Signature.objects.filter(person=demo["teacher"]).exists()


def test_signed_text_and_signature_cannot_change(demo, staff_aua):
    signature = Signature.objects.filter(agreement=staff_aua).first()
    with pytest.raises(VersionIsLocked):
        PolicyVersion.objects.filter(pk=signature.version_id).update(body="Other text")
    signature.typed_name = "Someone else"
    with pytest.raises(RecordIsPermanent):
        signature.save()
    with pytest.raises(RecordIsPermanent):
        signature.delete()
    with pytest.raises(RecordIsPermanent):
        Signature.objects.filter(pk=signature.pk).update(typed_name="x")


def test_pupil_signing_alone_names_the_staff_member_who_discussed_it(demo, login, ks3_aua):
    client = login("pupil7")
    version = ks3_aua.policy.current_version
    page = client.post(
        f"/agreements/{ks3_aua.pk}/sign/", sign_form(version, name="Jamie Cole")
    ).content.decode()
    assert "This field is required" in page
    assert "comment" not in page.lower().split("agreement-text")[-1]  # pupils are not offered a comment box
    client.post(
        f"/agreements/{ks3_aua.pk}/sign/", sign_form(version, name="Jamie Cole", witness=demo["teacher"].pk)
    )
    assert Signature.objects.get(person=demo["pupil7"]).witness == demo["teacher"]


def test_pupil_cannot_name_another_pupil_as_witness(demo, login, ks3_aua):
    client = login("pupil7")
    version = ks3_aua.policy.current_version
    client.post(
        f"/agreements/{ks3_aua.pk}/sign/", sign_form(version, name="Jamie Cole", witness=demo["pupil10"].pk)
    )
    assert not Signature.objects.filter(person=demo["pupil7"]).exists()


def test_nobody_signs_an_agreement_not_theirs(demo, login, ks3_aua, staff_aua):
    assert login("teacher").get(f"/agreements/{ks3_aua.pk}/sign/").status_code == 404
    assert login("pupil10").get(f"/agreements/{ks3_aua.pk}/sign/").status_code == 404
    assert login("hillside-teacher").get(f"/agreements/{staff_aua.pk}/sign/").status_code == 404


def test_decline_is_recorded_with_its_reason(demo, login, staff_aua):
    client = login("teacher")
    version = staff_aua.policy.current_version
    response = client.post(
        f"/agreements/{staff_aua.pk}/decline/",
        {"reason": "Clause 4 is unclear.", "shown_sha256": version.sha256},
        follow=True,
    )
    assert "decision to decline has been recorded" in response.content.decode()
    assert Decline.objects.get(person=demo["teacher"]).reason == "Clause 4 is unclear."
    assert "Declined" in client.get("/agreements/").content.decode()


def test_new_version_is_owed_again_and_shows_what_changed(demo, login, staff_aua, publish_new_version):
    head = demo["head"]
    assert head not in outstanding(staff_aua)
    old = staff_aua.policy.current_version
    publish_new_version(staff_aua, old.body.replace("Headteacher", "Headteacher or the DSL", 1))
    assert head in outstanding(staff_aua)
    page = login("head").get(f"/agreements/{staff_aua.pk}/sign/").content.decode()
    assert f"What changed since you signed {old.label}" in page
    assert "<ins>or the DSL</ins>" in page or "<ins>" in page


def test_minor_change_is_not_owed_again(demo, staff_aua, publish_new_version):
    publish_new_version(staff_aua, staff_aua.policy.current_version.body + "\nTypo fixed.\n", minor=True)
    assert demo["head"] not in outstanding(staff_aua)
    assert demo["teacher"] in outstanding(staff_aua)


def test_pupil_moving_into_year_10_owes_the_ks4_agreement(demo):
    pupil = demo["pupil7"]
    assert kinds_owed_by(pupil) == ["ks3"]
    pupil.year_group = 10
    pupil.save(update_fields=["year_group"])
    assert kinds_owed_by(pupil) == ["ks4"]
    assert [row["agreement"].kind for row in agreements_owed_by(pupil)] == ["ks4"]


def test_a_leaver_owes_nothing_and_keeps_signatures(demo, staff_aua):
    import datetime

    leaver = demo["dsl"]
    assert Signature.objects.filter(person=leaver).exists()
    leaver.leaving_date = datetime.date(2026, 7, 31)
    leaver.save(update_fields=["leaving_date"])
    assert leaver not in outstanding(staff_aua)
    assert Signature.objects.filter(person=leaver).exists()


def test_a_pupils_year_group_is_kept_with_the_signature(demo, login, ks3_aua):
    client = login("pupil7")
    version = ks3_aua.policy.current_version
    client.post(
        f"/agreements/{ks3_aua.pk}/sign/", sign_form(version, name="Jamie Cole", witness=demo["teacher"].pk)
    )
    pupil = demo["pupil7"]
    pupil.year_group = 8  # next September
    pupil.save(update_fields=["year_group"])
    assert Signature.objects.get(person=pupil).year_group == 7
