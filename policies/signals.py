from django.dispatch import Signal

# Sent inside the transaction that publishes a version; receivers get `version`. A receiver only
# writes rows (glenwood.outbox.enqueue for anything done later), so its work commits or rolls back
# with the publishing. Reminders use it to tell everyone who now owes a signature.
version_published = Signal()

# Sent after commit: a version now waits for the governors (`version`), and the governors have
# approved it or sent it back (`version`, `outcome` "approved" or "sent_back").
version_submitted = Signal()
version_decided = Signal()
