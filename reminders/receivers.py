from django.dispatch import receiver

from agreements.signals import witness_named
from breaches.signals import case_step_taken
from policies.signals import version_decided, version_published, version_submitted


@receiver(version_published, dispatch_uid="reminders.announce_new_version")
def announce_agreement_version(sender, version, **kwargs):
    # Sent after the publishing transaction committed, so the task finds the version.
    # A minor change asks nobody to sign again, so nobody is told about it.
    if version.policy.kind == "agreement" and not version.is_minor_change:
        from .tasks import announce_new_version

        announce_new_version.delay_on_commit(version.pk)


@receiver(case_step_taken, dispatch_uid="reminders.announce_new_report")
def announce_report(sender, case, action, **kwargs):
    if action == "case.reported":
        from .tasks import announce_new_report

        announce_new_report.delay_on_commit(case.pk)


@receiver(witness_named, dispatch_uid="reminders.ask_witness")
def ask_witness(sender, signature, **kwargs):
    from .tasks import announce_witness_request

    announce_witness_request.delay_on_commit(signature.pk)


@receiver(version_submitted, dispatch_uid="reminders.decision_waiting")
def tell_governors(sender, version, **kwargs):
    from .tasks import announce_decision_waiting

    announce_decision_waiting.delay_on_commit(version.pk, version.round)


@receiver(version_decided, dispatch_uid="reminders.decision_made")
def tell_reviewer(sender, version, outcome, **kwargs):
    from .tasks import announce_decision_made

    announce_decision_made.delay_on_commit(version.pk, version.round, outcome)
