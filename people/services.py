"""Every change to a school's people: editing a person's school details and roles, and importing an MIS
export.

Each has the project's one shape: check the person asking and the state, then inside one
transaction save only what changed and append the audit entry. People are never deleted: a leaver
gets a leaving date and keeps everything they signed.
"""

import hashlib

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from glenwood.services import NotAllowed, ServiceError, change_status

from . import grants, permissions
from .import_plan import ImportPlan, plain_value, plan_import
from .imports import (
    COLUMN_LABELS,
    KIND_COLUMNS,
    decode_upload,
    heading_key,
    missing_columns_error,
    read_header,
)
from .models import (
    ImportBatch,
    ImportKind,
    ImportMapping,
    ImportStatus,
    Person,
    PupilAgreement,
    Role,
    RoleAssignment,
    School,
    YearGroupAgreement,
)
from .rules import YEAR_GROUPS, field_problems
from .signals import roles_changed
from .year_groups import year_agreements

EDITABLE_FIELDS = (
    "year_group", "tutor_group", "visitor_kind", "date_of_birth", "leaving_date", "access_expires_on",
)  # fmt: skip
# The audit log outlives the person's record and is never edited: it says a date of birth was set or
# changed, not what it is.
NOT_IN_THE_AUDIT_LOG = {"date_of_birth"}


def audited_change(name, old, new) -> list:
    if name in NOT_IN_THE_AUDIT_LOG:
        return ["(set)" if old else "(blank)", "(set)" if new else "(blank)"]
    return [plain_value(old), plain_value(new)]


def person_update(*, actor, person, roles=None, **changes) -> Person:
    """Change the school details an administrator looks after, and the person's roles.

    Each role given or taken away goes through role_grant or role_remove, so it is checked,
    audited and emailed on its own."""
    if not permissions.can_manage_person(actor, person):
        raise NotAllowed("Only the headteacher or an administrator changes a person's details.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"person_update() cannot change {', '.join(sorted(unknown))}")
    current_roles = frozenset(person.role_assignments.values_list("role", flat=True))
    roles = current_roles if roles is None else frozenset(roles)
    added, removed = roles - current_roles, current_roles - roles
    for role in sorted(added | removed):
        _check_who(actor, person, role, granting=role in added)
    if person.pk == actor.pk and not roles.intersection(permissions.DIRECTORY_ROLES):
        raise ServiceError("You cannot take away your own administrator role; ask a colleague to.")
    final = {name: changes.get(name, getattr(person, name)) for name in EDITABLE_FIELDS}
    problems = field_problems(
        roles=roles,
        year_group=final["year_group"],
        visitor_kind=final["visitor_kind"],
        start_date=person.start_date,
        leaving_date=final["leaving_date"],
        # Checked when it is entered; an old one does not stop other changes.
        date_of_birth=final["date_of_birth"] if final["date_of_birth"] != person.date_of_birth else None,
    )
    problems.update(
        (role, message) for role in removed if (message := grants.last_head_problem(person, role))
    )
    if leaving := grants.head_leaving_problem(
        person, roles=roles, leaving_date=final["leaving_date"], access_expires_on=final["access_expires_on"]
    ):
        problems["leaving_date"] = leaving
    if problems:
        raise ServiceError(" ".join(problems.values()))

    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed and not added and not removed:
        return person
    with transaction.atomic():
        if changed:
            detail = {name: audited_change(name, getattr(person, name), changes[name]) for name in changed}
            for name in changed:
                setattr(person, name, changes[name])
            person.save(update_fields=changed)
            audit_record(actor=actor, action="person.updated", record=person, detail=detail)
        # Removals first, so that a pupil becoming staff (or the reverse) never holds both at once.
        for role in sorted(removed):
            role_remove(actor=actor, person=person, role=role)
        for role in sorted(added):
            role_grant(actor=actor, person=person, role=role)
    return person


def _check_who(actor, person, role, *, granting):
    if not permissions.can_manage_person(actor, person):
        raise NotAllowed("Only the headteacher or an administrator changes a person's roles.")
    problem = grants.who_problem(actor, person, role, granting=granting)
    if problem:
        raise NotAllowed(problem)


def role_grant(*, actor, person, role) -> bool:
    """Give `person` one role; False when they already hold it. Audited, and emailed when it opens
    leadership, safeguarding or administration pages."""
    role = Role(role)
    _check_who(actor, person, role, granting=True)
    with transaction.atomic():
        _lock(person)
        held = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
        if role in held:
            return False
        problem = grants.pupil_problem(held | {role})
        if problem:
            raise ServiceError(problem)
        _set_roles(person, added={role}, removed=())
        audit_record(
            actor=actor, action="person.role_granted", record=person,
            detail={"role": role.value, "label": role.label},
        )  # fmt: skip
        _email_role_change(actor, person, role, granted=True)
    return True


def role_remove(*, actor, person, role) -> bool:
    """Take one role away from `person`; False when they did not hold it. Never the school's last
    headteacher. Audited, and emailed like a grant."""
    role = Role(role)
    _check_who(actor, person, role, granting=False)
    with transaction.atomic():
        if role == Role.HEADTEACHER:
            # Two headteachers removed at once: the second waits here, then sees the first gone.
            School.objects.select_for_update().get(pk=person.school_id)
            problem = grants.last_head_problem(person, role)
            if problem:
                raise ServiceError(problem)
        _lock(person)
        if not RoleAssignment.objects.filter(person=person, role=role).exists():
            return False
        _set_roles(person, added=(), removed={role})
        audit_record(
            actor=actor, action="person.role_removed", record=person,
            detail={"role": role.value, "label": role.label},
        )  # fmt: skip
        _email_role_change(actor, person, role, granted=False)
    return True


def _lock(person):
    # Two changes to one person's roles at once (a pupil role and a staff role): one waits for the other.
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True))


def _email_role_change(actor, person, role, *, granted):
    if role in grants.NOTIFIED_ROLES:
        from .tasks import send_role_change_emails

        send_role_change_emails.delay_on_commit(person.pk, role.value, granted, actor.pk)


def _set_roles(person, *, added, removed):
    # The last guard, under every way roles are written (the edit form, role grants, the import).
    held = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    problem = grants.pupil_problem((held - set(removed)) | set(added))
    if problem:
        raise ServiceError(f"{person}: {problem}")
    if removed:
        RoleAssignment.objects.filter(person=person, role__in=removed).delete()
    if added:
        # Two administrators giving the same role at once: the unique constraint keeps one.
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(person=person, role=role) for role in sorted(added)], ignore_conflicts=True
        )
    person.__dict__.pop("roles", None)  # the cached set of roles is now out of date
    if added or removed:
        roles_changed.send(sender=Person, person=person)


def _refuse_unless_importer(actor, school):
    if not permissions.can_import(actor, school):
        raise NotAllowed("Only the headteacher or a school administrator imports people.")


def saved_mapping(school, kind) -> dict:
    mapping = ImportMapping.objects.filter(school=school, kind=kind).first()
    return mapping.columns if mapping else {}


def import_check(*, actor, school, filename, data: bytes, kind=ImportKind.EVERYONE) -> ImportBatch:
    """The dry run: read and check an MIS export, and keep it so that it can be applied as checked.

    Headings the portal does not know send the file to the matching step first (import_match)."""
    _refuse_unless_importer(actor, school)
    text = decode_upload(data)  # an unreadable file raises ImportFileError with what to do
    saved = saved_mapping(school, kind)
    header = read_header(text, kind, saved)
    if header.unrecognised:
        status, summary, plan = ImportStatus.MAPPING, {"unrecognised": header.unrecognised}, None
    elif header.missing:
        raise missing_columns_error(header, kind)
    else:
        plan = plan_import(text, school, kind, saved)
        status, summary = ImportStatus.DRY_RUN, plan.summary()
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            school=school,
            uploaded_by=actor,
            kind=kind,
            filename=filename[:255],
            csv_text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            status=status,
            summary=summary,
        )
        audit_record(
            actor=actor, action="people_import.checked", record=batch,
            detail={"sha256": batch.sha256, "kind": kind, **(plan.counts if plan else summary)},
        )  # fmt: skip
    return batch


def import_match(*, actor, batch, choices: dict[str, str]) -> ImportBatch:
    """The school says what each unknown heading holds (or to ignore it); kept for its next export."""
    _refuse_unless_importer(actor, batch.school)
    if batch.status != ImportStatus.MAPPING:
        raise ServiceError("This file's columns are already matched.")
    readable = set(KIND_COLUMNS[batch.kind])
    unknown = {column for column in choices.values() if column and column not in readable}
    if unknown:
        raise ServiceError(
            f"A {batch.get_kind_display().lower()} import has no {', '.join(sorted(unknown))} column."
        )
    columns = {
        **saved_mapping(batch.school, batch.kind),
        **{heading_key(h): column for h, column in choices.items() if heading_key(h)},
    }
    header = read_header(batch.csv_text, batch.kind, columns)  # two headings for one column: a clear error
    if header.missing:
        raise ServiceError(
            "The file still has no column for the "
            + " or the ".join(COLUMN_LABELS[c] for c in header.missing)
            + ": choose which heading holds it."
        )
    plan = plan_import(batch.csv_text, batch.school, batch.kind, columns)
    with transaction.atomic():
        change_status(
            batch, allowed_from=[ImportStatus.MAPPING], to=ImportStatus.DRY_RUN, summary=plan.summary()
        )
        mapping, _ = ImportMapping.objects.update_or_create(
            school=batch.school, kind=batch.kind, defaults={"columns": columns, "updated_by": actor}
        )
        audit_record(
            actor=actor, action="import_mapping.saved", record=mapping, school=batch.school,
            detail={"import": batch.pk, "columns": {h: c for h, c in choices.items()}},
        )  # fmt: skip
    return batch


def import_plan_for(batch) -> ImportPlan:
    """What applying the batch would do now, against the school's records as they are."""
    return plan_import(batch.csv_text, batch.school, batch.kind, saved_mapping(batch.school, batch.kind))


def import_discard(*, actor, batch) -> ImportBatch:
    """Apply nothing: the file stays on record as checked and not applied."""
    _refuse_unless_importer(actor, batch.school)
    with transaction.atomic():
        change_status(
            batch, allowed_from=[ImportStatus.MAPPING, ImportStatus.DRY_RUN], to=ImportStatus.DISCARDED
        )
        audit_record(
            actor=actor, action="people_import.discarded", record=batch, detail={"sha256": batch.sha256}
        )
    return batch


def import_apply(*, actor, batch, shown_plan_sha256) -> ImportPlan:
    """Apply a checked import once, as it was shown: every good row; the rows with errors are left out
    (the office downloads them to correct)."""
    _refuse_unless_importer(actor, batch.school)
    already = ServiceError("This file has already been imported; nothing more was changed.")
    if batch.status == ImportStatus.DISCARDED:
        raise ServiceError("Nothing from this file was to be imported; upload it again to import it.")
    if batch.status == ImportStatus.MAPPING:
        raise ServiceError("Match the file's columns first.")
    if batch.status != ImportStatus.DRY_RUN:
        raise already
    with transaction.atomic():
        try:
            # A conditional update: a double click or a second apply finds the batch already applied.
            change_status(
                batch,
                allowed_from=[ImportStatus.DRY_RUN],
                to=ImportStatus.APPLIED,
                applied_at=timezone.now(),
                applied_by=actor,
            )
        except ServiceError:
            raise already from None
        plan = import_plan_for(batch)
        if not plan.can_apply:
            raise ServiceError(
                "No row of this file changes anything that can be imported, so nothing was imported."
                + (
                    " Download the rows with problems, correct them and upload them."
                    if plan.rows_with_errors
                    else ""
                )
            )
        if plan.sha256 != shown_plan_sha256:
            raise ServiceError(
                "The school's records have changed since this file was checked, so nothing was "
                "imported. Look at the changes again, then apply them."
            )
        people = _carry_out(actor=actor, batch=batch, plan=plan)
        batch.summary = {**plan.summary(), "people": people}
        batch.save(update_fields=["summary"])
        audit_record(
            actor=actor, action="people_import.applied", record=batch,
            detail={"sha256": batch.sha256, **plan.counts},
        )  # fmt: skip
    return plan


def _carry_out(*, actor, batch, plan) -> list[int]:
    """Make the plan's changes; the ids of everyone added or changed, to invite them next."""
    school, people = batch.school, []
    for row in plan.new:
        fields = {name: value for name, value in row.values.items() if name != "roles"}
        person = Person(school=school, username=row.username, **fields)
        person.set_unusable_password()  # they choose one through their invitation
        person.save()
        people.append(person.pk)
        _set_roles(person, added=row.values["roles"], removed=())
        audit_record(
            actor=actor, action="person.imported", record=person, school=school,
            detail={"import": batch.pk, "row": row.number, "roles": sorted(row.values["roles"])},
        )  # fmt: skip
    for row in plan.changed:
        person = row.person
        people.append(person.pk)
        changed = [name for name in row.changes if name != "roles"]
        for name in changed:
            setattr(person, name, row.values[name])
        if changed:
            person.save(update_fields=changed)
        if "roles" in row.changes:
            old, new = row.changes["roles"]
            _set_roles(person, added=new - old, removed=old - new)
        audit_record(
            actor=actor, action="person.updated", record=person, school=school,
            detail={
                "import": batch.pk,
                "row": row.number,
                "changes": {k: audited_change(k, old, new) for k, (old, new) in row.changes.items()},
            },
        )  # fmt: skip
    return people + [row.person.pk for row in plan.unchanged]


def year_groups_change(*, actor, school, choices: dict[int, str]) -> dict[int, str]:
    """The school chooses which pupil agreement each year group signs (the sixth form's included)."""
    if not permissions.can_set_year_groups(actor, school):
        raise NotAllowed("Only the headteacher or a school administrator chooses this.")
    if set(choices) - set(YEAR_GROUPS) or set(choices.values()) - set(PupilAgreement.values):
        raise ServiceError("Choose an agreement, or none, for Years 7 to 13.")
    before = year_agreements(school.pk)
    changed = {year: kind for year, kind in choices.items() if before[year] != kind}
    if not changed:
        return before
    with transaction.atomic():
        for year, kind in changed.items():
            YearGroupAgreement.objects.update_or_create(
                school=school, year_group=year, defaults={"agreement": kind}
            )
        audit_record(
            actor=actor, action="year_groups.changed", record=school, school=school,
            detail={str(year): [before[year], kind] for year, kind in changed.items()},
        )  # fmt: skip
    return year_agreements(school.pk)
