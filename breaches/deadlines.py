"""When each step of a case is due, so the lists can show what is overdue.

Calendar days from the moment a case reaches a status; safeguarding is read the next day at the
latest (KCSIE expects the same day), staff investigations get four school weeks as most
disciplinary procedures allow. The appeal window is in working days (settings).
"""

import datetime

from django.conf import settings

from .choices import Finding, Status, Track

STEP_DUE_DAYS = {
    Status.REPORTED: 1,  # triage
    Status.ACCEPTED: 3,  # choose an investigator
    Status.INVESTIGATING: 20,  # the investigation report and finding
    Status.FINDING: 5,  # close after no case or informal advice (a hearing: by its date)
    Status.HEARING_HELD: 5,  # the outcome in writing
    Status.OUTCOME: 5,  # close, once any appeal window has passed
    Status.APPEAL_LODGED: 20,  # the appeal heard and decided
    Status.APPEAL_DECIDED: 5,  # close
    Status.SAFEGUARDING: 7,  # the DSL's next review: each action restarts it
    Status.BEHAVIOUR: 10,  # the sanction decided
}

NEXT_STEP = {
    Status.REPORTED: "triage",
    Status.ACCEPTED: "choose an investigator",
    Status.INVESTIGATING: "investigation finding",
    Status.FINDING: "hearing or closing",
    Status.HEARING_HELD: "outcome",
    Status.OUTCOME: "closing",
    Status.APPEAL_LODGED: "appeal decision",
    Status.APPEAL_DECIDED: "closing",
    Status.SAFEGUARDING: "DSL review",
    Status.BEHAVIOUR: "sanction",
}


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def triage_due_on(today: datetime.date, *, immediate_risk=False) -> datetime.date:
    """A child at immediate risk: today. Otherwise the next working day."""
    return today if immediate_risk else add_working_days(today, 1)


def lado_due_on(today: datetime.date) -> datetime.date:
    """KCSIE: the LADO is told of an allegation within one working day."""
    return add_working_days(today, 1)


HEARING_NOTICE_WORKING_DAYS = 5  # the Acas Code's "reasonable notice"; the school's policy says five


def earliest_hearing(notice_sent_on: datetime.date) -> datetime.date:
    return add_working_days(notice_sent_on, HEARING_NOTICE_WORKING_DAYS)


def appeal_deadline(outcome_day: datetime.date) -> datetime.date:
    return add_working_days(outcome_day, settings.BREACH_APPEAL_WORKING_DAYS)


def step_due_on(case, status, today: datetime.date) -> datetime.date | None:
    """The day the step after `status` is due; None once the case is closed."""
    if status in (Status.CLOSED, Status.LOW_LEVEL):
        return None
    if status == Status.REPORTED:
        return triage_due_on(today, immediate_risk=bool(case and case.immediate_risk))
    days = datetime.timedelta(days=STEP_DUE_DAYS[status])
    if status == Status.FINDING and case.finding == Finding.HEARING and case.hearing_on:
        return case.hearing_on
    if status == Status.OUTCOME and case.track == Track.DISCIPLINARY and case.appeal_deadline:
        return case.appeal_deadline + days
    return today + days
