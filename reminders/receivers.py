from django.dispatch import receiver

from breaches.signals import case_step_taken, letter_written
from policies.signals import version_published


@receiver(version_published, dispatch_uid="reminders.announce_new_version")
def announce_agreement_version(sender, version, **kwargs):
    # Sent after the publishing transaction committed, so the task finds the version.
    if version.policy.kind == "agreement":
        from .tasks import announce_new_version

        announce_new_version.delay_on_commit(version.pk)


@receiver(case_step_taken, dispatch_uid="reminders.announce_new_report")
def announce_report(sender, case, action, **kwargs):
    if action == "case.reported":
        from .tasks import announce_new_report

        announce_new_report.delay_on_commit(case.pk)


@receiver(letter_written, dispatch_uid="reminders.send_case_letter")
def send_case_letter(sender, letter, **kwargs):
    from .tasks import announce_case_letter

    announce_case_letter.delay_on_commit(letter.pk)
