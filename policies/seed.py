"""Demo policies: the school's Use of Social Media Policy and the policies it names."""

import datetime
from pathlib import Path

from django.utils import timezone

from people.models import Role

from . import services
from .models import Decision, Policy

DEMO_DIR = Path(__file__).parent / "demo"
PLACEHOLDER = (
    "*Placeholder: this is a short stand-in for the school's {title}; the full text is to be loaded.*\n\n"
    "## Purpose\n\nThis policy sets out how Glenwood School meets its duties on {topic}.\n"
)
# title, category, topic, approving body, (staff, pupils, visitors, governors), on the public page
COMPANIONS = [
    ("Online Safety Policy", "Safeguarding", "online safety", "FGB", (True, True, True, True), True),
    ("Data Protection Policy", "Information governance", "data protection", "Resources", (True, False, True, True), True),
    ("Freedom of Information Policy", "Information governance", "freedom of information", "Resources", (True, False, False, True), True),
    ("Disciplinary Policy and Procedure", "Staffing", "staff conduct and discipline", "FGB", (True, False, False, True), False),
]  # fmt: skip


def _publish(policy, *, head, approvers, minute, approved_on):
    """Take a policy's first draft through the real workflow, then date it as it happened."""
    version = policy.versions.get()
    services.version_submit(actor=head, version=version)
    for governor in approvers:
        version.refresh_from_db()
        if version.status != "submitted":
            break
        services.version_decide(
            actor=governor, version=version, decision=Decision.APPROVE,
            shown_sha256=version.sha256, minute_reference=minute,
        )  # fmt: skip
    version.refresh_from_db()
    services.version_publish(actor=head, version=version)
    when = timezone.make_aware(datetime.datetime.combine(approved_on, datetime.time(18, 0)))
    type(version).objects.filter(pk=version.pk).update(approved_at=when, published_at=when, submitted_at=when)


def seed_policies(people):
    school, head = people["glenwood"], people["head"]
    if Policy.objects.filter(school=school).exists():
        return
    fgb = school.governing_bodies.get(short_name="FGB")
    bodies = {b.short_name: b for b in school.governing_bodies.all()}
    reviewed = datetime.date(2018, 2, 1)
    social = services.policy_create(
        actor=head, school=school, title="Use of Social Media Policy", category="Safeguarding",
        approval_body=fgb, reviewer_role=Role.HEADTEACHER, reviewed_on=reviewed,
        body=(DEMO_DIR / "use-of-social-media-policy.md").read_text(encoding="utf-8"),
        for_staff=True, for_pupils=True, for_visitors=True, for_governors=True, public=True,
    )  # fmt: skip
    _publish(social, head=head, approvers=[people["chair"]], minute="FGB/2018/07", approved_on=reviewed)
    for title, category, topic, body, (staff, pupils, visitors, governors), public in COMPANIONS:
        policy = services.policy_create(
            actor=head, school=school, title=title, category=category, approval_body=bodies[body],
            reviewer_role=Role.HEADTEACHER, reviewed_on=datetime.date(2026, 3, 1),
            body=PLACEHOLDER.format(title=title, topic=topic),
            for_staff=staff, for_pupils=pupils, for_visitors=visitors, for_governors=governors,
            public=public,
        )  # fmt: skip
        approvers = (
            [people["chair"]]
            if body == "FGB"
            else [people["governor"], people["governor2"], people["governor3"]]
        )
        _publish(
            policy,
            head=head,
            approvers=approvers,
            minute=f"{body}/2026/03",
            approved_on=datetime.date(2026, 3, 12),
        )
        social.related.add(policy)

    hillside = people["hillside"]
    hill_policy = services.policy_create(
        actor=people["hillside-head"], school=hillside, title="Use of Social Media Policy",
        category="Safeguarding", approval_body=hillside.governing_bodies.get(short_name="FGB"),
        reviewer_role=Role.HEADTEACHER, reviewed_on=datetime.date(2026, 1, 15),
        body="*Hillside Academy's own policy.*\n\n## Principles\n\n- Staff keep personal and professional lives separate.\n",
        for_staff=True, for_pupils=True,
    )  # fmt: skip
    _publish(
        hill_policy,
        head=people["hillside-head"],
        approvers=[people["hillside-chair"]],
        minute="FGB/2026/01",
        approved_on=datetime.date(2026, 1, 20),
    )
