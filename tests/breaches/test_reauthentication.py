"""Deciding a case outcome asks the panel member to confirm who they are after 10 minutes."""

import datetime

import time_machine
from django.utils import timezone

from breaches import services
from people.seed import DEMO_PASSWORD

from .conftest import hearing_arranged, person


def test_recording_an_outcome_asks_again_after_ten_minutes_then_records_it(demo, client, report):
    case = hearing_arranged(demo, report)
    panel_member = person(demo, "staff01")
    services.record_hearing(
        actor=panel_member, case=case, held_on=timezone.localdate(), notes="He admitted it."
    )
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(panel_member)
    form = {"outcome": "first_written", "reasons": "Clause 6 of the policy."}
    with time_machine.travel(start + datetime.timedelta(minutes=11), tick=False):
        response = client.post(f"/breaches/cases/{case.pk}/outcome/", form)
        assert response.status_code == 302 and response.url.startswith("/accounts/reauthenticate/")
        case.refresh_from_db()
        assert not case.outcome
        client.post(response.url, {"password": DEMO_PASSWORD})
    case.refresh_from_db()
    assert case.outcome == "first_written"
