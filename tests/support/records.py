"""One record of each kind a page needs, on top of the demo school: the standing checks that walk
every page (the hostile corpus, the accessibility walk) need every kind of page to exist."""

import datetime

from django.urls import reverse


def one_of_each_kind(demo):
    """The demo school, as `make run` seeds it, with a draft, a submitted and an approved policy
    version, a class signing session, a queued export, imports in each state, an invitation, a
    retention hold and a subject access request."""
    from agreements import exports
    from agreements import services as agreement_services
    from agreements.models import Agreement
    from breaches.seed import seed_breaches
    from people import services as people_services
    from people.invitations import invitations_request
    from policies import services as policy_services
    from policies.models import Policy
    from retention import access as retention_access
    from retention import services as retention_services

    seed_breaches(demo)
    head = demo["head"]
    glenwood = demo["glenwood"]
    policy_services.version_draft(
        actor=head, policy=Policy.objects.get(school=glenwood, title="Use of Social Media Policy"),
        reviewed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    submitted = policy_services.version_draft(
        actor=head, policy=Policy.objects.get(school=glenwood, title="Data Protection Policy"),
        reviewed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    policy_services.version_submit(actor=head, version=submitted)
    approved = policy_services.version_draft(
        actor=head, policy=Policy.objects.get(school=glenwood, title="Online Safety Policy"),
        reviewed_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    policy_services.version_submit(actor=head, version=approved)
    approved.refresh_from_db()
    policy_services.version_decide(
        actor=demo["chair"], version=approved, decision="approve", shown_sha256=approved.sha256,
        minute_reference="FGB/2026/99",
    )  # fmt: skip
    ks3 = Agreement.objects.get(school=glenwood, kind="ks3")
    agreement_services.signing_session_open(teacher=demo["teacher"], agreement=ks3, year_group=7)
    exports.export_request(actor=demo["admin"], agreement=ks3)  # queued: its page and restart form
    # An import waiting to be applied (its page, apply, discard and corrections forms), one waiting for
    # its columns to be matched, and one applied (its invitation form).
    sample = b"first_name,last_name,email,role\nHostile,Tester,hostile.tester@example.org,staff\n"
    people_services.import_check(actor=demo["admin"], school=glenwood, filename="mis.csv", data=sample)
    people_services.import_check(
        actor=demo["admin"],
        school=glenwood,
        filename="odd.csv",
        data=b"first_name,last_name,email,role,Shoe size\nOdd,Heading,odd@example.org,staff,9\n",
    )
    applied = people_services.import_check(
        actor=demo["admin"], school=glenwood, filename="new.csv",
        data=b"first_name,last_name,email,role\nNew,Starter,new.starter@example.org,staff\n",
    )  # fmt: skip
    plan = people_services.import_plan_for(applied)
    people_services.import_apply(actor=demo["admin"], batch=applied, shown_plan_sha256=plan.sha256)
    invitations_request(actor=demo["admin"], people=[demo["teacher"]])
    # Retention: a hold to lift, the monthly listing's queue (nothing may be due: a hold on a record
    # is enough for its pages), and a subject access request with its export.
    retention_services.hold_place(actor=demo["trustadmin"], record=demo["supply"], reason="Tribunal")
    retention_services.review_list(today=datetime.date.today() + datetime.timedelta(days=366 * 30))
    retention_access.access_request(
        actor=demo["trustadmin"], person=demo["teacher"], requested_on=datetime.date.today()
    )
    return demo


def matching_pages():
    """An import waiting for its columns to be matched: linked from its batch page, which a crawl's
    few pages per URL name may not reach among the other batches."""
    from people.models import ImportBatch, ImportStatus

    return [
        reverse("people:import_match", args=[pk])
        for pk in ImportBatch.objects.filter(status=ImportStatus.MAPPING).values_list("pk", flat=True)
    ]
