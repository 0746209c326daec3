"""The technical administrator: made by a command, given the Django admin's group and nothing more."""

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from people.models import Person
from people.seed import seed_people
from people.technical import GROUP_NAME


def test_the_command_makes_a_technical_administrator_not_a_superuser(demo):
    teacher = demo["teacher"]
    Person.objects.filter(pk=teacher.pk).update(is_superuser=True)  # even one who was a superuser
    call_command("make_technical_admin", "teacher")
    teacher = Person.objects.get(pk=teacher.pk)
    assert teacher.is_staff and not teacher.is_superuser
    assert list(teacher.groups.values_list("name", flat=True)) == [GROUP_NAME]
    assert AuditEntry.objects.for_record(teacher).filter(action="person.made_technical_admin").exists()


def test_the_command_names_an_unknown_username(demo):
    with pytest.raises(CommandError, match="Nobody has the username 'nobody'"):
        call_command("make_technical_admin", "nobody")


def test_the_demo_trust_administrator_stops_being_a_superuser_when_seeded_again(demo):
    Person.objects.filter(username="trustadmin").update(is_staff=True, is_superuser=True)  # an old demo
    seed_people()
    trustadmin = Person.objects.get(username="trustadmin")
    assert not trustadmin.is_staff and not trustadmin.is_superuser
    assert Person.objects.filter(is_superuser=True).count() == 0
