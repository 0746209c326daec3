from django.dispatch import Signal

# Sent after the transaction that published a version commits; receivers get `version`.
# Agreements use it to work out who now owes a signature, reminders to tell them.
version_published = Signal()

# Sent after commit: a version now waits for the governors (`version`), and the governors have
# approved it or sent it back (`version`, `outcome` "approved" or "sent_back").
version_submitted = Signal()
version_decided = Signal()
