"""Keep each school's dashboard counts honest: whatever can move a count marks them behind, in the
same transaction as the change (agreements/summary.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from people.models import Person, RoleAssignment, YearGroupAgreement
from people.signals import roles_changed
from policies.models import PolicyVersion

from .models import Agreement, Decline, Signature
from .summary import summary_changed

# A person's fields that decide what they owe; a sign-in (last_login) moves no count.
_OWING_FIELDS = {"school", "year_group", "leaving_date", "access_expires_on", "is_active"}


@receiver(post_save, sender=Signature, dispatch_uid="agreements.summary_signature")
@receiver(post_save, sender=Decline, dispatch_uid="agreements.summary_decline")
@receiver(post_save, sender=Agreement, dispatch_uid="agreements.summary_agreement")
@receiver(post_save, sender=YearGroupAgreement, dispatch_uid="agreements.summary_year_groups")
@receiver(post_delete, sender=YearGroupAgreement, dispatch_uid="agreements.summary_year_groups_gone")
def _school_record_saved(sender, instance, **kwargs):
    summary_changed(instance.school_id)


@receiver(post_save, sender=Person, dispatch_uid="agreements.summary_person")
def _person_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or update_fields is None or _OWING_FIELDS.intersection(update_fields):
        summary_changed(instance.school_id)


@receiver(roles_changed, dispatch_uid="agreements.summary_roles")
def _roles_changed(sender, person, **kwargs):
    summary_changed(person.school_id)


@receiver(post_save, sender=RoleAssignment, dispatch_uid="agreements.summary_role")
@receiver(post_delete, sender=RoleAssignment, dispatch_uid="agreements.summary_role_gone")
def _role_saved(sender, instance, **kwargs):
    school_id = Person.objects.filter(pk=instance.person_id).values_list("school_id", flat=True).first()
    summary_changed(school_id)


@receiver(post_save, sender=PolicyVersion, dispatch_uid="agreements.summary_version")
def _version_saved(sender, instance, **kwargs):
    # A new binding version of an agreement starts its counts again.
    for school_id in Agreement.objects.filter(policy_id=instance.policy_id).values_list(
        "school_id", flat=True
    ):
        summary_changed(school_id)
