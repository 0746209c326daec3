"""Supply staff and trainees whose accounts expire on a set day."""

import datetime

import pytest
from django.utils import timezone

from people.models import Person
from people.seed import DEMO_PASSWORD


def _expire(username, days_from_today):
    person = Person.objects.get(username=username)
    person.access_expires_on = timezone.localdate() + datetime.timedelta(days=days_from_today)
    person.save(update_fields=["access_expires_on"])
    return person


def _log_in(client, username, password=DEMO_PASSWORD):
    return client.post("/accounts/login/", {"login": username, "password": password}, follow=True)


def test_expired_account_cannot_log_in_and_is_told_why(demo, client):
    person = _expire("supply", -1)
    response = _log_in(client, "supply")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Your account expired on {person.access_expires_on:%-d %B %Y}" in page
    assert "_auth_user_id" not in client.session
    assert not client.login(username="supply", password=DEMO_PASSWORD)


def test_wrong_password_on_an_expired_account_gives_the_usual_message(demo, client):
    _expire("supply", -1)
    page = _log_in(client, "supply", "not-the-password").content.decode()
    assert "expired" not in page
    assert "The username and/or password you specified are not correct." in page


def test_account_works_on_its_last_day(demo, client):
    _expire("trainee", 0)
    response = _log_in(client, "trainee")
    assert response.redirect_chain[-1][0] == "/"
    assert client.session["_auth_user_id"] == str(Person.objects.get(username="trainee").pk)


def test_session_is_ended_when_the_account_expires_after_log_in(demo, client, login):
    login("supply")
    assert client.get("/").status_code == 200
    person = _expire("supply", -1)
    response = client.get("/policies/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/", 302)
    assert f"Your account expired on {person.access_expires_on:%-d %B %Y}" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still logged out on the next request


def test_expired_accounts_are_not_current(demo):
    _expire("supply", -1)
    _expire("trainee", 3)
    current = Person.objects.current()
    assert not current.filter(username="supply").exists()
    assert current.filter(username="trainee").exists()


@pytest.mark.parametrize("days,expired", [(-1, True), (0, False), (1, False)])
def test_access_has_expired_counts_the_expiry_day_as_usable(demo, days, expired):
    assert _expire("supply", days).access_has_expired is expired


def test_a_leaver_can_no_longer_log_in_and_is_told_why(demo, client):
    import datetime

    from people.seed import DEMO_PASSWORD

    teacher = demo["teacher"]
    teacher.leaving_date = datetime.date(2026, 7, 31)
    teacher.save(update_fields=["leaving_date"])
    response = client.post("/accounts/login/", {"login": "teacher", "password": DEMO_PASSWORD})
    assert "Your account closed when you left Glenwood School on 31 July 2026" in response.content.decode()
    assert "_auth_user_id" not in client.session
