"""Announcements asked for in the transaction of the step itself (through the outbox), so a
broker that is down when a version is published or a concern reported delays the emails but never
loses them: the reminders are recorded by the task, which the outbox hands on until it has run."""

from django.dispatch import receiver

from breaches.signals import case_step_taken, letter_written
from glenwood import outbox
from policies.signals import version_published


@receiver(version_published, dispatch_uid="reminders.announce_new_version")
def announce_agreement_version(sender, version, **kwargs):
    if version.policy.kind == "agreement":
        outbox.enqueue("reminders.tasks.announce_new_version", version.pk)


@receiver(case_step_taken, dispatch_uid="reminders.announce_new_report")
def announce_report(sender, case, action, **kwargs):
    if action == "case.reported":
        outbox.enqueue("reminders.tasks.announce_new_report", case.pk)


@receiver(letter_written, dispatch_uid="reminders.send_case_letter")
def send_case_letter(sender, letter, **kwargs):
    outbox.enqueue("reminders.tasks.announce_case_letter", letter.pk)
