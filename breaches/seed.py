"""Demo cases for the demo school, made through the real services (safe to run again)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from people.models import Person
from policies.models import Policy

from . import services
from .choices import Category, Concerns, Track
from .models import Case


def _screenshot() -> SimpleUploadedFile:
    """A stand-in for a monitoring capture: a chat window with the flagged words."""
    image = Image.new("RGB", (640, 360), "#f4f4f4")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 640, 36], fill="#3b5998")
    draw.text((12, 12), "Chat - ICT2-PC14 - y10pupil3", fill="white")
    draw.rectangle([20, 70, 520, 120], fill="white", outline="#cccccc")
    draw.text((32, 88), "unknown_user_77: you can meet me after school, don't tell your mum", fill="black")
    draw.rectangle([120, 140, 620, 190], fill="#dcf8c6", outline="#cccccc")
    draw.text((132, 158), "y10pupil3: ok where", fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("securus-capture-0412.png", out.getvalue(), content_type="image/png")


def seed_breaches(people):
    school = people["glenwood"]
    if Case.objects.filter(school=school).exists():
        return
    head, teacher = people["head"], people["teacher"]
    social = Policy.objects.get(school=school, title="Use of Social Media Policy").current_version
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    # 1. A pupil's friend request to a teacher, reported as the policy asks: the behaviour track.
    friend = services.report_concern(
        actor=teacher, category=Category.FRIEND_REQUEST, concerns=Concerns.PUPIL, subject_person=people["pupil10"],
        what_happened="Alex Reed sent me a friend request on Instagram last night. I declined it and have not replied.",
        happened_on=yesterday, happened_time=datetime.time(21, 40), where="Instagram (my personal account)",
        policy_version=social, policy_clause=26,
    )  # fmt: skip
    services.triage_report(
        actor=head, case=friend, accept=True, track=Track.BEHAVIOUR,
        allegation="That you sent a member of staff a friend request on Instagram, against clause 10 of your agreement.",
        note="A reminder of the KS4 agreement for Alex; speak to his tutor.",
    )  # fmt: skip

    # 2. A monitoring capture on a Year 10 pupil's account: a safeguarding concern for the DSL.
    services.record_flag(
        actor=people["dsl"], captured_at=timezone.now() - datetime.timedelta(hours=3), device="ICT2-PC14",
        location="ICT Suite 2", account="y10pupil3", matched_phrase="meet me after school",
        source_category="Grooming", screenshot=_screenshot(),
    )  # fmt: skip

    # 3. A member of staff disparaging the school online: the staff track, under investigation.
    staff05 = Person.objects.get(username="staff05")  # Ava Williams
    post = services.report_concern(
        actor=people["deputy"], category=Category.DISREPUTE, concerns=Concerns.STAFF, subject_person=staff05,
        what_happened=(
            "A parent forwarded a public Facebook post by Ms Williams calling the school's leadership "
            "'a shambles' and naming his department. The post has since been deleted."
        ),
        happened_on=timezone.localdate() - datetime.timedelta(days=4), where="Facebook (public post)",
        policy_version=social, policy_clause=17,
    )  # fmt: skip
    services.triage_report(
        actor=head, case=post, accept=True, track=Track.DISCIPLINARY,
        allegation="That you posted publicly on Facebook disparaging the school's leadership and naming your department.",
    )  # fmt: skip
    services.assign_investigator(
        actor=head, case=post, investigator=Person.objects.get(username="staff01"),
        note="Please interview Ms Williams and the parent; report within four weeks.",
    )  # fmt: skip
