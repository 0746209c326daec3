from django.dispatch import Signal

# Sent after the transaction that published a version commits; receivers get `version`.
# Agreements use it to work out who now owes a signature, reminders to tell them.
version_published = Signal()
