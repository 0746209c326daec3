"""Sent inside each step's transaction on a case, for what follows a step.

A receiver only writes rows: anything done later (an email) goes through glenwood.outbox.enqueue,
so it is handed to the worker once the step has committed and never if the step rolls back.
"""

from django.dispatch import Signal

# Arguments: case, action (the audit action, e.g. "case.accepted"), actor.
case_step_taken = Signal()

# Arguments: letter (a breaches.Letter to the member of staff concerned, to email and notify).
letter_written = Signal()
