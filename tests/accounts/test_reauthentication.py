"""An export, an import, an approval and an outcome ask again for the password after 10 minutes."""

import datetime

import time_machine
from django.utils import timezone

from agreements.models import Agreement, AgreementKind, Export
from people.seed import DEMO_PASSWORD

from .helpers import sign_in_with_code


def export_form(demo):
    ks3 = Agreement.objects.select_related("policy").get(school=demo["glenwood"], kind=AgreementKind.KS3)
    return {"agreement": ks3.pk, "version": ks3.policy.current_version_id, "group": "year-7"}


def test_an_export_straight_after_signing_in_needs_no_second_check(demo, client):
    sign_in_with_code(client, "admin")
    response = client.post("/agreements/exports/", export_form(demo))
    assert response.status_code == 302 and response.url.startswith("/agreements/exports/")
    assert Export.objects.count() == 1


def test_an_export_asks_for_the_password_again_after_ten_minutes_then_carries_on(demo, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in_with_code(client, "admin")
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        response = client.post("/agreements/exports/", export_form(demo))
        assert response.status_code == 302
        assert response.url == "/accounts/reauthenticate/?next=%2Fagreements%2Fexports%2F"
        assert Export.objects.count() == 0
        page = client.get(response.url).content.decode()
        assert "Confirm it is you" in page
        wrong = client.post(response.url, {"password": "not-it"})
        assert wrong.status_code == 200 and Export.objects.count() == 0
        confirmed = client.post(response.url, {"password": DEMO_PASSWORD})
    # The export the person asked for is made, from the form they had posted.
    assert Export.objects.count() == 1
    assert confirmed.status_code == 302 and confirmed.url == f"/agreements/exports/{Export.objects.get().pk}/"


def test_the_import_page_asks_again_before_a_file_is_chosen(demo, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in_with_code(client, "admin")
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        response = client.get("/people/import/")
    assert response.status_code == 302 and response.url.startswith("/accounts/reauthenticate/")


def test_a_governor_deciding_a_version_is_asked_again_after_ten_minutes(demo, client, social_media):
    from policies import services

    version = services.version_draft(
        actor=demo["head"], policy=social_media, reviewed_on=datetime.date(2026, 11, 1)
    )
    services.version_submit(actor=demo["head"], version=version)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(demo["governor"])
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        assert client.get(f"/policies/versions/{version.pk}/decide/").status_code == 200  # reading is fine
        response = client.post(f"/policies/versions/{version.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302 and response.url.startswith("/accounts/reauthenticate/")
