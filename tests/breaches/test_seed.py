"""The demo cases: made through the services, and safe to seed again."""

from django.core.management import call_command

from audit.models import AuditEntry
from breaches.choices import Status, Track
from breaches.models import Case, MonitoringFlag


def test_seed_demo_makes_three_cases_once(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    cases = {c.track: c for c in Case.objects.all()}
    assert len(cases) == 3 and Case.objects.count() == 3
    assert cases[Track.BEHAVIOUR].status == Status.BEHAVIOUR
    assert cases[Track.SAFEGUARDING].status == Status.REPORTED
    assert MonitoringFlag.objects.get().screenshot.content_type == "image/png"
    assert cases[Track.DISCIPLINARY].status == Status.INVESTIGATING
    assert AuditEntry.objects.filter(action="case.reported").count() == 3
