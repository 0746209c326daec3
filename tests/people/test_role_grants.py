"""Who may grant what: leadership and safeguarding roles come only from the headteacher or the trust.

The findings reproduced here: the school administrator gave itself the DSL role on its own people
page, gave a Year 7 pupil the DSL role, and took the headteacher role from the head.
"""

import datetime

import pytest
from django.core import mail

from audit.models import AuditEntry
from glenwood.services import NotAllowed, ServiceError
from people import services
from people.models import Person, Role

PROTECTED = ["headteacher", "deputy", "dsl", "chair"]


def _roles(username):
    return Person.objects.get(username=username).roles


def _edit(client, person, roles, **fields):
    return client.post(f"/people/{person.pk}/edit/", {"roles": roles, **fields})


def _no_role_change_recorded():
    return not AuditEntry.objects.filter(action__in=["person.role_granted", "person.role_removed"]).exists()


# The three findings, as the school administrator did them on the people pages.


def test_the_office_cannot_give_itself_the_dsl_role(demo, login):
    response = _edit(login("admin"), demo["admin"], ["school_admin", "staff", "dsl"])
    assert response.status_code == 200
    assert "Only the headteacher or the trust administrator gives the designated safeguarding lead role." in (
        response.content.decode()
    )
    assert _roles("admin") == {"school_admin", "staff"}
    assert _no_role_change_recorded()


def test_the_office_cannot_give_a_year_7_pupil_the_dsl_role(demo, login):
    response = _edit(login("admin"), demo["pupil7"], ["pupil", "dsl"], year_group="7")
    page = response.content.decode()
    assert (
        "Only the headteacher or the trust administrator gives the designated safeguarding lead role." in page
    )
    assert "A pupil cannot also hold a staff role (designated safeguarding lead)." in page
    assert _roles("pupil7") == {"pupil"}
    # Without the case list: the pupil still cannot open a safeguarding case.
    assert login("pupil7").get("/breaches/cases/").status_code == 403


def test_the_office_cannot_take_the_headteacher_role_from_the_head(demo, login):
    response = _edit(login("admin"), demo["head"], ["staff", "dsl"])
    page = response.content.decode()
    assert "Only the headteacher or the trust administrator takes away the headteacher role." in page
    assert _roles("head") == {"headteacher", "staff", "dsl"}
    assert _no_role_change_recorded()


# The same rules in the services, for anyone who calls them directly.


@pytest.mark.parametrize("role", PROTECTED)
@pytest.mark.parametrize("target", ["admin", "teacher", "governor"])
def test_a_school_administrator_grants_no_leadership_role_to_anyone(demo, role, target):
    with pytest.raises(NotAllowed, match="Only the headteacher or the trust administrator gives"):
        services.role_grant(actor=demo["admin"], person=demo[target], role=role)
    with pytest.raises(NotAllowed):
        services.person_update(actor=demo["admin"], person=demo[target], roles=demo[target].roles | {role})
    assert role not in _roles(target)
    assert _no_role_change_recorded()


@pytest.mark.parametrize("username", ["head", "deputy", "dsl", "teacher", "chair", "governor"])
def test_only_the_head_or_the_trust_gives_a_leadership_role(demo, username):
    actor = demo[username]
    target = demo["teacher"] if username != "teacher" else demo["governor"]
    if username == "head":
        assert services.role_grant(actor=actor, person=target, role=Role.DSL)
    else:
        with pytest.raises(NotAllowed):
            services.role_grant(actor=actor, person=target, role=Role.DSL)


@pytest.mark.parametrize("username", ["head", "trustadmin"])
def test_nobody_gives_themselves_a_leadership_role(demo, username):
    actor = demo[username]
    for role in {Role.HEADTEACHER, Role.DEPUTY, Role.DSL, Role.CHAIR} - actor.roles:
        with pytest.raises(NotAllowed, match="You cannot give yourself the"):
            services.role_grant(actor=actor, person=actor, role=role)
    assert _no_role_change_recorded()


def test_the_head_cannot_take_away_their_own_leadership_role(demo, login):
    response = _edit(login("head"), demo["head"], ["headteacher", "staff"])
    assert "You cannot take away your own designated safeguarding lead role" in response.content.decode()
    assert _roles("head") == {"headteacher", "staff", "dsl"}


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PUPIL])
def test_a_pupil_can_never_hold_a_staff_role(demo, role):
    """Whoever asks: the trust administrator, who may give every role, cannot give a pupil any other."""
    with pytest.raises(ServiceError, match="A pupil cannot also hold a staff role"):
        services.role_grant(actor=demo["trustadmin"], person=demo["pupil7"], role=role)
    with pytest.raises(ServiceError, match="A pupil cannot also hold a staff role"):
        services.person_update(actor=demo["trustadmin"], person=demo["pupil7"], roles={"pupil", role})
    assert _roles("pupil7") == {"pupil"}
    assert _no_role_change_recorded()


def test_a_member_of_staff_cannot_be_made_a_pupil_as_well(demo, login):
    with pytest.raises(ServiceError, match="A pupil cannot also hold a staff role"):
        services.role_grant(actor=demo["trustadmin"], person=demo["teacher"], role=Role.PUPIL)
    response = _edit(login("trustadmin"), demo["teacher"], ["staff", "pupil"], year_group="9")
    assert "A pupil cannot also hold a staff role (staff)." in response.content.decode()
    assert _roles("teacher") == {"staff"}


def test_the_last_headteacher_cannot_be_removed(demo, login):
    with pytest.raises(ServiceError, match="Glenwood School’s only headteacher"):
        services.role_remove(actor=demo["trustadmin"], person=demo["head"], role=Role.HEADTEACHER)
    response = _edit(login("trustadmin"), demo["head"], ["staff", "dsl"])
    assert "Helen Marsh is Glenwood School’s only headteacher" in response.content.decode()
    assert Role.HEADTEACHER in _roles("head")
    assert _no_role_change_recorded()


def test_the_last_headteacher_cannot_be_given_a_leaving_date_that_has_come(demo, login):
    response = _edit(
        login("trustadmin"), demo["head"], ["headteacher", "staff", "dsl"], leaving_date="2026-01-01"
    )
    assert "Helen Marsh is Glenwood School’s only headteacher: give the role to the new headteacher" in (
        response.content.decode()
    )
    with pytest.raises(ServiceError, match="only headteacher"):
        services.person_update(
            actor=demo["admin"], person=demo["head"], leaving_date=datetime.date(2026, 1, 1)
        )
    assert Person.objects.get(username="head").leaving_date is None
    # A leaving date still to come is fine: the school has time to appoint.
    services.person_update(actor=demo["admin"], person=demo["head"], leaving_date=datetime.date(2099, 8, 31))


def test_a_headteacher_who_has_left_does_not_count(demo):
    """A second headteacher whose leaving date has passed leaves the head still the only one."""
    services.role_grant(actor=demo["trustadmin"], person=demo["deputy"], role=Role.HEADTEACHER)
    Person.objects.filter(pk=demo["deputy"].pk).update(leaving_date=datetime.date(2020, 8, 31))
    with pytest.raises(ServiceError, match="only headteacher"):
        services.role_remove(actor=demo["trustadmin"], person=demo["head"], role=Role.HEADTEACHER)


def test_the_trust_hands_the_headship_over(demo, login, django_capture_on_commit_callbacks):
    """A new head first, then the old one steps down: each change audited and emailed."""
    trust = login("trustadmin")
    with django_capture_on_commit_callbacks(execute=True):
        _edit(trust, demo["deputy"], ["deputy", "staff", "dsl", "headteacher"])
    assert Role.HEADTEACHER in _roles("deputy")
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(trust, demo["head"], ["staff", "dsl"])
    assert response.status_code == 302
    assert _roles("head") == {"staff", "dsl"}

    granted = AuditEntry.objects.for_record(demo["deputy"]).get(action="person.role_granted")
    removed = AuditEntry.objects.for_record(demo["head"]).get(action="person.role_removed")
    assert (granted.actor, granted.detail["role"]) == (demo["trustadmin"], "headteacher")
    assert (removed.actor, removed.detail["role"]) == (demo["trustadmin"], "headteacher")
    # The person's page shows which role changed.
    page = login("deputy").get(f"/people/{demo['head'].pk}/").content.decode()
    assert "Role taken away: Headteacher" in page


def test_each_grant_is_emailed_to_the_head_and_the_person(demo, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(login("head"), demo["teacher"], ["staff", "dsl"])
    assert response.status_code == 302
    assert AuditEntry.objects.for_record(demo["teacher"]).filter(action="person.role_granted").count() == 1
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"teacher@glenwood.example", "head@glenwood.example"}
    to_teacher, to_head = by_recipient["teacher@glenwood.example"], by_recipient["head@glenwood.example"]
    assert to_teacher.subject == "You now have the designated safeguarding lead role at Glenwood School"
    assert to_head.subject == "Tara Quinn was given the designated safeguarding lead role at Glenwood School"
    assert "Helen Marsh gave you the designated safeguarding lead role" in to_teacher.body
    html, kind = to_teacher.alternatives[0]
    assert kind == "text/html" and "<strong>designated safeguarding lead</strong>" in html


def test_a_removal_is_emailed_too(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.role_remove(actor=demo["head"], person=demo["dsl"], role=Role.DSL)
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Sarah Lowe no longer has the designated safeguarding lead role at Glenwood School",
        "You no longer have the designated safeguarding lead role at Glenwood School",
    ]


def test_ordinary_roles_are_audited_but_not_emailed(demo, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _edit(login("admin"), demo["teacher"], ["staff", "governor"])
    assert AuditEntry.objects.for_record(demo["teacher"]).get(action="person.role_granted").detail == {
        "role": "governor",
        "label": "Governor",
    }
    assert mail.outbox == []


def test_granting_a_role_already_held_changes_nothing(demo):
    assert services.role_grant(actor=demo["head"], person=demo["dsl"], role=Role.DSL) is False
    assert services.role_remove(actor=demo["head"], person=demo["teacher"], role=Role.DSL) is False
    assert _no_role_change_recorded()


def test_another_schools_head_grants_nothing_here(demo):
    with pytest.raises(NotAllowed):
        services.role_grant(actor=demo["hillside-head"], person=demo["teacher"], role=Role.DSL)
