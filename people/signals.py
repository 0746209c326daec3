from django.dispatch import Signal

# Sent inside the transaction when a person's roles are given or taken away, however they were
# written (the edit form, a role grant, the import): the roles are bulk-written, so no save signal.
roles_changed = Signal()
