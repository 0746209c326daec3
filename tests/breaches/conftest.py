"""Breach fixtures: signed agreements for the people reports concern, and cases at each step."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from agreements.models import Agreement, AgreementKind, AuthMethod, Signature
from breaches import services
from breaches.choices import Category, Concerns, Finding, Outcome, Track
from policies.models import Policy

AGREEMENTS = Path(__file__).resolve().parents[2] / "agreements" / "demo"
SIGNED_AT = timezone.make_aware(datetime.datetime(2026, 9, 3, 9, 15))


def sign(agreement, person, when=SIGNED_AT):
    """The person's signature of the agreement's current version, made on `when` if not there yet."""
    version = agreement.policy.current_version
    existing = Signature.objects.filter(person=person, version=version).first()
    return existing or Signature.objects.create(
        school=agreement.school, agreement=agreement, version=version, person=person,
        text_sha256=version.sha256, consent_wording=agreement.consent_wording,
        typed_name=person.get_full_name(), signed_at=when, auth_method=AuthMethod.PASSWORD,
    )  # fmt: skip


@pytest.fixture
def agreements(demo):
    """The demo's staff and KS4 agreements, signed by staff02 (Oliver Jones) and pupil10 (Alex Reed)."""
    staff = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.STAFF)
    ks4 = Agreement.objects.get(school=demo["glenwood"], kind=AgreementKind.KS4)
    return {
        "staff": staff,
        "ks4": ks4,
        "staff02": sign(staff, person(demo, "staff02")),
        "pupil10": sign(ks4, demo["pupil10"]),
    }


def person(demo, username):
    from people.models import Person

    return demo.get(username) or Person.objects.get(username=username)


def friend_request_report(demo, **overrides):
    """The teacher reports that a colleague (staff02) accepted a pupil's friend request."""
    social = Policy.objects.get(school=demo["glenwood"], title="Use of Social Media Policy")
    fields = dict(
        actor=demo["teacher"], category=Category.FRIEND_REQUEST, concerns=Concerns.STAFF,
        subject_person=person(demo, "staff02"),
        what_happened="Alex in Year 10 showed me that Mr Jones accepted his friend request on Instagram.",
        # Just now: after the demo's signatures, so the agreement in force is the one signed.
        happened_on=timezone.localdate(), happened_time=timezone.localtime().time(), where="Instagram",
        policy_version=social.current_version, policy_clause=26,
    )  # fmt: skip
    fields.update(overrides)
    return services.report_concern(**fields)


ALLEGATION = "That on 18 November you accepted a friend request from a Year 10 pupil on Instagram."


def accepted(demo, case):
    services.triage_report(
        actor=demo["head"], case=case, accept=True, track=Track.DISCIPLINARY, allegation=ALLEGATION
    )
    return case


def investigating(demo, case, investigator="deputy"):
    accepted(demo, case)
    services.assign_investigator(actor=demo["head"], case=case, investigator=person(demo, investigator))
    return case


def hearing_arranged(demo, case, panel=("staff01", "governor")):
    """The investigator finds a case to answer; the head appoints the panel. The invitation went out
    two weeks ago (recorded afterwards), so the hearing can be today."""
    investigating(demo, case)
    services.record_finding(
        actor=demo["deputy"], case=case, finding=Finding.HEARING, summary="He accepted the request."
    )
    arrange(demo, case, panel)
    return case


def arrange(demo, case, panel=("staff01", "governor"), actor="head"):
    today = timezone.localdate()
    services.arrange_hearing(
        actor=person(demo, actor), case=case, hearing_on=today, panel=[person(demo, p) for p in panel],
        evidence="The screenshot of the friend request; Alex's account.",
        notice_sent_on=today - datetime.timedelta(days=14),
    )  # fmt: skip


def outcome_given(demo, case, outcome=Outcome.FIRST_WARNING):
    hearing_arranged(demo, case)
    services.record_hearing(
        actor=person(demo, "staff01"), case=case, held_on=timezone.localdate(), notes="He admitted it."
    )
    services.record_outcome(actor=person(demo, "staff01"), case=case, outcome=outcome, reasons="Clause 6.")
    return case


@pytest.fixture
def report(demo, agreements):
    return friend_request_report(demo)
