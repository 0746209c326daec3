"""Class signing on a shared device: one-time codes, the teacher as witness, nothing left behind."""

import datetime

import pytest
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


def test_group_with_everyone_signed_gets_a_clear_message(demo, login, ks3_aua):
    from agreements.obligations import outstanding

    client = login("deputy")
    response = client.post("/agreements/sessions/", {"agreement": ks3_aua.pk, "tutor_group": "ZZ"})
    assert "Every pupil in that group has already signed." in response.content.decode()
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
