"""Class signing on a shared device: one-time codes, the teacher as witness, nothing left behind."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from agreements.models import AuthMethod, Signature, SigningSession
from people.seed import DEMO_PASSWORD


@pytest.fixture
def session(demo, login, ks3_aua):
    client = login("teacher")
    response = client.post("/agreements/sessions/", {"agreement": ks3_aua.pk, "year_group": 7}, follow=True)
    assert "Session open with" in response.content.decode()
    return SigningSession.objects.get(opened_by=demo["teacher"])


def sign_at_kiosk(client, session, name, **start):
    client.post(f"/agreements/sessions/{session.pk}/kiosk/", start)
    version = session.agreement.policy.current_version
    return client.post(
        f"/agreements/sessions/{session.pk}/kiosk/sign/",
        {"consent": "on", "typed_name": name, "shown_sha256": version.sha256},
        follow=True,
    )


def test_codes_are_made_for_pupils_of_the_year_who_still_owe(demo, session):
    pupils = {c.pupil.username for c in session.codes.select_related("pupil")}
    assert "pupil7" in pupils and "y7pupil6" in pupils
    assert "y7pupil1" not in pupils  # signed already in the demo data
    assert not any(u.startswith("y8") for u in pupils)


def test_pupil_signs_with_a_code_and_the_next_pupil_sees_nothing_of_them(demo, client, session):
    code = session.codes.get(pupil=demo["pupil7"])
    response = sign_at_kiosk(client, session, "Jamie Cole", code=code.code.lower().replace("-", ""))
    page = response.content.decode()
    assert "Signed. Thank you!" in page
    assert "Jamie" not in page and "Cole" not in page
    assert response.headers["Cache-Control"].startswith("max-age=0")
    signature = Signature.objects.get(person=demo["pupil7"])
    assert signature.witness == demo["teacher"]
    assert signature.auth_method == AuthMethod.STAFF_WITNESSED
    assert signature.signing_session == session
    code.refresh_from_db()
    assert code.used_at is not None
    # The sign page now shows nothing: there is no pupil in the kiosk.
    assert client.get(f"/agreements/sessions/{session.pk}/kiosk/sign/").status_code == 302


def test_a_code_works_once(demo, client, session):
    code = session.codes.get(pupil=demo["pupil7"]).code
    sign_at_kiosk(client, session, "Jamie Cole", code=code)
    page = client.post(f"/agreements/sessions/{session.pk}/kiosk/", {"code": code}).content.decode()
    assert "not right for this session" in page


def test_pupil_may_use_their_own_login_at_the_kiosk(demo, client, session):
    sign_at_kiosk(client, session, "Jamie Cole", username="pupil7", password=DEMO_PASSWORD)
    signature = Signature.objects.get(person=demo["pupil7"])
    assert signature.auth_method == AuthMethod.PASSWORD
    assert signature.witness == demo["teacher"]


def test_a_teachers_login_is_not_a_pupils(demo, client, session):
    page = client.post(
        f"/agreements/sessions/{session.pk}/kiosk/", {"username": "deputy", "password": DEMO_PASSWORD}
    ).content.decode()
    assert "not right for this session" in page


def test_closed_or_expired_session_refuses(demo, client, session):
    SigningSession.objects.filter(pk=session.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.get(f"/agreements/sessions/{session.pk}/kiosk/").content.decode()
    assert "This signing session has closed" in page


def test_only_the_teacher_who_opened_it_runs_the_session(demo, login, session):
    assert login("deputy").get(f"/agreements/sessions/{session.pk}/kiosk/").status_code == 404
    assert login("pupil7").get("/agreements/sessions/").status_code == 403


def test_a_tutor_group_nobody_is_in_gets_a_clear_message(demo, login, ks3_aua):
    from agreements.obligations import outstanding

    client = login("deputy")
    response = client.post("/agreements/sessions/", {"agreement": ks3_aua.pk, "tutor_group": "ZZ"})
    assert "Nobody at the school is in tutor group ZZ." in response.content.decode()
    assert outstanding(ks3_aua).exists()


def test_kiosk_keeps_the_device_on_signing_until_the_teacher_leaves(demo, client, session):
    client.get(f"/agreements/sessions/{session.pk}/kiosk/")
    for url in (f"/agreements/sessions/{session.pk}/", "/", "/policies/", "/agreements/dashboard/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == f"/agreements/sessions/{session.pk}/kiosk/", (
            url
        )
    page = client.get(f"/agreements/sessions/{session.pk}/kiosk/").content.decode()
    assert "Class signing" not in page and "Log out" not in page  # no navigation for pupils
    wrong = client.post(f"/agreements/sessions/{session.pk}/kiosk/exit/", {"password": "guess"})
    assert "That is not your password." in wrong.content.decode()
    assert client.get("/").status_code == 302
    client.post(f"/agreements/sessions/{session.pk}/kiosk/exit/", {"password": DEMO_PASSWORD})
    assert client.get("/").status_code == 200


def test_a_pupil_who_signs_by_login_shows_signed_and_their_code_is_spent(demo, client, login, session):
    code = session.codes.get(pupil=demo["pupil7"])
    sign_at_kiosk(client, session, "Jamie Cole", username="pupil7", password=DEMO_PASSWORD)
    code.refresh_from_db()
    assert code.used_at is not None
    page = client.post(f"/agreements/sessions/{session.pk}/kiosk/", {"code": code.code}).content.decode()
    assert "not right for this session" in page
    staff_room = Client()  # the class device is locked to signing; the teacher looks from elsewhere
    staff_room.force_login(demo["teacher"])
    detail = staff_room.get(f"/agreements/sessions/{session.pk}/").content.decode()
    row = detail.split("Jamie Cole")[1].split("</tr>")[0]
    assert "Signed" in row and "Waiting" not in row


def test_a_pupil_who_signed_at_home_is_not_shown_waiting(demo, login, session, ks3_aua):
    from agreements.services import Evidence, signature_record

    version = ks3_aua.policy.current_version
    signature_record(
        signer=demo["pupil7"], agreement=ks3_aua, version=version, shown_sha256=version.sha256,
        consent_given=True, typed_name="Jamie Cole", witness=demo["teacher"],
        evidence=Evidence("127.0.0.1", "test", "", AuthMethod.PASSWORD),
    )  # fmt: skip
    detail = login("teacher").get(f"/agreements/sessions/{session.pk}/").content.decode()
    assert "Waiting" not in detail.split("Jamie Cole")[1].split("</tr>")[0]
    assert "Jamie Cole" not in detail.split('class="code-slips"')[1], "no slip for a pupil who has signed"


def test_a_year_8_pupil_cannot_sign_in_a_year_7_session(demo, client, session, ks3_aua):
    from agreements.services import Evidence, kiosk_signature_record
    from glenwood.services import ServiceError
    from people.models import Person

    year8 = Person.objects.get(username="y8pupil2")
    page = client.post(
        f"/agreements/sessions/{session.pk}/kiosk/", {"username": "y8pupil2", "password": DEMO_PASSWORD}
    ).content.decode()
    assert "not right for this session" in page
    version = ks3_aua.policy.current_version
    with pytest.raises(ServiceError, match="for another group"):
        kiosk_signature_record(
            session=session, pupil=year8, witness=demo["teacher"], version=version,
            shown_sha256=version.sha256, consent_given=True, typed_name=year8.get_full_name(),
            evidence=Evidence("127.0.0.1", "test", "", AuthMethod.PASSWORD),
        )  # fmt: skip
    assert not Signature.objects.filter(person=year8, signing_session=session).exists()


def test_a_ks4_session_for_year_7_is_refused_with_a_clear_message(demo, login):
    from agreements.models import Agreement

    ks4 = Agreement.objects.get(school=demo["glenwood"], kind="ks4")
    response = login("teacher").post("/agreements/sessions/", {"agreement": ks4.pk, "year_group": 7})
    page = response.content.decode()
    assert "is for Years 10 to 11, not Year 7. Year 7 pupils sign the KS3 agreement." in page
    assert "already signed" not in page
    assert not SigningSession.objects.exists()


def test_print_code_slips_makes_one_cut_out_slip_per_pupil_still_to_sign(demo, login, session):
    page = login("teacher").get(f"/agreements/sessions/{session.pk}/").content.decode()
    slips = page.split('class="code-slips"')[1]
    waiting = session.codes.filter(used_at__isnull=True)
    assert slips.count('class="code-slip"') == waiting.count() > 1
    for code in waiting:
        assert f'<p class="slip-code">{code.code}</p>' in slips
    assert "onclick" not in page and "js/print-button.js" in page
    css = (settings_static_dir() / "css" / "portal.css").read_text()
    assert ".code-slip { border: 1px dashed" in css and "break-inside: avoid" in css


def settings_static_dir():
    from django.conf import settings

    return settings.BASE_DIR / "static"
