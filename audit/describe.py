"""Audit entries in words a headteacher reads: "Year group: 7 → 8", not a JSON payload."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

# Actions whose plain wording is not just the words of the action name.
ACTION_WORDS = {
    "person.updated": "Changed school details",
    "policy.updated": "Changed the policy's details",
    "person.imported": "Added from an MIS import",
    "agreement.signed": "Signed",
    "agreement.declined": "Declined",
    "person.role_granted": "Role given",
    "person.role_removed": "Role taken away",
}
NOT_CHANGES = {"import", "row", "sha256"}


def _field_label(record_type, name):
    try:
        model = apps.get_model(record_type)
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except (LookupError, ValueError, FieldDoesNotExist):
        return name.replace("_", " ").capitalize()


def _shown(value):
    if value in (None, ""):
        return "(blank)"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _role_names(values):
    from people.models import Role

    return ", ".join(Role(v).label if v in Role.values else str(v) for v in values)


def describe(entry) -> str:
    """One sentence: what happened, then each field that changed with its old and new value."""
    action = ACTION_WORDS.get(entry.action) or entry.action.replace(".", " ").replace("_", " ").capitalize()
    changes = []
    for name, value in (entry.detail or {}).items():
        if name in NOT_CHANGES:
            continue
        if name == "roles" and isinstance(value, dict):
            if value.get("added"):
                changes.append(f"roles added: {_role_names(value['added'])}")
            if value.get("removed"):
                changes.append(f"roles removed: {_role_names(value['removed'])}")
        elif isinstance(value, list) and len(value) == 2 and not isinstance(value[0], (list, dict)):
            changes.append(
                f"{_field_label(entry.record_type, name)}: {_shown(value[0])} → {_shown(value[1])}"
            )
    if entry.action in ("person.role_granted", "person.role_removed") and entry.detail.get("role"):
        changes.append(_role_names([entry.detail["role"]]))
    if entry.detail.get("import"):
        action += f" (import, row {entry.detail.get('row')})"
    return f"{action}: " + "; ".join(changes) if changes else action
