"""Announcements asked for in the transaction of the step itself (through the outbox), so a
broker that is down when a version is published or a concern reported delays the emails but never
loses them: the reminders are recorded by the task, which the outbox hands on until it has run."""

from django.dispatch import receiver

from agreements.signals import witness_named
from breaches.signals import case_step_taken, letter_written
from glenwood import outbox
from policies.signals import version_decided, version_published, version_submitted


@receiver(version_published, dispatch_uid="reminders.announce_new_version")
def announce_agreement_version(sender, version, **kwargs):
    # Written with the publishing change (the outbox hands it on once it commits). A minor change
    # asks nobody to sign again, so nobody is told about it.
    if version.policy.kind == "agreement" and not version.is_minor_change:
        outbox.enqueue("reminders.tasks.announce_new_version", version.pk)


@receiver(case_step_taken, dispatch_uid="reminders.announce_new_report")
def announce_report(sender, case, action, **kwargs):
    if action == "case.reported":
        outbox.enqueue("reminders.tasks.announce_new_report", case.pk)


@receiver(letter_written, dispatch_uid="reminders.send_case_letter")
def send_case_letter(sender, letter, **kwargs):
    outbox.enqueue("reminders.tasks.announce_case_letter", letter.pk)


@receiver(witness_named, dispatch_uid="reminders.ask_witness")
def ask_witness(sender, signature, **kwargs):
    outbox.enqueue("reminders.tasks.announce_witness_request", signature.pk)


@receiver(version_submitted, dispatch_uid="reminders.decision_waiting")
def tell_governors(sender, version, **kwargs):
    outbox.enqueue("reminders.tasks.announce_decision_waiting", version.pk, version.round)


@receiver(version_decided, dispatch_uid="reminders.decision_made")
def tell_reviewer(sender, version, outcome, **kwargs):
    outbox.enqueue("reminders.tasks.announce_decision_made", version.pk, version.round, outcome)
