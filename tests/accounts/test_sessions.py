"""Sessions end after the school's idle time, at a maximum age, and when the school ends them."""

import datetime

import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import SignInSettings
from audit.models import AuditEntry
from tests.permissions import assert_answers, expect

from .helpers import sign_in


def test_a_staff_session_ends_after_30_idle_minutes_with_a_reason(demo, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "teacher")
    with time_machine.travel(start + datetime.timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200  # still there, and the clock starts again
    with time_machine.travel(start + datetime.timedelta(minutes=58), tick=False):
        assert client.get("/policies/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=89), tick=False):
        response = client.get("/policies/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/", 302)
    assert "You were signed out because the portal was not used for a while" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="session_timed_out", record_id=str(demo["teacher"].pk)).exists()


def test_the_school_sets_its_own_idle_time_for_the_next_sign_in(demo, client):
    office = Client()
    office.force_login(demo["admin"])
    office.post(
        "/access/settings/", {"staff_idle_minutes": 10, "pupil_idle_minutes": 15, "password_rule": "guidance"}
    )
    assert SignInSettings.objects.get(school=demo["glenwood"]).staff_idle_minutes == 10
    assert AuditEntry.objects.filter(action="sign_in_settings.updated").exists()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "teacher")
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        assert client.get("/").status_code == 302


def test_a_session_ends_at_its_maximum_age_however_busy(demo, client, settings):
    settings.SESSION_MAX_AGE_HOURS = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, "teacher")
    for minutes in range(20, 120, 20):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=125), tick=False):
        response = client.get("/", follow=True)
    assert "sessions last at most 2 hours" in response.content.decode()


def test_the_office_signs_someone_out_everywhere_at_once(demo, client):
    sign_in(client, "teacher")
    assert client.get("/").status_code == 200
    admin = Client()
    admin.force_login(demo["admin"])
    admin.post(f"/access/people/{demo['teacher'].pk}/end-sessions/")
    assert client.get("/").status_code == 302
    entry = AuditEntry.objects.get(action="sessions_ended", record_id=str(demo["teacher"].pk))
    assert entry.actor == demo["admin"] and entry.detail == {"sessions": 1}


def test_a_dismissed_persons_session_ends_at_once(demo, client):
    sign_in(client, "teacher")
    teacher = demo["teacher"]
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    assert client.get("/").status_code == 302


def test_the_wrong_people_cannot_reach_someone_elses_sign_in(demo, client):
    people = ["head", "admin", "trustadmin", "teacher", "pupil7", "hillside-head", "deputy"]
    teacher = demo["teacher"].pk
    assert_answers(
        client,
        f"/access/people/{teacher}/",
        expect(people, 403, head=200, admin=200, trustadmin=200, hillside_head=404),
    )
    assert_answers(
        client,
        f"/access/people/{teacher}/end-sessions/",
        expect(people, 403, head=None, admin=None, trustadmin=None, hillside_head=404),
        method="post",
    )
    assert_answers(
        client,
        "/access/settings/",
        expect(people, 403, head=200, admin=200, trustadmin=200, hillside_head=200),
    )
