"""A revision of the staff agreement, drafted by the head and approved by the chair, ready to publish."""

import datetime

from agreements.models import Agreement, AgreementKind
from policies import services as policy_services
from policies.models import Decision


def approved_staff_agreement_revision(people):
    agreement = Agreement.objects.select_related("policy").get(
        kind=AgreementKind.STAFF, school=people["glenwood"]
    )
    head, chair = people["head"], people["chair"]
    draft = policy_services.version_draft(
        actor=head, policy=agreement.policy, reviewed_on=datetime.date(2026, 9, 2)
    )
    policy_services.version_update_draft(
        actor=head, version=draft, body=draft.body + "\n17. I will use two-factor sign-in.\n",
        change_summary="Adds two-factor sign-in.",
    )  # fmt: skip
    policy_services.version_submit(actor=head, version=draft)
    draft.refresh_from_db()
    policy_services.version_decide(
        actor=chair,
        version=draft,
        decision=Decision.APPROVE,
        shown_sha256=draft.sha256,
        minute_reference="FGB/9",
    )
    draft.refresh_from_db()
    return draft
