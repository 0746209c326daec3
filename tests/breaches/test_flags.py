"""Monitoring flags: pupils' go to the DSL, staff's to the head; imports are all or nothing."""

import datetime
import json

import pytest
from django.utils import timezone

from breaches import services
from breaches.choices import Category, Concerns, Source, Status, Track
from breaches.models import Case, MonitoringFlag
from glenwood.services import NotAllowed, ServiceError

from .files import PHP, png, upload

CSV = (
    "Time,Device,Location,User,Matched phrase,Category,Screenshot\n"
    "2026-11-19 10:02,ICT2-PC14,ICT Suite 2,y10pupil3,meet me after school,Grooming,cap1.png\n"
    "19/11/2026 13:45,STAFF-LT07,Staffroom,staff05,fake reviews,,\n"
)


def csv_file(text=CSV, name="securus-export.csv"):
    return upload(name, text.encode(), "text/csv")


def test_a_flag_on_a_pupil_account_is_a_safeguarding_concern_for_the_dsl(demo):
    when = timezone.now() - datetime.timedelta(hours=2)
    flag = services.record_flag(
        actor=demo["dsl"], captured_at=when, device="ICT2-PC14", location="ICT Suite 2",
        account="Y10PUPIL3", matched_phrase="meet me after school", source_category="Grooming",
        screenshot=png("capture.png"),
    )  # fmt: skip
    case = flag.case
    # The flag carries the monitoring service's category, and ours follows from it.
    assert flag.source_category == "Grooming"
    assert (case.track, case.concerns, case.category, case.source) == (
        Track.SAFEGUARDING, Concerns.PUPIL, Category.GROOMING, Source.MONITORING,
    )  # fmt: skip
    assert case.status == Status.REPORTED and case.subject_person.username == "y10pupil3"
    assert flag.account == "y10pupil3"
    assert flag.screenshot.content_type == "image/png" and flag.screenshot.entry.case == case
    assert "meet me after school" in case.what_happened and "ICT2-PC14" in case.where
    with pytest.raises(ServiceError, match=f"already recorded, as report {case.reference}"):
        services.record_flag(
            actor=demo["dsl"], captured_at=when, device="ICT2-PC14", account="y10pupil3",
            matched_phrase="meet me after school",
        )  # fmt: skip


def test_a_flag_on_a_staff_account_is_a_possible_breach_for_the_head(demo):
    flag = services.record_flag(
        actor=demo["head"], captured_at=timezone.now(), device="STAFF-LT07", account="staff05",
        matched_phrase="fake reviews",
    )  # fmt: skip
    assert flag.case.track == Track.DISCIPLINARY and flag.case.concerns == Concerns.STAFF


def test_only_the_head_and_dsls_record_flags(demo):
    with pytest.raises(NotAllowed):
        services.record_flag(
            actor=demo["teacher"],
            captured_at=timezone.now(),
            device="x",
            account="pupil7",
            matched_phrase="x",
        )
    with pytest.raises(NotAllowed):
        services.import_flags(actor=demo["teacher"], data_file=csv_file())


def test_an_unknown_account_is_refused(demo):
    with pytest.raises(ServiceError, match="Nobody at Glenwood School has the account “guest”"):
        services.record_flag(
            actor=demo["dsl"], captured_at=timezone.now(), device="x", account="guest", matched_phrase="x"
        )


def test_a_csv_export_becomes_one_case_per_capture_and_can_be_run_again(demo):
    result = services.import_flags(actor=demo["dsl"], data_file=csv_file(), screenshots=[png("cap1.png")])
    assert len(result.created) == 2 and result.skipped == []
    pupil, staff = result.created
    assert pupil.case.track == Track.SAFEGUARDING and pupil.screenshot is not None
    assert staff.case.track == Track.DISCIPLINARY and staff.screenshot is None
    assert timezone.localtime(staff.captured_at).hour == 13
    again = services.import_flags(actor=demo["dsl"], data_file=csv_file(), screenshots=[png("cap1.png")])
    assert again.created == [] and again.skipped == ["Row 2", "Row 3"]
    assert MonitoringFlag.objects.count() == 2


def test_a_json_export_is_read_too(demo):
    data = {"flags": [{"captured_at": "2026-11-19T10:02:00Z", "device": "ICT2-PC14", "location": "ICT 2",
                       "account": "pupil10", "matched_phrase": "knife"}]}  # fmt: skip
    result = services.import_flags(
        actor=demo["dsl"], data_file=upload("flags.json", json.dumps(data).encode())
    )
    assert result.created[0].case.subject_person == demo["pupil10"]


def test_one_bad_row_means_nothing_is_imported_and_every_problem_is_named(demo):
    bad = CSV + (
        "2026-11-19 14:00,ICT2-PC01,ICT 2,nobody,word,,\n"
        "yesterday,ICT2-PC02,ICT 2,pupil7,word,,\n"
        "2026-11-19 14:00,ICT2-PC03,ICT 2,pupil7,,,\n"
        "2026-11-19 14:00,ICT2-PC04,ICT 2,pupil7,word,,missing.png\n"
    )
    with pytest.raises(services.ImportRefused) as refused:
        services.import_flags(
            actor=demo["dsl"], data_file=csv_file(bad), screenshots=[png("cap1.png"), upload("evil.png", PHP)]
        )
    assert refused.value.errors == [
        "Screenshot “evil.png” was refused: only images (PNG, JPEG, GIF or WebP) and PDF documents are accepted, "
        "and this file is neither.",
        "Row 4: nobody at Glenwood School has the account “nobody”.",
        "Row 5: “yesterday” is not a time; use 2026-11-20 14:03 or 20/11/2026 14:03.",
        "Row 6: no phrase.",
        "Row 7: the screenshot “missing.png” was not among the files chosen.",
    ]
    assert not Case.objects.exists() and not MonitoringFlag.objects.exists()


@pytest.mark.parametrize(
    "content,message",
    [
        ("when,who\n1,2\n", "no column for time, device, account, phrase"),
        ("[{]", "The JSON cannot be read"),
        ('{"rows": 3}', "must be a list of captures"),
        ("Time,Device,User,Phrase\n", "no captures in it"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(demo, content, message):
    with pytest.raises(services.ImportRefused) as refused:
        services.import_flags(actor=demo["dsl"], data_file=upload("x.csv", content.encode()))
    assert message in refused.value.errors[0]
