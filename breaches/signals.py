"""Sent after each step on a case commits, for what follows a step (emails are another issue's work)."""

from django.dispatch import Signal

# Arguments: case, action (the audit action, e.g. "case.accepted"), actor.
case_step_taken = Signal()

# Arguments: letter (a breaches.Letter to the member of staff concerned, to email and notify).
letter_written = Signal()
