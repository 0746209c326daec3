"""Subject access: a member of staff who was the subject of a case asks for everything held about them."""

import datetime
import io
import json
import zipfile

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage

from audit.models import AuditEntry
from breaches.choices import Outcome
from retention import access
from retention.models import AccessStatus, SubjectAccessRequest
from tests.breaches.conftest import friend_request_report, outcome_given, person


@pytest.fixture
def staff02_case(demo, agreements):
    """The teacher reports staff02 (Oliver Jones); the case ends in a first written warning."""
    case = friend_request_report(demo)
    outcome_given(demo, case, outcome=Outcome.FIRST_WARNING)
    return case


def _zip(request):
    request.refresh_from_db()
    assert request.status == AccessStatus.DONE, request.error
    with default_storage.open(request.file.name) as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def test_a_staff_members_export_holds_their_signature_pdfs_and_the_case_outcome_and_no_reporter(
    demo, agreements, staff02_case, django_capture_on_commit_callbacks
):
    staff02 = person(demo, "staff02")
    reporter = demo["teacher"].get_full_name()
    with django_capture_on_commit_callbacks(execute=True):
        request = access.access_request(actor=demo["admin"], person=staff02,
                                        requested_on=datetime.date.today() - datetime.timedelta(days=3))  # fmt: skip
    archive = _zip(request)
    names = archive.namelist()

    signature_pdfs = [n for n in names if n.startswith("signatures/") and n.endswith(".pdf")]
    assert len(signature_pdfs) == 1 and archive.read(signature_pdfs[0]).startswith(b"%PDF")
    signatures = json.loads(archive.read("signatures.json"))
    assert signatures[0]["typed_name"] == staff02.get_full_name()

    cases = json.loads(archive.read("cases_about_them.json"))
    assert cases[0]["reference"] == staff02_case.reference
    assert cases[0]["outcome"] == "First written warning"

    everything = b"".join(archive.read(n) for n in names if n.endswith(".json"))
    assert reporter.encode() not in everything
    assert b"Alex in Year 10 showed me" not in everything, "the reporter's own words stay out"

    from pypdf import PdfReader

    readable = PdfReader(io.BytesIO(archive.read("everything-we-hold.pdf")))
    text = "".join(page.extract_text() for page in readable.pages)
    assert "First written warning" in text and staff02.get_full_name() in text
    assert reporter not in text

    assert request.due_on == request.requested_on + relativedelta(months=1)
    actions = set(
        AuditEntry.objects.filter(record_type="retention.subjectaccessrequest").values_list(
            "action", flat=True
        )
    )
    assert actions == {"retention.subject_access_requested", "retention.subject_access_exported"}


def test_the_month_runs_from_the_day_the_request_arrived(demo):
    request = access.access_request(actor=demo["trustadmin"], person=demo["teacher"],
                                    requested_on=datetime.date(2026, 1, 31))  # fmt: skip
    assert request.due_on == datetime.date(2026, 2, 28)
    assert request.is_overdue


def test_only_administrators_make_requests(demo):
    from glenwood.services import NotAllowed

    for who in ("head", "dsl", "teacher"):
        with pytest.raises(NotAllowed):
            access.access_request(actor=demo[who], person=demo["teacher"], requested_on=datetime.date.today())
    assert not SubjectAccessRequest.objects.exists()


def test_a_second_delivery_of_the_task_does_nothing(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = access.access_request(
            actor=demo["admin"], person=demo["pupil7"], requested_on=datetime.date.today()
        )
    request.refresh_from_db()
    first = request.file.name
    access.access_build(request_id=request.pk)
    request.refresh_from_db()
    assert request.file.name == first and request.done == request.total


def test_a_closed_allegation_shows_its_kcsie_outcome_in_the_export_and_still_no_reporter(
    demo, agreements, django_capture_on_commit_callbacks
):
    from breaches import services as breaches
    from breaches.choices import AllegationOutcome
    from tests.retention.helpers import at

    with at(datetime.date(2027, 2, 1)):
        case = friend_request_report(demo)
        outcome_given(demo, case, outcome=Outcome.NO_ACTION)
    with at(datetime.date(2027, 3, 1)):
        breaches.close_case(actor=demo["head"], case=case, reason="Disproved.",
                            allegation_outcome=AllegationOutcome.UNSUBSTANTIATED)  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            request = access.access_request(actor=demo["admin"], person=person(demo, "staff02"),
                                            requested_on=datetime.date(2027, 3, 1))  # fmt: skip
    archive = _zip(request)
    cases = json.loads(archive.read("cases_about_them.json"))
    assert cases[0]["allegation_outcome"].startswith("Unsubstantiated")
    assert "Outcome of the allegation" in [step["step"] for step in cases[0]["steps"]]
    everything = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".json"))
    teacher = demo["teacher"]
    assert teacher.get_full_name().encode() not in everything and teacher.email.encode() not in everything
