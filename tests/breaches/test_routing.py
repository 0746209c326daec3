"""Who handles what (KCSIE Part 4): a concern about the headteacher reaches the chair of governors at
once and nobody the head line-manages; one about a DSL never reaches that DSL; a child at immediate
risk reaches every DSL in the same minute; triage can recategorise, with a reason in the chronology."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from breaches import services
from breaches.choices import Category, ConcernLevel, Concerns, EntryKind, Status, Track
from breaches.deadlines import add_working_days
from breaches.models import Case
from glenwood.services import NotAllowed, ServiceError
from reminders.models import Notification, Reminder, ReminderKind

from .conftest import person

LONDON = zoneinfo.ZoneInfo("Europe/London")
WHATSAPP = "I saw Mrs Marsh messaging a Year 9 pupil on WhatsApp late at night, asking her to keep it secret."


def attention_titles(client):
    return [item.title for item in client.get("/").context["items"]]


def report_about_the_head(demo):
    return services.report_concern(
        actor=demo["teacher"], category=Category.INAPPROPRIATE_CONTACT, concerns=Concerns.STAFF,
        subject_person=demo["head"], what_happened=WHATSAPP, where="WhatsApp",
    )  # fmt: skip


def test_a_report_about_the_head_reaches_the_chair_at_once_and_nobody_the_head_manages(
    demo, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = report_about_the_head(demo)
    assert case.led_by_chair and case.track == Track.DISCIPLINARY
    # The chair, at once, by email...
    sent = [m for m in mail.outbox if case.reference in m.subject]
    assert [m.to for m in sent] == [[demo["chair"].email]]
    assert "Marsh" not in sent[0].body and "WhatsApp" not in sent[0].body  # details stay in the portal
    assert Notification.objects.filter(
        recipient=demo["chair"], reminder__kind=ReminderKind.NEW_REPORT
    ).exists()
    # ...and on their home page, with the case open to them.
    chair = login("chair")
    assert f"Triage report {case.reference}" in attention_titles(chair)
    assert chair.get(f"/breaches/cases/{case.pk}/").status_code == 200
    assert case.reference in chair.get("/breaches/cases/").content.decode()
    # The head, and the DSLs the head line-manages: nothing, not even that it exists.
    for username in ("head", "dsl", "deputy"):
        client = login(username)
        assert client.get(f"/breaches/cases/{case.pk}/").status_code == 404, username
        assert client.get(f"/breaches/cases/{case.pk}/triage/").status_code == 404, username
        assert case.reference not in client.get("/breaches/cases/").content.decode(), username
        assert not any(case.reference in t for t in attention_titles(client)), username
        with pytest.raises(NotAllowed):
            services.triage_report(actor=demo[username], case=case, accept=False, reason="No further action")
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED


def test_a_flag_on_the_heads_account_goes_to_the_chair_not_to_the_dsl_who_recorded_it(
    demo, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        flag = services.record_flag(
            actor=demo["dsl"], captured_at=timezone.now() - datetime.timedelta(hours=1), device="HT-LAPTOP",
            account="head", matched_phrase="delete these messages", source_category="Grooming",
        )  # fmt: skip
    case = flag.case
    assert case.led_by_chair and case.category == Category.GROOMING and case.track == Track.DISCIPLINARY
    assert [m.to for m in mail.outbox if case.reference in m.subject] == [[demo["chair"].email]]
    assert f"Triage report {case.reference}" in attention_titles(login("chair"))
    for username in ("head", "dsl", "deputy"):
        assert login(username).get(f"/breaches/cases/{case.pk}/").status_code == 404, username
    # The DSL who reports to the head cannot close it "no further action".
    with pytest.raises(NotAllowed):
        services.triage_report(actor=demo["dsl"], case=case, accept=False, reason="No further action")


def test_the_chair_involves_the_trusts_nominated_person(demo, login):
    case = report_about_the_head(demo)
    with pytest.raises(ServiceError, match="works for the trust"):
        services.involve_trust(actor=demo["chair"], case=case, person=demo["governor"])
    services.involve_trust(actor=demo["chair"], case=case, person=demo["trustadmin"])
    assert login("trustadmin").get(f"/breaches/cases/{case.pk}/").status_code == 200
    assert login("head").get(f"/breaches/cases/{case.pk}/").status_code == 404
    assert case.entries.filter(kind=EntryKind.TRUST_INVOLVED).exists()


def test_a_report_about_a_dsl_never_reaches_that_dsl(demo, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.report_concern(
            actor=demo["teacher"], category=Category.GROOMING, concerns=Concerns.STAFF,
            subject_person=demo["dsl"], what_happened="Ms Lowe gave a Year 8 pupil her personal number.",
        )  # fmt: skip
    assert case.child_protection and not case.led_by_chair
    assert demo["dsl"].email not in [m.to[0] for m in mail.outbox]
    assert login("dsl").get(f"/breaches/cases/{case.pk}/").status_code == 404
    assert case.reference not in login("dsl").get("/breaches/cases/").content.decode()
    assert login("head").get(f"/breaches/cases/{case.pk}/").status_code == 200
    assert login("deputy").get(f"/breaches/cases/{case.pk}/").status_code == 200  # another DSL


def test_triage_recategorises_a_flag_as_self_harm_and_moves_it_to_the_dsl(demo, login):
    flag = services.record_flag(
        actor=demo["dsl"], captured_at=timezone.now() - datetime.timedelta(minutes=20), device="LIB-PC03",
        account="y9pupil2", matched_phrase="i want to kill myself", source_category="Inappropriate language",
    )  # fmt: skip
    case = flag.case
    assert (case.category, case.track) == (Category.IT_MISUSE, Track.BEHAVIOUR)
    assert flag.source_category == "Inappropriate language"
    with pytest.raises(ServiceError, match="reason for changing the category or the track"):
        services.triage_report(
            actor=demo["dsl"], case=case, accept=True, category=Category.SELF_HARM, track=Track.SAFEGUARDING
        )
    reason = "The words are about suicide, not misuse of a computer."
    response = login("dsl").post(
        f"/breaches/cases/{case.pk}/triage/",
        {"decision": "accept", "category": Category.SELF_HARM, "track": Track.SAFEGUARDING,
         "change_reason": reason, "immediate_risk": "on"},
        follow=True,
    )  # fmt: skip
    assert "Triage recorded." in response.content.decode()
    case.refresh_from_db()
    assert (case.category, case.track, case.status) == (
        Category.SELF_HARM,
        Track.SAFEGUARDING,
        Status.SAFEGUARDING,
    )
    entry = case.entries.get(kind=EntryKind.RECATEGORISED)
    assert entry.author == demo["dsl"]
    assert entry.text == (
        "Category changed from Misuse of IT to Self-harm or suicide risk. "
        "Track changed from Pupil behaviour (Behaviour Policy) to Safeguarding (the DSL's track). "
        f"Reason: {reason}"
    )
    assert (
        "Self-harm or suicide risk"
        in login("dsl").get(f"/breaches/cases/{case.pk}/chronology/").content.decode()
    )


def test_an_immediate_risk_concern_emails_every_dsl_in_the_same_minute(
    demo, django_capture_on_commit_callbacks
):
    reported = datetime.datetime(2026, 11, 30, 10, 15, tzinfo=LONDON)  # a Monday
    with time_machine.travel(reported, tick=True), django_capture_on_commit_callbacks(execute=True):
        case = services.report_concern(
            actor=demo["teacher"], category=Category.ABUSE, concerns=Concerns.PUPIL,
            subject_person=demo["pupil7"], immediate_risk=True,
            what_happened="Jamie has a burn on his arm and says he is scared to go home tonight.",
        )  # fmt: skip
    assert case.step_due_on == datetime.date(2026, 11, 30)  # due the same day
    dsls = {demo[u].email for u in ("head", "deputy", "dsl")}  # every DSL role in the demo school
    urgent = [m for m in mail.outbox if m.subject == f"Urgent, a child at immediate risk: {case.reference}"]
    assert {m.to[0] for m in urgent} == dsls and len(urgent) == len(dsls)
    minute = reported.replace(second=0)
    sent = Reminder.objects.filter(cycle=f"report:{case.pk}")
    assert {timezone.localtime(r.sent_at).replace(second=0, microsecond=0) for r in sent} == {minute}
    assert timezone.localtime(case.reported_at).replace(second=0, microsecond=0) == minute


def test_other_concerns_keep_their_working_day_deadline(demo):
    with time_machine.travel(datetime.datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)):  # a Friday
        case = services.report_concern(
            actor=demo["teacher"], category=Category.BULLYING, concerns=Concerns.PUPIL,
            subject_person=demo["pupil7"], what_happened="Name-calling in a group chat.",
        )  # fmt: skip
    assert case.step_due_on == datetime.date(2026, 11, 30)  # the next working day: Monday


def test_an_allegation_offers_the_lado_with_its_deadline_and_records_the_advice(demo, agreements, login):
    case = services.report_concern(
        actor=demo["teacher"], category=Category.PUPIL_CONTACT, concerns=Concerns.STAFF,
        subject_person=person(demo, "staff02"),
        what_happened="Mr Jones messaged a Year 10 pupil privately at 11pm and asked him to keep it secret.",
    )  # fmt: skip
    assert case.child_protection  # the DSLs see it from the start
    today = timezone.localdate()
    services.triage_report(
        actor=demo["head"], case=case, accept=True, concern_level=ConcernLevel.ALLEGATION,
        allegation="That you messaged a pupil privately late at night.",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.lado_due_on == add_working_days(today, 1)
    page = login("head").get(f"/breaches/cases/{case.pk}/").content.decode()
    assert f"refer to the LADO by {case.lado_due_on:%-d %B %Y}" in page
    assert "Record the LADO" in page
    services.make_referral(
        actor=demo["head"], case=case, agency="lado", referred_on=today, reference="LADO-7"
    )
    services.record_lado_advice(
        actor=demo["head"], case=case, advised_on=today, advice="Threshold met: strategy meeting on Friday."
    )
    case.refresh_from_db()
    assert case.lado_advice == "Threshold met: strategy meeting on Friday."
    assert case.entries.filter(kind=EntryKind.LADO_ADVICE, text__contains="Threshold met").exists()


def test_low_level_concerns_are_kept_apart_and_show_a_pattern(demo, agreements, login):
    staff02 = person(demo, "staff02")
    for text in ("Shouted at Year 7 in the corridor.", "Kept a pupil back alone at lunch."):
        case = services.report_concern(
            actor=demo["teacher"], category=Category.OTHER, concerns=Concerns.STAFF, subject_person=staff02,
            what_happened=text,
        )  # fmt: skip
        services.triage_report(
            actor=demo["head"], case=case, accept=True, concern_level=ConcernLevel.LOW_LEVEL
        )
        case.refresh_from_db()
        assert (case.track, case.status) == (Track.LOW_LEVEL, Status.LOW_LEVEL)
    page = login("head").get("/breaches/cases/low-level-concerns/").content.decode()
    assert "Oliver Jones" in page and "2 concerns: a pattern" in page
    # The person concerned is not told of a low-level concern through the portal.
    assert login("staff02").get("/breaches/concerning-me/").content.decode().count("R0000") == 0
    assert login("teacher").get("/breaches/cases/low-level-concerns/").status_code == 403
