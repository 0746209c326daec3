from django.dispatch import Signal

# Sent after commit when a pupil signing away from class names a member of staff as witness.
witness_named = Signal()
