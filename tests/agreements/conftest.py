import pytest

from agreements.models import Agreement, AgreementKind


@pytest.fixture
def staff_aua(demo):
    return Agreement.objects.select_related("policy__current_version").get(
        school=demo["glenwood"], kind=AgreementKind.STAFF
    )


@pytest.fixture
def ks3_aua(demo):
    return Agreement.objects.select_related("policy__current_version").get(
        school=demo["glenwood"], kind=AgreementKind.KS3
    )


@pytest.fixture
def publish_new_version(demo):
    """Publish a revision of an agreement through the real workflow."""
    import datetime

    from policies import services
    from policies.models import Decision

    def _publish(agreement, new_body, minor=False):
        version = services.version_draft(
            actor=demo["head"], policy=agreement.policy, reviewed_on=datetime.date(2026, 11, 20)
        )
        services.version_update_draft(actor=demo["head"], version=version, body=new_body)
        services.version_submit(actor=demo["head"], version=version)
        version.refresh_from_db()
        services.version_decide(
            actor=demo["chair"], version=version, decision=Decision.APPROVE,
            shown_sha256=version.sha256, minute_reference="FGB/2026/50",
        )  # fmt: skip
        version.refresh_from_db()
        services.version_publish(actor=demo["head"], version=version, minor=minor)
        agreement.policy.refresh_from_db()
        return version

    return _publish
