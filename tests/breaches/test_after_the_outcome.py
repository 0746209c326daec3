"""What follows the outcome: dismissal (or resignation) ends the person's access on the day set and
prompts the DBS and TRA referrals, each recorded with its date and reference; suspension is
reviewed; meetings already held are recorded afterwards."""

import datetime

import pytest
from django.utils import timezone

from breaches import services
from breaches.choices import Agency, EntryKind, LeavingReason, Outcome
from breaches.models import Referral
from glenwood.services import NotAllowed, ServiceError
from people.models import Person

from .conftest import investigating, outcome_given, person


def titles(client):
    return [item.title for item in client.get("/").context["items"]]


def test_dismissal_ends_access_on_the_day_set_and_prompts_the_dbs_and_tra(demo, login, report):
    case = outcome_given(demo, report, Outcome.FIRST_WARNING)
    last_day = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ServiceError, match="Dismissal follows an outcome of dismissal"):
        services.end_employment(
            actor=demo["head"], case=case, reason=LeavingReason.DISMISSAL, access_ends_on=last_day
        )
    with pytest.raises(NotAllowed):
        services.end_employment(
            actor=demo["dsl"], case=case, reason=LeavingReason.RESIGNATION, access_ends_on=last_day
        )
    services.end_employment(
        actor=demo["head"], case=case, reason=LeavingReason.RESIGNATION, access_ends_on=last_day
    )
    staff02 = Person.objects.get(pk=person(demo, "staff02").pk)
    assert staff02.leaving_date == last_day and not staff02.is_locked_out  # still working until then
    # Oliver Jones teaches Maths: both the DBS and the Teaching Regulation Agency.
    head = login("head")
    assert {f"Case {case.reference}: refer to the {Agency(a).label}" for a in ("dbs", "tra")} <= set(
        titles(head)
    )
    services.make_referral(
        actor=demo["head"], case=case, agency=Agency.DBS, referred_on=timezone.localdate(), reference="DBS-55"
    )
    services.make_referral(
        actor=demo["head"], case=case, agency=Agency.TRA, referred_on=timezone.localdate(), reference="TRA-9"
    )
    assert set(Referral.objects.filter(case=case).values_list("agency", "reference")) == {
        ("dbs", "DBS-55"), ("tra", "TRA-9"),
    }  # fmt: skip
    assert not [t for t in titles(head) if "refer to the" in t]
    assert case.entries.filter(kind=EntryKind.LEFT).exists()


def test_access_ends_on_the_date_set(demo, client, report):
    case = outcome_given(demo, report, Outcome.DISMISSAL)
    services.end_employment(
        actor=demo["head"], case=case, reason=LeavingReason.DISMISSAL, access_ends_on=timezone.localdate()
    )
    staff02 = Person.objects.get(username="staff02")
    assert staff02.is_locked_out
    assert not client.login(username="staff02", password="glenwood-demo")


def test_suspension_is_reviewed_and_a_meeting_held_is_recorded_afterwards(demo, report):
    case = investigating(demo, report)
    today = timezone.localdate()
    with pytest.raises(ServiceError, match="first review comes after"):
        services.suspend_staff(actor=demo["head"], case=case, suspended_on=today, review_on=today)
    services.suspend_staff(
        actor=demo["head"], case=case, suspended_on=today, review_on=today + datetime.timedelta(days=7)
    )
    services.review_suspension(
        actor=demo["head"], case=case, lift=False, next_review_on=today + datetime.timedelta(days=14)
    )
    assert case.suspension_review_on == today + datetime.timedelta(days=14)
    held = today - datetime.timedelta(days=2)
    with pytest.raises(ServiceError, match="record what was said"):
        services.hold_investigation_meeting(actor=demo["deputy"], case=case, meeting_on=held)
    services.hold_investigation_meeting(
        actor=demo["deputy"], case=case, meeting_on=held, notes="He said the pupil added him first."
    )
    meeting = case.entries.get(kind=EntryKind.MEETING)
    assert f"held on {held:%-d %B %Y} (recorded afterwards)" in meeting.text
    assert case.letters.count() == 2  # the suspension and its review; none for a meeting already held
