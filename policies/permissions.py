"""Who may take each step on a policy. Services call these; views and templates ask them too."""

from people.models import LEADERSHIP_ROLES, Role

from .models import VersionStatus


def is_reviewer(person, policy) -> bool:
    return person.school_id == policy.school_id and person.has_role(policy.reviewer_role)


def can_manage_policies(person) -> bool:
    return person.has_role(Role.HEADTEACHER, Role.SCHOOL_ADMIN)


def can_write_policies(person) -> bool:
    """Who uses the policy editor: whoever adds policies, and whoever drafts a policy's revisions."""
    from .models import Policy

    if can_manage_policies(person):
        return True
    roles = Policy.objects.filter(school_id=person.school_id).values_list("reviewer_role", flat=True)
    return person.school_id is not None and person.has_role(*set(roles))


def is_approver(person, version) -> bool:
    body = version.policy.approval_body
    if person.school_id != body.school_id or not person.has_role(Role.GOVERNOR, Role.CHAIR):
        return False
    return body.members.filter(pk=person.pk).exists()


def can_see_version(person, version) -> bool:
    """Published history is open to the school; drafts only to its leaders and approvers."""
    if version.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.RETIRED):
        return True
    if person.has_role(*LEADERSHIP_ROLES) or is_reviewer(person, version.policy):
        return True
    return version.status != VersionStatus.DRAFT and is_approver(person, version)
